"""The shell against databases in awkward states (issue #13 items 4 and 13).

* a database never initialised: "run `relcore init` first", and no SQLite file is created;
* SQLite: a read-only command reads while another process holds the write lock (WAL, deferred
  transaction); a writer that times out says another process holds the database and how long
  it waited.
"""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from relcore import db
from relcore.cli import cli
from relcore.cli.context import State
from relcore.testing import _fresh_postgres_schema, postgres_url_or_skip


def _shell(url: str, *args: str):
    state = State(db=url)
    return CliRunner().invoke(cli, list(args), obj=state)


def test_a_missing_sqlite_database_is_not_created(tmp_path):
    path = tmp_path / "never.db"
    result = _shell(f"sqlite:///{path}", "contacts", "list")
    assert result.exit_code == 1
    assert f"database {path} does not exist: run `relcore init` first" in result.output
    assert not path.exists()


def test_an_empty_postgres_database_says_run_init_first():
    url, drop = _fresh_postgres_schema(postgres_url_or_skip())
    try:
        result = _shell(url, "contacts", "show", "CT000001")
    finally:
        drop()
    assert result.exit_code == 1
    assert "is not initialised: run `relcore init` first" in result.output
    assert "Error" not in result.output.replace("Error:", "", 1)


@pytest.fixture
def sqlite_file(tmp_path, monkeypatch):
    monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDS", 1)
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    assert _shell(url, "init").exit_code == 0
    assert _shell(url, "contacts", "add", "--name", "Ada Ltd").exit_code == 0
    writer = sqlite3.connect(tmp_path / "crm.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process is writing
    writer.execute("UPDATE contacts_contact SET name = 'Changing' WHERE no = 'CT000001'")
    yield url
    writer.execute("ROLLBACK")
    writer.close()


def test_a_read_only_command_reads_while_another_process_writes(sqlite_file):
    result = _shell(sqlite_file, "--json", "contacts", "show", "CT000001")
    assert result.exit_code == 0, result.output
    assert '"name": "Ada Ltd"' in result.output


def test_a_writer_that_times_out_says_who_holds_the_database(sqlite_file):
    result = _shell(sqlite_file, "contacts", "add", "--name", "Bob Ltd")
    assert result.exit_code == 1
    assert "another process holds the database for writing; waited 1 s" in result.output
    assert "OperationalError" not in result.output
