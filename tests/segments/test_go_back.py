"""Go Back (§5.5.3): undoing criteria actions restores the segment exactly, in LIFO order.

The crash of issue #14 item 1: undoing a Refine whose removed lines sat between kept ones broke
the Segment History key. The property test runs random add/reduce/refine sequences and checks
that every undo restores the lines of the step before: the same contacts with every field but
the line no. (BC gives restored lines new numbers, last + 10000).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from relcore_segments import criteria
from relcore_segments.segments import create_segment, segment_lines


def snapshot(session: Any, no: str) -> Counter:
    """The segment's lines as a multiset of their fields without the line no."""
    return Counter(
        tuple(sorted((k, v) for k, v in line.items() if k != "line_no"))
        for line in segment_lines(session, no)
    )


def test_undo_refine_with_removed_lines_between_kept_ones(sg_app):
    with sg_app.session() as session:
        no = create_segment(session, {"description": "Purchasers"})["no"]
        criteria.add_contacts(
            session,
            no,
            {"job_responsibility": {"code": "PURCHASE"}},
            allow_related_companies=True,
        )
        lines = [r["contact_no"] for r in segment_lines(session, no)]
        assert lines == ["C1", "P1", "C2", "P3"]
        before = snapshot(session, no)
        criteria.refine_contacts(session, no, {"contact": {"type": "company"}})
        assert [r["contact_no"] for r in segment_lines(session, no)] == ["C1", "C2"]
        criteria.go_back(session, no)
        assert snapshot(session, no) == before
        criteria.go_back(session, no)
        assert segment_lines(session, no) == []


FILTERS = [
    {},
    {"job_responsibility": {"code": "PURCHASE"}},
    {"job_responsibility": {"code": "SALES"}},
    {"business_relation": {"code": "CUST"}},
    {"contact": {"type": "company"}},
    {"contact": {"type": "person"}},
    {"contact": {"post_code": "1000"}},
    {"contact": {"no": "P2|C2"}},
]

add_action = st.tuples(
    st.just("add"),
    st.sampled_from(FILTERS),
    st.fixed_dictionaries(
        {
            "allow_existing_contacts": st.booleans(),
            "expand_companies": st.booleans(),
            "allow_related_companies": st.booleans(),
        }
    ),
)
remove_action = st.tuples(
    st.sampled_from(["reduce", "refine"]),
    st.sampled_from(FILTERS),
    st.fixed_dictionaries({"entire_companies": st.booleans()}),
)


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(st.one_of(add_action, remove_action), min_size=1, max_size=7))
def test_random_actions_then_undos_restore_every_step(sg_app, actions):
    functions = {
        "add": criteria.add_contacts,
        "reduce": criteria.reduce_contacts,
        "refine": criteria.refine_contacts,
    }
    with sg_app.session() as session:
        no = create_segment(session, {"description": "Random"})["no"]
        steps = [snapshot(session, no)]
        for name, filters, options in actions:
            functions[name](session, no, filters, **options)
            steps.append(snapshot(session, no))
        for expected in reversed(steps[:-1]):
            criteria.go_back(session, no)
            assert snapshot(session, no) == expected
        assert criteria.criteria_of(session, no) == []
