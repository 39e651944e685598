"""Segments logged by several processes at once (issue #13 item 3).

Each process has its own App (engine, connections) and logs in its own transaction. PostgreSQL
runs when ``RELCORE_TEST_POSTGRES_URL`` is set; a SQLite file variant always runs.
"""

from __future__ import annotations

import multiprocessing

import pytest
import sqlalchemy as sa

from relcore import entities
from relcore.errors import RelcoreError
from relcore.testing import build_app, shared_database_url
from tests.segments.conftest import WORK_DATE, add_contacts

PROCESSES = 6
PLUGINS = ("contacts", "interactions", "segments")


def _prepare(url: str) -> None:
    from relcore_segments import criteria, segments

    app = build_app(url, list(PLUGINS), work_date=WORK_DATE)
    with app.session() as s:
        entities.insert(s, "contacts.salesperson", [{"code": "JO", "name": "Jo"}])
        entities.insert(s, "interactions.group", [{"code": "LETTER"}])
        entities.insert(
            s,
            "interactions.template",
            [{"code": "BUS", "interaction_group_code": "LETTER", "correspondence_type": ""}],
        )
        add_contacts(
            s,
            *({"no": f"C{i:03d}", "name": f"Co {i}", "company_name": f"Co {i}"} for i in range(20)),
        )
        for _ in range(PROCESSES):
            seg = segments.create_segment(
                s,
                {
                    "description": "Mailing",
                    "interaction_template_code": "BUS",
                    "salesperson_code": "JO",
                },
            )
            criteria.add_contacts(s, seg["no"])
    app.dispose()


def _log(url: str, segment_no: str) -> tuple[str, str]:
    from relcore_segments.segment_log import log_segment

    from relcore.app import App
    from relcore.plugins import PluginSelection

    app = App(url, selection=PluginSelection(allow=list(PLUGINS)), work_date=WORK_DATE)
    try:
        with app.session() as s:
            result = log_segment(s, segment_no)
        return "ok", str(result.logged_segment_entry_no)
    except RelcoreError as exc:
        return "refused", str(exc)
    except Exception as exc:  # the defect: a raw database error
        return "crashed", f"{type(exc).__name__}: {exc}"
    finally:
        app.dispose()


def _in_parallel(url: str, segment_nos: list[str]) -> list[tuple[str, str]]:
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(len(segment_nos)) as pool:
        return pool.starmap(_log, [(url, no) for no in segment_nos])


@pytest.fixture(params=["sqlite-file", "postgres"])
def shared_url(request, tmp_path):
    yield from shared_database_url(request.param, tmp_path, _prepare)


def _count(url: str, sql: str) -> int:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as c:
            return c.execute(sa.text(sql)).scalar_one()
    finally:
        engine.dispose()


def test_different_segments_logged_at_once_all_succeed(shared_url):
    nos = [f"SM{i:05d}" for i in range(1, PROCESSES + 1)]
    results = _in_parallel(shared_url, nos)
    assert [r[0] for r in results] == ["ok"] * PROCESSES, results
    assert len({r[1] for r in results}) == PROCESSES
    assert _count(shared_url, "SELECT count(*) FROM segments_logged_segment") == PROCESSES
    assert _count(shared_url, "SELECT count(*) FROM interactions_log_entry") == PROCESSES * 20


def test_same_segment_logged_twice_at_once_one_wins(shared_url):
    results = _in_parallel(shared_url, ["SM00001", "SM00001"])
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["ok", "refused"], results
    loser = next(r[1] for r in results if r[0] == "refused")
    assert loser == "Logged Segment for Segment No. SM00001 already exists."
    assert _count(shared_url, "SELECT count(*) FROM interactions_log_entry") == 20
