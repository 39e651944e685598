"""The Dataverse Web API request dispatcher (Parts B6-B17, Part E1-E6).

Transport-independent: :meth:`WebApi.handle` takes an :class:`ApiRequest` (already
authenticated) and returns an :class:`ApiResponse` or raises :class:`ApiError`. The WSGI app
and the ``$batch`` executor both call it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from werkzeug.datastructures import Headers, MultiDict

from . import metadata, schema
from .errors import (
    CONCURRENCY_VERSION_MISMATCH,
    DUPLICATE_KEY_MESSAGE,
    DUPLICATE_RECORD,
    INVALID_ARGUMENT,
    INVALID_STATE,
    METHOD_NOT_ALLOWED,
    NOT_IMPLEMENTED,
    OBJECT_DOES_NOT_EXIST,
    QUERY_NOT_SUPPORTED,
    VERSION_MISMATCH_MESSAGE,
    ApiError,
    not_found,
)
from .keys import parse_key, parse_reference, parse_segment, split_path
from .odata_query import compile_filter, parse_orderby, parse_select, sort_rows
from .paging import Cursor
from .prefer import Preferences, parse_prefer
from .render import etag, render_row
from .values import from_json
from .writes import apply_state, body_to_values, resolve_key

if TYPE_CHECKING:
    from .app import Emulator

MAX_PAGE = 5000


@dataclass
class ApiRequest:
    """One Web API request relative to the service root (``path`` has no leading slash)."""

    method: str
    path: str
    args: MultiDict
    headers: Headers
    body: bytes
    service_root: str
    caller: str

    def json(self) -> object:
        """The JSON body (numbers with a fraction parse as ``Decimal``); 400 when invalid."""
        if not self.body:
            return {}
        try:
            return json.loads(self.body, parse_float=Decimal)
        except ValueError:
            raise ApiError(400, INVALID_ARGUMENT, "The request body is not valid JSON.") from None


@dataclass
class ApiResponse:
    """Status, headers and an optional JSON body (``dict``) or raw ``text``."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict | None = None
    text: str | None = None


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(repr(value))


def dump_json(data: object) -> str:
    """Serialise a response body (Decimals as JSON numbers)."""
    return json.dumps(data, default=_json_default)


class WebApi:
    """Handlers for entity sets, single records, properties, ``$ref`` and actions."""

    def __init__(self, emulator: Emulator) -> None:
        self.emu = emulator

    # -- dispatch -------------------------------------------------------------------------
    def handle(self, req: ApiRequest) -> ApiResponse:
        """Route ``req`` and run it under the store lock; raises :class:`ApiError`."""
        prefs = parse_prefer(req.headers.getlist("Prefer"))
        with self.emu.store.lock:
            response = self._route(req, prefs)
        applied = prefs.header()
        if applied:
            response.headers.setdefault("Preference-Applied", applied)
        return response

    def _route(self, req: ApiRequest, prefs: Preferences) -> ApiResponse:
        parts = split_path(req.path)
        if not parts:
            raise ApiError(404, OBJECT_DOES_NOT_EXIST, "Resource not found for the segment ''.")
        name, key = parse_segment(parts[0])
        method = req.method.upper()
        if name in ("WhoAmI",) and len(parts) == 1:
            return self._expect(method, "GET") or self.who_am_i(req)
        if name in ("WinOpportunity", "LoseOpportunity") and len(parts) == 1:
            return self._expect(method, "POST") or self.close_opportunity(req, name)
        if name == "EntityDefinitions" and len(parts) == 1:
            return self._expect(method, "GET") or self.entity_definitions(req, key)
        if name not in self.emu.store.tables:
            raise ApiError(
                404, OBJECT_DOES_NOT_EXIST, f"Resource not found for the segment '{name}'."
            )
        table = self.emu.store.table(name)
        if (
            name == "systemusers"
            and key is not None
            and parts[1:] == ["Microsoft.Dynamics.CRM.RetrieveUserPrivileges()"]
        ):
            return self._expect(method, "GET") or self.user_privileges(req, parse_key(key))
        self.emu.privileges.require(req.caller, table, _privilege_kind(method, key, parts))
        if key is None:
            if len(parts) == 2 and parts[1] == "$count" and method == "GET":
                return self.count(req, table)
            if len(parts) != 1:
                raise ApiError(404, OBJECT_DOES_NOT_EXIST, f"Resource not found: {req.path}.")
            if method == "GET":
                return self.query(req, table, prefs)
            if method == "POST":
                return self.create(req, table, prefs)
            raise ApiError(405, METHOD_NOT_ALLOWED, f"{method} is not allowed on a collection.")
        parsed_key = parse_key(key)
        if len(parts) == 1:
            if method == "GET":
                return self.retrieve(req, table, parsed_key, prefs)
            if method == "PATCH":
                return self.upsert(req, table, parsed_key, prefs)
            if method == "DELETE":
                return self.delete(req, table, parsed_key)
            raise ApiError(405, METHOD_NOT_ALLOWED, f"{method} is not allowed on a record.")
        if len(parts) == 3 and parts[2] == "$ref":
            return self.reference(req, table, parsed_key, parts[1])
        if len(parts) == 2:
            return self.property(req, table, parsed_key, parts[1])
        raise ApiError(404, OBJECT_DOES_NOT_EXIST, f"Resource not found: {req.path}.")

    @staticmethod
    def _expect(method: str, wanted: str) -> ApiResponse | None:
        if method != wanted:
            raise ApiError(405, METHOD_NOT_ALLOWED, f"{method} is not allowed here.")
        return None

    def _context(
        self, req: ApiRequest, table: schema.TableDef, select: list[str] | None, suffix: str = ""
    ) -> str:
        cols = f"({','.join(select)})" if select else ""
        return f"{req.service_root}$metadata#{table.entity_set}{cols}{suffix}"

    def _entity_id(self, req: ApiRequest, table: schema.TableDef, record_id: str) -> str:
        return f"{req.service_root}{table.entity_set}({record_id})"

    def _writable(self, table: schema.TableDef) -> None:
        if not table.api_writable:
            raise ApiError(
                403,
                "0x80040220",
                f"Principal user is missing prv{table.logical_name} write privilege "
                f"(PrivilegeDenied).",
            )

    # -- functions and actions --------------------------------------------------------------
    def who_am_i(self, req: ApiRequest) -> ApiResponse:
        """``GET WhoAmI`` (Part E1 item 3)."""
        return ApiResponse(
            200,
            body={
                "@odata.context": (
                    f"{req.service_root}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse"
                ),
                "BusinessUnitId": self.emu.store.business_unit_id,
                "UserId": req.caller,
                "OrganizationId": self.emu.organization_id,
            },
        )

    def entity_definitions(self, req: ApiRequest, key: str | None) -> ApiResponse:
        """``GET EntityDefinitions[(key)]`` with ``$select``/``$filter`` (:mod:`.metadata`)."""
        meta = metadata.ENTITY_DEFINITIONS
        rows = [metadata.entity_definition(t) for t in self.emu.store.tables.values()]
        select = parse_select(meta, req.args.get("$select"))
        if key is not None:
            parsed = parse_key(key)
            wanted = parsed if isinstance(parsed, dict) else {"MetadataId": parsed}
            found = [r for r in rows if all(r.get(k) == v for k, v in wanted.items())]
            if not found:
                raise ApiError(
                    404, OBJECT_DOES_NOT_EXIST, f"Could not find an entity with key {key}."
                )
            body = {"@odata.context": f"{req.service_root}$metadata#EntityDefinitions/$entity"}
            body.update(_project(found[0], select))
            return ApiResponse(200, body=body)
        if req.args.get("$filter"):
            pred = compile_filter(meta, req.args["$filter"])
            rows = [r for r in rows if pred(r)]
        return ApiResponse(
            200,
            body={
                "@odata.context": f"{req.service_root}$metadata#EntityDefinitions",
                "value": [_project(r, select) for r in rows],
            },
        )

    def user_privileges(self, req: ApiRequest, key: object) -> ApiResponse:
        """``systemusers(<id>)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()``."""
        users = self.emu.store.table("systemusers")
        user_id, row = resolve_key(self.emu.store, users, key)
        if row is None:
            raise not_found("systemuser", str(user_id or key))
        privileges = self.emu.privileges.of_user(
            row["systemuserid"], self.emu.store.tables, self.emu.store.business_unit_id
        )
        return ApiResponse(
            200,
            body={
                "@odata.context": (
                    f"{req.service_root}$metadata#"
                    "Microsoft.Dynamics.CRM.RetrieveUserPrivilegesResponse"
                ),
                "RolePrivileges": privileges,
            },
        )

    def close_opportunity(self, req: ApiRequest, action: str) -> ApiResponse:
        """``WinOpportunity`` / ``LoseOpportunity`` (Part B15, Part E5 item 25)."""
        body = req.json()
        if not isinstance(body, dict) or not isinstance(body.get("OpportunityClose"), dict):
            raise ApiError(400, INVALID_ARGUMENT, "OpportunityClose is required.")
        status = body.get("Status")
        allowed = (3,) if action == "WinOpportunity" else (4, 5)
        if isinstance(status, bool) or status not in allowed:
            raise ApiError(400, INVALID_STATE, f"{status} is not a valid status for {action}.")
        close = dict(body["OpportunityClose"])
        ref = close.pop("opportunityid@odata.bind", None)
        if not isinstance(ref, str):
            raise ApiError(400, INVALID_ARGUMENT, "OpportunityClose.opportunityid is required.")
        store, opps = self.emu.store, self.emu.store.table("opportunities")
        self.emu.privileges.require(req.caller, opps, "Write")
        self.emu.privileges.require(req.caller, store.table("opportunitycloses"), "Create")
        _, key = parse_reference(ref)
        opp_id, opp = resolve_key(store, opps, key)
        if opp is None:
            raise not_found("opportunity", str(opp_id or key))
        if opp["statecode"] != 0:
            raise ApiError(400, INVALID_STATE, "The opportunity is already closed.")
        closes = store.table("opportunitycloses")
        values = body_to_values(store, closes, close, creating=True)
        values["_opportunityid_value"] = opp_id
        values.update(statecode=1, statuscode=2)
        now = self.emu.clock.now()
        store.insert("opportunitycloses", values, req.caller, now)
        changes = {
            "statecode": 1 if action == "WinOpportunity" else 2,
            "statuscode": status,
            "actualclosedate": values.get("actualend") or now.date(),
        }
        if values.get("actualrevenue") is not None:
            changes["actualvalue"] = values["actualrevenue"]
        store.update("opportunities", opp_id, changes, req.caller, now)
        return ApiResponse(204)

    # -- reads ------------------------------------------------------------------------------
    def retrieve(
        self, req: ApiRequest, table: schema.TableDef, key: object, prefs: Preferences
    ) -> ApiResponse:
        """``GET /<set>(<key>)`` with ``$select``/``$expand``; conditional GET (Part E3)."""
        record_id, row = resolve_key(self.emu.store, table, key)
        if row is None:
            raise not_found(table.logical_name, str(record_id or key))
        select = parse_select(table, req.args.get("$select"))
        expand = self._expand(table, req.args.get("$expand"))
        annotations = self._annotations(prefs)
        tag = etag(row)
        if req.headers.get("If-None-Match") == tag and not expand and not annotations:
            return ApiResponse(304, {"ETag": tag})
        body = {"@odata.context": self._context(req, table, select, "/$entity")}
        body.update(render_row(self.emu.store, table, row, select, annotations, expand))
        return ApiResponse(200, {"ETag": tag}, body)

    def _annotations(self, prefs: Preferences) -> str | None:
        if prefs.include_annotations:
            prefs.apply(f'odata.include-annotations="{prefs.include_annotations}"')
        return prefs.include_annotations

    def _expand(self, table: schema.TableDef, text: str | None) -> list:
        """Parse single-valued ``$expand=nav($select=a,b),nav2`` (Part E3 item 17)."""
        if not text:
            return []
        items, depth, buf = [], 0, ""
        for ch in text + ",":
            if ch == "," and depth == 0:
                items.append(buf.strip())
                buf = ""
                continue
            depth += (ch == "(") - (ch == ")")
            buf += ch
        result = []
        for item in filter(None, items):
            nav, _, options = item.partition("(")
            lookup = table.lookup_by_nav(nav)
            if lookup is None:
                raise ApiError(
                    400, INVALID_ARGUMENT, f"Could not find a navigation property named '{nav}'."
                )
            nested = None
            for option in options.rstrip(")").split(";"):
                if option.startswith("$select="):
                    target = self.emu.store.table(lookup.navs[nav])
                    nested = parse_select(target, option[len("$select=") :])
            result.append((nav, nested))
        return result

    def count(self, req: ApiRequest, table: schema.TableDef) -> ApiResponse:
        """``GET /<set>/$count`` (plain number; with ``$deltatoken`` the number of changes)."""
        token = req.args.get("$deltatoken")
        if token:
            since = self._delta_version(token)
            changed, deleted = self._changes(table, since)
            return ApiResponse(
                200, {"Content-Type": "text/plain"}, text=str(len(changed) + len(deleted))
            )
        rows = list(self.emu.store.rows[table.entity_set].values())
        if req.args.get("$filter"):
            pred = compile_filter(table, req.args["$filter"])
            rows = [r for r in rows if pred(r)]
        return ApiResponse(200, {"Content-Type": "text/plain"}, text=str(min(len(rows), MAX_PAGE)))

    def query(self, req: ApiRequest, table: schema.TableDef, prefs: Preferences) -> ApiResponse:
        """Collection ``GET`` with filter/order/top/count, paging and change tracking."""
        args = req.args
        if "$skip" in args:
            raise ApiError(400, QUERY_NOT_SUPPORTED, "The query parameter $skip is not supported.")
        if prefs.maxpagesize:
            prefs.apply(f"odata.maxpagesize={prefs.maxpagesize}")
        page_size = prefs.maxpagesize or MAX_PAGE
        if "$skiptoken" in args:
            return self._next_page(req, table, args["$skiptoken"], page_size)
        select = parse_select(table, args.get("$select"))
        annotations = self._annotations(prefs)
        if "$deltatoken" in args:
            return self._delta(req, table, select, annotations, args["$deltatoken"], page_size)
        if prefs.track_changes:
            for option in ("$filter", "$orderby", "$expand", "$top"):
                if option in args:
                    raise ApiError(
                        400,
                        QUERY_NOT_SUPPORTED,
                        f'The "{option}" query parameter isn\'t supported when Change '
                        f"Tracking is enabled.",
                    )
            if not table.change_tracking:
                raise ApiError(
                    400,
                    QUERY_NOT_SUPPORTED,
                    f"Change tracking is not enabled for entity {table.logical_name}.",
                )
            prefs.apply("odata.track-changes")
        rows = list(self.emu.store.rows[table.entity_set].values())
        if args.get("$filter"):
            pred = compile_filter(table, args["$filter"])
            rows = [r for r in rows if pred(r)]
        rows = sort_rows(rows, parse_orderby(table, args.get("$orderby")), table.primary_key)
        if "$top" in args and not prefs.maxpagesize:
            try:
                top = int(args["$top"])
            except ValueError:
                raise ApiError(400, INVALID_ARGUMENT, "Invalid $top value.") from None
            rows = rows[: max(0, top)]
        count = min(len(rows), MAX_PAGE) if args.get("$count", "").lower() == "true" else None
        expand = self._expand(table, args.get("$expand"))
        rendered = [render_row(self.emu.store, table, r, select, annotations, expand) for r in rows]
        delta_link = None
        if prefs.track_changes:
            delta_link = self._delta_link(req, table, args.get("$select"))
        cursor = Cursor(rendered, self._context(req, table, select), delta_link, count)
        return self._page(req, table, cursor, None, 0, page_size)

    def _page(
        self,
        req: ApiRequest,
        table: schema.TableDef,
        cursor: Cursor,
        cursor_id: str | None,
        offset: int,
        page_size: int,
    ) -> ApiResponse:
        rows = cursor.rows[offset : offset + page_size]
        body: dict = {"@odata.context": cursor.context}
        if cursor.count is not None:
            body["@odata.count"] = cursor.count
        body["value"] = rows
        end = offset + len(rows)
        if end < len(cursor.rows):
            pager = self.emu.pager
            token = pager.token(cursor_id, end) if cursor_id else pager.store(cursor, end)
            params = [(k, v) for k, v in req.args.items(multi=True) if k != "$skiptoken"]
            params.append(("$skiptoken", token))
            body["@odata.nextLink"] = (
                f"{req.service_root}{table.entity_set}?"
                f"{urlencode(params, quote_via=quote, safe='$,')}"
            )
        elif cursor.delta_link:
            body["@odata.deltaLink"] = cursor.delta_link
        return ApiResponse(200, body=body)

    def _next_page(
        self, req: ApiRequest, table: schema.TableDef, token: str, page_size: int
    ) -> ApiResponse:
        cursor_id, cursor, offset = self.emu.pager.resolve(token)
        return self._page(req, table, cursor, cursor_id, offset, page_size)

    def _delta_link(self, req: ApiRequest, table: schema.TableDef, select_text: str | None) -> str:
        token = self.emu.pager.delta_token(self.emu.store.version, self.emu.clock.peek())
        params = [("$select", select_text)] if select_text else []
        params.append(("$deltatoken", token))
        return (
            f"{req.service_root}{table.entity_set}?{urlencode(params, quote_via=quote, safe='$,')}"
        )

    def _delta_version(self, token: str) -> int:
        return self.emu.pager.parse_delta(
            token, self.emu.clock.peek(), self.emu.config.delta_token_max_age_days
        )

    def _changes(self, table: schema.TableDef, since: int) -> tuple[list[dict], list]:
        rows = [
            r for r in self.emu.store.rows[table.entity_set].values() if r["versionnumber"] > since
        ]
        rows.sort(key=lambda r: r["versionnumber"])
        live = self.emu.store.rows[table.entity_set]
        seen: set[str] = set()
        deleted = []
        for stone in self.emu.store.tombstones:
            if (
                stone.entity_set == table.entity_set
                and stone.version > since
                and stone.record_id not in live
                and stone.record_id not in seen
            ):
                seen.add(stone.record_id)
                deleted.append(stone)
        return rows, deleted

    def _delta(
        self,
        req: ApiRequest,
        table: schema.TableDef,
        select: list[str] | None,
        annotations: str | None,
        token: str,
        page_size: int,
    ) -> ApiResponse:
        """Answer a delta-link request: changed rows first, then deletions (Part E6 item 27)."""
        since = self._delta_version(token)
        changed, deleted = self._changes(table, since)
        rendered = [render_row(self.emu.store, table, r, select, annotations) for r in changed]
        deleted_context = f"{req.service_root}$metadata#{table.entity_set}/$deletedEntity"
        rendered += [
            {"@odata.context": deleted_context, "id": s.record_id, "reason": "deleted"}
            for s in deleted
        ]
        cursor = Cursor(
            rendered,
            self._context(req, table, select, "/$delta"),
            self._delta_link(req, table, req.args.get("$select")),
            None,
        )
        return self._page(req, table, cursor, None, 0, page_size)

    # -- writes -----------------------------------------------------------------------------
    def create(self, req: ApiRequest, table: schema.TableDef, prefs: Preferences) -> ApiResponse:
        """``POST /<set>`` (Part B9, Part E4 item 19)."""
        self._writable(table)
        store = self.emu.store
        values = body_to_values(store, table, req.json(), creating=True)
        pk = values.get(table.primary_key)
        if pk and store.get(table.entity_set, pk) is not None:
            status = self.emu.config.duplicate_status
            raise ApiError(
                status, DUPLICATE_RECORD, "Cannot insert duplicate key. " + DUPLICATE_KEY_MESSAGE
            )
        apply_state(table, None, values)
        self._check_opportunity_create(table, values)
        row = store.insert(table.entity_set, values, req.caller, self.emu.clock.now())
        return self._write_response(req, table, row, prefs, created=True)

    def _write_response(
        self, req: ApiRequest, table: schema.TableDef, row: dict, prefs: Preferences, created: bool
    ) -> ApiResponse:
        headers = {"ETag": etag(row)}
        if prefs.return_representation:
            prefs.apply("return=representation")
            select = parse_select(table, req.args.get("$select"))
            body = {"@odata.context": self._context(req, table, select, "/$entity")}
            body.update(render_row(self.emu.store, table, row, select, self._annotations(prefs)))
            return ApiResponse(201 if created else 200, headers, body)
        headers["OData-EntityId"] = self._entity_id(req, table, row[table.primary_key])
        return ApiResponse(204, headers)

    def _check_opportunity_create(self, table: schema.TableDef, values: dict) -> None:
        """Create rules of Sales tables: an opportunity starts open (closing needs the actions),
        a campaign without a code gets a generated ``codename`` (``CMP-01001-7K2Q9X``, §B4)."""
        if table.logical_name == "campaign" and not values.get("codename"):
            number = 1001 + len(self.emu.store.rows[table.entity_set])
            suffix = uuid.uuid4().hex[:6].upper()
            values["codename"] = f"CMP-{number:05d}-{suffix}"
        if table.logical_name == "opportunity" and values.get("statecode") not in (None, 0):
            raise ApiError(
                400, INVALID_STATE, "Opportunities are closed with WinOpportunity/LoseOpportunity."
            )

    def upsert(
        self, req: ApiRequest, table: schema.TableDef, key: object, prefs: Preferences
    ) -> ApiResponse:
        """``PATCH /<set>(<key>)``: update, conditional update or upsert (Part B10-B12, E4.20)."""
        self._writable(table)
        store = self.emu.store
        record_id, row = resolve_key(store, table, key)
        if_match = req.headers.get("If-Match")
        if_none_match = req.headers.get("If-None-Match")
        if if_none_match == "null":
            if_none_match = None  # the B3 default header is not a condition
        body = req.json()
        if if_match is not None:
            if row is None:
                raise not_found(table.logical_name, str(record_id or key))
            self._check_etag(row, if_match)
        if row is not None and if_none_match == "*":
            raise ApiError(412, DUPLICATE_RECORD, DUPLICATE_KEY_MESSAGE)
        if row is None:
            self.emu.privileges.require(req.caller, table, "Create")
            values = body_to_values(store, table, body, creating=True)
            if isinstance(key, dict):
                for name, value in key.items():
                    values.setdefault(name, from_json(table.columns[name], value))
            else:
                values[table.primary_key] = record_id
            apply_state(table, None, values)
            self._check_opportunity_create(table, values)
            new = store.insert(table.entity_set, values, req.caller, self.emu.clock.now())
            return self._write_response(req, table, new, prefs, created=True)
        values = body_to_values(
            store, table, body, creating=False, record_id=row[table.primary_key]
        )
        if isinstance(key, dict):
            for name in key:
                values.pop(name, None)
        self._check_opportunity_update(table, row, values)
        apply_state(table, row, values)
        updated = store.update(
            table.entity_set, row[table.primary_key], values, req.caller, self.emu.clock.now()
        )
        return self._write_response(req, table, updated, prefs, created=False)

    def _check_etag(self, row: dict, if_match: str) -> None:
        if if_match.strip() == "*":
            return
        tags = [t.strip() for t in if_match.split(",")]
        if etag(row) not in tags:
            raise ApiError(412, CONCURRENCY_VERSION_MISMATCH, VERSION_MISMATCH_MESSAGE)

    def _check_opportunity_update(self, table: schema.TableDef, row: dict, values: dict) -> None:
        """Closed opportunities are read-only; closing needs actions (Part E4 item 24, E5.26)."""
        if table.logical_name != "opportunity":
            return
        new_state = values.get("statecode")
        if new_state in (1, 2) or values.get("statuscode") in (3, 4, 5):
            raise ApiError(
                400, INVALID_STATE, "Use WinOpportunity or LoseOpportunity to close an opportunity."
            )
        if row["statecode"] in (1, 2) and new_state != 0:
            raise ApiError(
                400,
                INVALID_STATE,
                "The opportunity is closed and cannot be modified; reopen it first.",
            )
        if row["statecode"] in (1, 2):
            values.setdefault("actualclosedate", None)

    def delete(self, req: ApiRequest, table: schema.TableDef, key: object) -> ApiResponse:
        """``DELETE /<set>(<key>)`` (Part B13, Part E4 item 22)."""
        self._writable(table)
        record_id, row = resolve_key(self.emu.store, table, key)
        if row is None:
            raise not_found(table.logical_name, str(record_id or key))
        if_match = req.headers.get("If-Match")
        if if_match:
            self._check_etag(row, if_match)
        self.emu.store.delete(table.entity_set, row[table.primary_key], self.emu.clock.now())
        return ApiResponse(204)

    def property(
        self, req: ApiRequest, table: schema.TableDef, key: object, name: str
    ) -> ApiResponse:
        """Single property ``GET``/``PUT``/``DELETE`` (Part B10)."""
        record_id, row = resolve_key(self.emu.store, table, key)
        if row is None:
            raise not_found(table.logical_name, str(record_id or key))
        method = req.method.upper()
        if method == "GET":
            if name in table.lookups:
                name = table.lookups[name].value_column
            if not table.is_column(name):
                raise ApiError(400, INVALID_ARGUMENT, f"Could not find a property named '{name}'.")
            rendered = render_row(self.emu.store, table, row, [name])
            return ApiResponse(200, body={"value": rendered[name]})
        if method not in ("PUT", "DELETE"):
            raise ApiError(405, METHOD_NOT_ALLOWED, f"{method} is not allowed on a property.")
        self._writable(table)
        value = None
        if method == "PUT":
            body = req.json()
            if not isinstance(body, dict) or "value" not in body:
                raise ApiError(400, INVALID_ARGUMENT, 'The body must be {"value": ...}.')
            value = body["value"]
        values = body_to_values(
            self.emu.store, table, {name: value}, creating=False, record_id=row[table.primary_key]
        )
        self._check_opportunity_update(table, row, values)
        apply_state(table, row, values)
        self.emu.store.update(
            table.entity_set, row[table.primary_key], values, req.caller, self.emu.clock.now()
        )
        return ApiResponse(204)

    def reference(
        self, req: ApiRequest, table: schema.TableDef, key: object, nav: str
    ) -> ApiResponse:
        """Single-valued ``$ref`` associate (PUT) / disassociate (DELETE) (Part B14)."""
        self._writable(table)
        record_id, row = resolve_key(self.emu.store, table, key)
        if row is None:
            raise not_found(table.logical_name, str(record_id or key))
        method = req.method.upper()
        if table.lookup_by_nav(nav) is None:
            raise ApiError(
                501,
                NOT_IMPLEMENTED,
                f"Collection-valued navigation '{nav}' is not supported by the emulator.",
            )
        if method == "PUT":
            body = req.json()
            ref = body.get("@odata.id") if isinstance(body, dict) else None
            if not isinstance(ref, str):
                raise ApiError(400, INVALID_ARGUMENT, "The body must carry @odata.id.")
            payload = {f"{nav}@odata.bind": ref}
        elif method == "DELETE":
            payload = {f"{nav}@odata.bind": None}
        else:
            raise ApiError(405, METHOD_NOT_ALLOWED, f"{method} is not allowed on $ref.")
        values = body_to_values(
            self.emu.store, table, payload, creating=False, record_id=row[table.primary_key]
        )
        self.emu.store.update(
            table.entity_set, row[table.primary_key], values, req.caller, self.emu.clock.now()
        )
        return ApiResponse(204)


def _privilege_kind(method: str, key: str | None, parts: list[str]) -> str:
    """The privilege type a request on a table needs (``Read``, ``Create``, ``Write``,
    ``Delete``)."""
    if method == "GET":
        return "Read"
    if key is None:
        return "Create"
    if method == "DELETE" and len(parts) == 1:
        return "Delete"
    return "Write"


def _project(row: dict, select: list[str] | None) -> dict:
    return dict(row) if not select else {k: row[k] for k in select if k in row}
