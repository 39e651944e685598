"""The one formatter of human output (issue #14 items 8 and 9): keys and numbers are never cut,
text columns wrap, output that is not a terminal prints every value in full."""

from __future__ import annotations

import io

from rich.console import Console

from relcore.cli.context import record_table, table


def _render(renderable, width):
    out = io.StringIO()
    Console(file=out, width=width, force_terminal=False, soft_wrap=False).print(renderable)
    return out.getvalue()


def test_narrow_terminal_wraps_descriptions_but_never_cuts_keys():
    key = "contacts.bus_rel_code_for_bank_accs"
    text = _render(
        table(
            "Setup",
            ["key", "type", "value", "description"],
            [[key, "code", "BANK", "Business relation of contacts linked to bank accounts (§3)."]],
        ),
        width=80,
    )
    assert key in text and "…" not in text
    assert "Business" in text and "accounts" in text  # wrapped, not cut


def test_record_table_keeps_field_names_whole():
    text = _render(record_table({"contact_alt_address_code": "SUMMER"}), width=40)
    assert "contact_alt_address_code" in text and "SUMMER" in text


def test_piped_output_prints_full_values(app, run_cli):
    """CliRunner's output is not a terminal: nothing is cut at 80 columns."""
    shown = run_cli(app, "setup", "show")
    assert shown.exit_code == 0
    assert "contacts.bus_rel_code_for_bank_accs" in shown.output
    assert "…" not in shown.output
    run_cli(app, "contacts", "add", "--name", "A company with a rather long name, Ltd.")
    listed = run_cli(app, "contacts", "list")
    assert (
        "CT000001" in listed.output and "A company with a rather long name, Ltd." in listed.output
    )
