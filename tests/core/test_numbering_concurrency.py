"""Concurrent drawers never receive the same number (ARCHITECTURE §5, BC §1.2.3/§1.2.4).

8 processes draw 250 numbers each, one transaction per number. PostgreSQL runs when
``RELCORE_TEST_POSTGRES_URL`` is set; a SQLite file variant always runs.
"""

from __future__ import annotations

import multiprocessing

import pytest

from relcore import numbering as ns
from relcore.app import App
from relcore.db import metadata
from relcore.testing import shared_database_url

PROCESSES, PER_PROCESS = 8, 250


def _worker(url: str, code: str) -> list[str]:
    app = App(url, load_installed=False)
    try:
        drawn = []
        for _ in range(PER_PROCESS):
            with app.session() as s:
                drawn.append(ns.next_no(s, code))
        return drawn
    finally:
        app.dispose()


def _prepare(url: str) -> None:
    app = App(url, load_installed=False)
    metadata.create_all(app.engine)
    with app.session() as s:
        ns.add_series(s, "CONT", "gap-free")
        ns.add_line(s, "CONT", "CT000001", "CT100000")
        ns.add_series(s, "TASK", "gaps allowed")
        ns.add_line(s, "TASK", "TD000001", "TD999999", allow_gaps=True)
    app.dispose()


def _draw_in_parallel(url: str, code: str) -> list[str]:
    # fork: the children build their own App (engine, connections) after the fork, and need not
    # import relcore again
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(PROCESSES) as pool:
        results = pool.starmap(_worker, [(url, code)] * PROCESSES)
    return [no for chunk in results for no in chunk]


@pytest.fixture(params=["sqlite-file", "postgres"])
def shared_url(request, tmp_path):
    yield from shared_database_url(request.param, tmp_path, _prepare)


def test_gap_free_parallel_draws_are_distinct_and_consecutive(shared_url):
    nos = _draw_in_parallel(shared_url, "CONT")
    total = PROCESSES * PER_PROCESS
    assert sorted(nos) == [f"CT{i:06d}" for i in range(1, total + 1)]


def test_gaps_allowed_parallel_draws_are_distinct(shared_url):
    nos = _draw_in_parallel(shared_url, "TASK")
    assert len(set(nos)) == len(nos) == PROCESSES * PER_PROCESS
