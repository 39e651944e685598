"""``relcore d365 sync | status | errors | retry``: running the synchronisation and its logs."""

from __future__ import annotations

import click

from relcore.cli.context import State, output, pass_state, progress, table

JOB_FIELDS = (
    "mapping",
    "direction",
    "inserted",
    "modified",
    "unchanged",
    "skipped",
    "failed",
    "deleted",
    "coupled",
    "uncoupled",
    "message",
    "id",
)


def register(group: click.Group) -> None:
    """Add the sync commands to ``group``."""
    for command in (sync_command, status_command, jobs_command, errors_command, retry_command):
        group.add_command(command)


@click.command("sync")
@click.option("--mapping", default=None, help="Synchronise only this mapping (e.g. CONTACT).")
@click.option(
    "--full",
    is_flag=True,
    help="Full synchronisation: create uncoupled records on the other side (initial "
    "loads where only one side has data; otherwise it makes duplicates).",
)
@pass_state
def sync_command(state: State, mapping: str | None, full: bool) -> None:
    """Synchronise the enabled mappings in dependency order; prints one job per leg."""
    from relcore.errors import RelcoreError
    from relcore_d365sales.engine import synchronize

    with progress(None, "Synchronising with Dynamics 365") as bar:
        jobs = synchronize(state.app, mapping=mapping, full=full, progress=bar)
    data = [{k: getattr(j, k) for k in JOB_FIELDS} for j in jobs]

    def human(console):
        console.print(
            table(
                "Synchronization jobs",
                list(JOB_FIELDS[:-1]),
                [[d[k] for k in JOB_FIELDS[:-1]] for d in data],
            )
        )

    output(state, data, human=human)
    broken = [j for j in jobs if j.message and not j.message.startswith("not run")]
    if broken:
        raise RelcoreError(f"mapping {broken[0].mapping} failed: {broken[0].message}")


@click.command("jobs")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Jobs.")
@pass_state
def jobs_command(state: State, limit: int) -> None:
    """The job log, newest first: one row per mapping and direction of each run, with its
    counters and error message (a run that could not connect has one row, mapping blank)."""
    from relcore_d365sales.jobs import recent_jobs

    with state.app.session() as session:
        rows = recent_jobs(session, limit)
    columns = ["started_at", "mapping_name", "direction", "inserted", "modified", "failed"]
    output(
        state,
        rows,
        human=lambda c: c.print(
            table(
                "Synchronization job log",
                [*columns, "message"],
                [[r[k] for k in (*columns, "message")] for r in rows],
            )
        ),
    )


@click.command("status")
@pass_state
def status_command(state: State) -> None:
    """The mappings with their watermarks, couplings, skipped and failed records, last jobs."""
    from relcore_d365sales.status import status

    with state.app.session() as session:
        data = status(session)

    def human(console):
        cols = [
            "name",
            "direction",
            "coupled",
            "skipped",
            "failed",
            "local_watermark",
            "dv_watermark",
            "last_run",
        ]
        console.print(table("Mappings", cols, [[m[c] for c in cols] for m in data["mappings"]]))
        cols = [
            "mapping",
            "direction",
            "inserted",
            "modified",
            "unchanged",
            "skipped",
            "failed",
            "started_at",
            "message",
        ]
        console.print(table("Latest jobs", cols, [[j[c] for c in cols] for j in data["jobs"]]))

    output(state, data, human=human)


@click.command("errors")
@click.option("--job", "job_id", default=None, help="Only this job's errors.")
@click.option("--limit", default=50, show_default=True, help="How many (newest first).")
@pass_state
def errors_command(state: State, job_id: str | None, limit: int) -> None:
    """The synchronisation error log (BC "Coupled Data Synchronization Errors")."""
    from relcore_d365sales import jobs

    with state.app.session() as session:
        rows = jobs.errors(session, job_id=job_id, limit=limit)
    cols = ["id", "at", "mapping_name", "direction", "local_key", "dv_id", "message"]
    output(
        state,
        rows,
        human=lambda c: c.print(
            table("Synchronization errors", cols, [[r[k] for k in cols] for r in rows])
        ),
    )


@click.command("retry")
@click.argument("error_id", type=int, required=False)
@click.option("--all", "all_", is_flag=True, help="Every skipped or failed record.")
@pass_state
def retry_command(state: State, error_id: int | None, all_: bool) -> None:
    """Include skipped/failed records in the next sync again (BC "Retry" / "Retry All")."""
    from relcore.errors import ValidationError
    from relcore_d365sales.couplings import retry

    if not all_ and error_id is None:
        raise ValidationError("give an error id (see 'relcore d365 errors') or --all")
    with state.app.session() as session:
        n = retry(session, error_id=error_id, all_=all_)
    output(
        state,
        {"released": n},
        human=f"{n} record(s) will be synchronised again by the next 'relcore d365 sync'",
    )
