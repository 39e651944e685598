"""``relcore interactions setup show | set`` and ``event``: automatic logging (§4.6)."""

from __future__ import annotations

import click

from relcore.cli.context import output, output_table, pass_state


@click.group("setup")
def setup_group() -> None:
    """The interaction template setup: which template each event logs with."""


@setup_group.command("show")
@pass_state
def show(state) -> None:
    """List the registered events and their templates."""
    from relcore_interactions.events import show_setup

    with state.app.session() as session:
        rows = show_setup(session)
    output_table(
        state,
        rows,
        "Interaction template setup",
        {
            "event": "event_code",
            "plugin": "plugin",
            "template": "template_code",
            "description": "description",
        },
    )


@setup_group.command("set")
@click.argument("event_code")
@click.argument("template_code", required=False, default="")
@pass_state
def set_(state, event_code: str, template_code: str) -> None:
    """Log EVENT_CODE with TEMPLATE_CODE (blank: stop logging it)."""
    from relcore_interactions.events import set_template

    with state.app.session() as session:
        set_template(session, event_code, template_code or None)
    output(
        state,
        {"event_code": event_code, "template_code": template_code.upper()},
        f"{event_code} → {template_code.upper() or '(none)'}",
    )


@click.command("event")
@click.argument("event_code")
@click.option("--contact", "contact_no", required=True, help="The contact to log it for.")
@click.option(
    "--document-type",
    default=None,
    help="One of the 26 document types (relcore interactions document-types).",
)
@click.option("--document-no", default=None, help="The document's number.")
@click.option("--description", default=None, help="Default: the template's description.")
@click.option(
    "--salesperson", "salesperson_code", default=None, help="Default: the contact's salesperson."
)
@pass_state
def event(
    state, event_code, contact_no, document_type, document_no, description, salesperson_code
) -> None:
    """Log an interaction for EVENT_CODE as a plugin would (nothing without a template)."""
    from relcore_interactions.events import log_event

    with state.app.session() as session:
        row = log_event(
            session,
            event_code,
            contact_no,
            document_type=document_type,
            document_no=document_no,
            description=description,
            salesperson_code=salesperson_code,
        )
    output(
        state,
        row,
        "Nothing logged: no template is set up for this event."
        if row is None
        else f"Interaction {row['entry_no']} logged.",
    )


@click.command("document-types")
@pass_state
def document_types(state) -> None:
    """List the document types logged automatically, with their events (§4.6)."""
    from relcore_interactions.documents import DOCUMENT_TYPES

    rows = [
        {"document_type": d.code, "event_code": d.event_code, "label": d.label}
        for d in DOCUMENT_TYPES.values()
    ]
    output_table(
        state,
        rows,
        "Document types",
        {"document_type": "document_type", "event": "event_code", "description": "label"},
    )


@click.command("document")
@click.argument("document_type")
@click.argument("document_no")
@click.option(
    "--account-table",
    type=click.Choice(["contact", "customer", "vendor"]),
    default="contact",
    show_default=True,
    help="What --account names; a customer's/vendor's contact is found by business relation.",
)
@click.option("--account", "account_no", required=True, help="The contact, customer or vendor no.")
@click.option("--version-no", type=int, default=0, help="The archived version of the document.")
@click.option("--occurrence", "doc_no_occurrence", type=int, default=0, help="Doc. No. Occurrence.")
@click.option("--description", default=None, help="Default: the template's description.")
@click.option(
    "--salesperson", "salesperson_code", default=None, help="Default: the contact's salesperson."
)
@click.option("--campaign", "campaign_no", default=None, help="A campaign to log it under.")
@pass_state
def document(
    state,
    document_type,
    document_no,
    account_table,
    account_no,
    version_no,
    doc_no_occurrence,
    description,
    salesperson_code,
    campaign_no,
) -> None:
    """Log a sales, purchase or service document as an ERP connector would (§4.6)."""
    from relcore_interactions.events import log_document

    with state.app.session() as session:
        row = log_document(
            session,
            document_type,
            document_no,
            account_table=account_table,
            account_no=account_no,
            version_no=version_no,
            doc_no_occurrence=doc_no_occurrence,
            description=description,
            salesperson_code=salesperson_code,
            campaign_no=campaign_no,
        )
    output(
        state,
        row,
        "Nothing logged: no template is set up for this document type, or no contact is linked."
        if row is None
        else f"Interaction {row['entry_no']} logged.",
    )


def register(group: click.Group) -> None:
    """Add the ``setup`` group and the ``event``, ``document`` and ``document-types`` commands."""
    group.add_command(setup_group)
    group.add_command(event)
    group.add_command(document)
    group.add_command(document_types)
