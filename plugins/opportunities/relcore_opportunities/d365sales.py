"""The OPPORTUNITY mapping for the Dynamics 365 Sales synchronisation (reference §D4, §D5.6,
issue 12).

An optional integration: the opportunities plugin does not require d365sales. When both are
installed, ``relcore_d365sales_register_mappings`` (an optional hook in :mod:`.plugin`) registers
this mapping; it uses only ``relcore_d365sales.api`` and this plugin's own modules, and without
d365sales nothing here is imported.

OPPORTUNITY ↔ ``opportunities`` (both ways, creating uncoupled records on both sides):

* description ↔ ``name``; the contact (a person) ↔ ``parentcontactid`` through the CONTACT
  couplings; the contact's company ↔ ``parentaccountid`` (and → ``customerid_account``) through
  the CUSTOMER couplings; salesperson → ``ownerid`` (not null); campaign → ``campaignid``
  through the CAMPAIGN couplings;
* estimated value ↔ ``estimatedvalue``, estimated close date ↔ ``estimatedclosedate``, chances
  of success % ↔ ``closeprobability`` (a whole number in Dataverse). These are the active
  entry's values: a change from Dataverse is written as an ``update`` entry through
  :func:`relcore_opportunities.updating.update_opportunity` (nothing is stored twice); a Not
  Started opportunity keeps them as pending values until it is activated
  (:mod:`relcore_opportunities.pending`);
* the state (open / won / lost) through :class:`OpportunityState`: a local close calls
  ``WinOpportunity`` / ``LoseOpportunity`` after the other fields were written; a Dataverse
  close closes the local opportunity through :func:`relcore_opportunities.closing.close_opportunity`
  (close code from the option map ``opportunities.statuscode``, else the setup defaults
  ``opportunities.d365sales_won_code`` / ``d365sales_lost_code``).

Local candidates: every open opportunity, plus the closed ones changed since the last run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from relcore.app import app_of
from relcore.errors import ValidationError
from relcore_opportunities.model import entry, opportunity, pending_values
from relcore_opportunities.setup_fields import out_sold_codes

O = opportunity.c  # noqa: E741
E = entry.c
P = pending_values.c
STATUS_COLUMN = "opportunities.statuscode"
"""The option map of Dataverse status reasons ↔ local close codes."""
WON_STATUS, CANCELED_STATUS, OUT_SOLD_STATUS = 3, 4, 5
LABEL = "Opportunity"
CHUNK = 500


def _fail(message: str, key: Any) -> None:
    raise ValidationError(message, entity=LABEL, key=key)


def _money(value: Any) -> Any:
    """Money as Dataverse carries it (a JSON number), blank when unset."""
    return "" if value is None else float(Decimal(value))


def _date(value: Any) -> str:
    return "" if value is None else value.isoformat()


def _chances(value: Any) -> Any:
    """Chances of success % as a whole number (``closeprobability`` is an integer column)."""
    return "" if value is None else int(Decimal(value).quantize(Decimal(1)))


class OpportunityAdapter:
    """Local side of OPPORTUNITY: opportunities with their current values (active entry, or
    pending values while Not Started). Writes go through this plugin's functions."""

    label = LABEL
    key_column = "no"
    update_with_dv = True  # the status reason and actual value of a Dataverse close

    def __init__(self, session: Any) -> None:
        self.session = session
        self.columns = {
            "description": O.description,
            "contact_person_no": O.contact_no,
            "contact_company_no": O.contact_company_no,
        }

    # -- reading ---------------------------------------------------------------------------
    def _base(self) -> sa.Select[Any]:
        person = sa.case(
            (
                sa.or_(O.contact_company_no.is_(None), O.contact_no != O.contact_company_no),
                O.contact_no,
            ),
            else_=None,
        )
        return (
            sa.select(
                O.no.label("key"),
                O.modified_at,
                O.description,
                person.label("contact_person_no"),
                O.contact_no,
                O.contact_company_no,
                O.salesperson_code,
                O.campaign_no,
                O.status,
                O.date_closed,
                sa.func.coalesce(E.estimated_value_lcy, P.estimated_value_lcy).label("value"),
                sa.func.coalesce(E.chances_of_success_pct, P.chances_of_success_pct).label(
                    "chances"
                ),
                sa.func.coalesce(E.estimated_close_date, P.estimated_close_date).label("close"),
                E.calcd_current_value_lcy.label("current_value"),
                E.close_opportunity_code.label("close_code"),
            )
            .outerjoin(entry, sa.and_(E.opportunity_no == O.no, E.active.is_(True)))
            .outerjoin(pending_values, P.opportunity_no == O.no)
        )

    def _rows(self, stmt: sa.Select[Any]) -> list[dict]:
        statuses = self._status_codes()
        out_sold = out_sold_codes(
            app_of(self.session).setup.get(self.session, "opportunities.d365sales_out_sold_codes")
        )
        out = []
        for r in self.session.execute(stmt):
            row = dict(r._mapping)
            row["estimated_value"] = _money(row.pop("value"))
            row["chances_pct"] = _chances(row.pop("chances"))
            row["estimated_close_date"] = _date(row.pop("close"))
            row["state"] = row["status"] if row["status"] in ("won", "lost") else "open"
            row["dv_status"] = _dv_status(row["state"], row["close_code"], statuses, out_sold)
            out.append(row)
        return out

    def _status_codes(self) -> dict[int, str]:
        from relcore_d365sales.api import option_codes

        if not hasattr(self, "_statuses"):
            self._statuses = option_codes(self.session, STATUS_COLUMN)
        return self._statuses

    def select(self, *, since: Any = None, keys: Iterable[str] | None = None) -> list[dict]:
        """Open opportunities (all, or changed at/after ``since`` together with the closed ones
        changed since then), or these keys whatever their status."""
        stmt = self._base()
        if keys is not None:
            rows: list[dict] = []
            wanted = sorted(set(keys))
            for i in range(0, len(wanted), CHUNK):
                rows += self._rows(stmt.where(O.no.in_(wanted[i : i + CHUNK])))
            return rows
        if since is None:
            stmt = stmt.where(O.closed.is_(False))
        else:
            stmt = stmt.where(O.modified_at >= since)
        return self._rows(stmt.order_by(O.no))

    def existing(self, keys: Iterable[str]) -> set[str]:
        """Which of these opportunity numbers exist."""
        wanted = sorted(set(keys))
        found: set[str] = set()
        for i in range(0, len(wanted), CHUNK):
            found |= set(
                self.session.execute(
                    sa.select(O.no).where(O.no.in_(wanted[i : i + CHUNK]))
                ).scalars()
            )
        return found

    # -- writing ---------------------------------------------------------------------------
    def insert(self, rows: list[dict]) -> list[tuple[str, Any]]:
        """Create opportunities from Dataverse rows: Not Started, default sales cycle,
        salesperson from the contact (else the setup's), the values kept pending until the
        first stage is activated; a row already closed in Dataverse is closed the same way."""
        from relcore_opportunities.creating import create_opportunity
        from relcore_opportunities.pending import set_pending

        out = []
        for row in rows:
            contact = row.get("contact_person_no") or row.get("contact_company_no")
            if not contact:
                _fail(
                    "cannot create it from Dataverse: the opportunity has no coupled contact "
                    "(parentcontactid) or account (parentaccountid)",
                    (row.get("_dv") or {}).get("opportunityid"),
                )
            opp = create_opportunity(
                self.session, {"description": row.get("description") or "", "contact_no": contact}
            )
            set_pending(self.session, opp["no"], _entry_values(row), source="d365sales")
            dv = row.get("_dv") or {}
            state = OpportunityState().dv_state(dv)
            if state in ("won", "lost"):
                self._close(opp["no"], state, dv)
            out.append((opp["no"], self.select(keys=[opp["no"]])[0]["modified_at"]))
        return out

    def update(self, key: str, values: dict) -> Any:
        """Write Dataverse changes: fields through ``edit_opportunity``, values as an
        ``update`` entry (or pending values while Not Started), a close through
        ``close_opportunity``. A closed opportunity takes no change; reopening is never
        automatic."""
        from relcore_opportunities.editing import edit_opportunity
        from relcore_opportunities.entries import lock_opportunity

        dv = values.pop("_dv", None) or {}
        opp = lock_opportunity(self.session, key)
        state = values.pop("state", None)
        current = "open" if not opp["closed"] else opp["status"]
        if opp["closed"]:
            if state not in (None, current):
                _fail(
                    f"is {current} in relcore but {state} in Dynamics 365 Sales: relcore never "
                    "reopens or re-closes an opportunity automatically (reopen the Dataverse row "
                    "and close it again, or uncouple it)",
                    key,
                )
            return opp["modified_at"]  # closed: read-only, nothing else changes
        edits: dict[str, Any] = {}
        if "description" in values:
            edits["description"] = values["description"]
        if "contact_person_no" in values or "contact_company_no" in values:
            person = values.get("contact_person_no", _person(opp))
            company = values.get("contact_company_no", opp["contact_company_no"])
            contact = person or company
            if contact and contact != opp["contact_no"]:
                edits["contact_no"] = contact
        if edits:
            edit_opportunity(self.session, key, edits)
        self._values(key, opp, values)
        if state in ("won", "lost"):
            self._close(key, state, dv)
        elif state == "open" and dv.get("statuscode") == 2:
            pass  # On Hold in Dataverse: still in progress here (§D5.6)
        return self.select(keys=[key])[0]["modified_at"]

    def _values(self, key: str, opp: dict, values: dict) -> None:
        changes = _entry_values(values)
        if not changes:
            return
        if opp["status"] == "not_started":
            from relcore_opportunities.pending import set_pending

            set_pending(self.session, key, changes, source="d365sales")
            return
        from relcore_opportunities.entries import active_entries
        from relcore_opportunities.updating import update_opportunity

        active = active_entries(self.session, [key]).get(key) or {}
        update_opportunity(
            self.session,
            key,
            "update",
            estimated_value=changes.get("estimated_value_lcy", active.get("estimated_value_lcy")),
            chances_pct=changes.get("chances_of_success_pct", active.get("chances_of_success_pct")),
            estimated_close_date=changes.get(
                "estimated_close_date", active.get("estimated_close_date")
            ),
        )

    def _close(self, key: str, outcome: str, dv: dict) -> None:
        """Close as in Dataverse, with the same rules as a close from the shell (open tasks
        canceled, a customer link attempted for Won)."""
        from relcore_opportunities.closing import close_opportunity
        from relcore_opportunities.entries import active_entries

        code = self._status_codes().get(dv.get("statuscode"))
        if code is None:
            code = app_of(self.session).setup.get(
                self.session, f"opportunities.d365sales_{outcome}_code"
            )
        if not code:
            from relcore_opportunities.setup_lists import close_codes

            if len(close_codes(self.session, outcome)) != 1:
                _fail(
                    f"no close code for {outcome} opportunities with Dataverse status reason "
                    f"{dv.get('statuscode')}: map it (relcore d365 option-map {STATUS_COLUMN} "
                    f"{dv.get('statuscode')} CODE) or set opportunities.d365sales_{outcome}_code",
                    key,
                )
        sales = None
        if outcome == "won":
            sales = dv.get("actualvalue")
            if sales in (None, "", 0):
                sales = (active_entries(self.session, [key]).get(key) or {}).get(
                    "estimated_value_lcy"
                )
            sales = Decimal(str(sales)) if sales not in (None, "") else None
        close_opportunity(self.session, key, outcome, code=code or None, sales_lcy=sales)


def _person(opp: dict) -> str | None:
    if opp["contact_no"] and opp["contact_no"] != opp["contact_company_no"]:
        return opp["contact_no"]
    return None


def _entry_values(values: dict) -> dict:
    """The mapped value fields present in ``values`` as entry columns (blank → ``None``)."""
    out: dict[str, Any] = {}
    if "estimated_value" in values:
        v = values["estimated_value"]
        out["estimated_value_lcy"] = None if v in ("", None) else Decimal(str(v))
    if "chances_pct" in values:
        v = values["chances_pct"]
        out["chances_of_success_pct"] = None if v in ("", None) else Decimal(str(v))
    if "estimated_close_date" in values:
        v = values["estimated_close_date"]
        out["estimated_close_date"] = (
            None
            if v in ("", None)
            else (v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10]))
        )
    return out


def _dv_status(
    state: str, close_code: str | None, statuses: dict[int, str], out_sold: set[str]
) -> int | None:
    """The Dataverse status reason a local close is sent with: Won 3; Lost 5 (Out-Sold) when the
    option map gives the close code to 5 or ``opportunities.d365sales_out_sold_codes`` names it,
    else 4 (Canceled)."""
    if state == "won":
        return WON_STATUS
    if state == "lost":
        sold = close_code and (
            statuses.get(OUT_SOLD_STATUS) == close_code or close_code in out_sold
        )
        return OUT_SOLD_STATUS if sold else CANCELED_STATUS
    return None


class OpportunityState:
    """Won/lost through ``WinOpportunity`` / ``LoseOpportunity`` (§D5.6); Dataverse's state
    read back (``statecode`` 1 won, 2 lost; open with any status reason, On Hold included)."""

    local_field = "state"
    dv_columns = ("statecode", "statuscode", "actualvalue", "actualclosedate")
    closed_states = ("won", "lost")

    def local_state(self, row: dict) -> str:
        """The local state: ``open`` (Not Started / In Progress), ``won`` or ``lost``."""
        return row.get("state") or "open"

    def dv_state(self, row: dict) -> str:
        """The Dataverse row's state."""
        return {1: "won", 2: "lost"}.get(row.get("statecode"), "open")

    def action(self, local_row: dict, dv_id: str, dv_row: dict) -> tuple[str, dict] | None:
        """The action closing the Dataverse row as the local opportunity is, or ``None``."""
        state = self.local_state(local_row)
        if state == "open" or dv_row.get("statecode") in (1, 2):
            return None
        close: dict[str, Any] = {
            "subject": f"{state.title()} in relcore ({local_row.get('close_code') or ''})".replace(
                " ()", ""
            ),
            "opportunityid@odata.bind": f"/opportunities({dv_id})",
        }
        if local_row.get("date_closed"):
            close["actualend"] = local_row["date_closed"].isoformat()
        if state == "won":
            close["actualrevenue"] = _money(local_row.get("current_value") or 0)
            return "WinOpportunity", {"Status": WON_STATUS, "OpportunityClose": close}
        return "LoseOpportunity", {
            "Status": local_row.get("dv_status") or CANCELED_STATUS,
            "OpportunityClose": close,
        }


def opportunity_mapping() -> Any:
    """The OPPORTUNITY :class:`relcore_d365sales.api.MappingDef`."""
    from relcore_d365sales.api import OWNER_FIELD, FieldMap, MappingDef

    return MappingDef(
        "OPPORTUNITY",
        "opportunities.opportunity",
        "opportunities",
        "opportunityid",
        OpportunityAdapter,
        fields=(
            FieldMap("description", "name"),
            FieldMap(
                "contact_person_no",
                "parentcontactid",
                clear_on_failure=True,
                lookup_mapping="CONTACT",
                dv_nav="parentcontactid",
            ),
            FieldMap(
                "contact_company_no",
                "parentaccountid",
                clear_on_failure=True,
                lookup_mapping="CUSTOMER",
                dv_nav="parentaccountid",
            ),
            FieldMap(
                "contact_company_no",
                "customerid",
                "to_integration",
                clear_on_failure=True,
                lookup_mapping="CUSTOMER",
                dv_nav="customerid_account",
            ),
            OWNER_FIELD,
            FieldMap("estimated_value", "estimatedvalue"),
            FieldMap("estimated_close_date", "estimatedclosedate"),
            FieldMap("chances_pct", "closeprobability"),
            FieldMap(
                "campaign_no",
                "campaignid",
                "to_integration",
                clear_on_failure=True,
                lookup_mapping="CAMPAIGN",
                dv_nav="campaignid",
            ),
        ),
        local_filter="open opportunities and those closed since the last run",
        only_coupled=False,
        dependency_filter="CONTACT",
        state_handler=OpportunityState(),
        priority=50,
    )
