"""Dataverse error codes and the JSON error shape (Part B19, Part E1 item 5).

Every failure inside the emulator is raised as :class:`ApiError` and rendered as
``{"error": {"code": "0x…", "message": "…"}}``. Hex codes follow Dataverse where known; codes
marked *unverified* in the reference (Appendix 1) are best guesses and kept in one place.
"""

from __future__ import annotations

OBJECT_DOES_NOT_EXIST = "0x80040217"  # 404 on a missing record (code unverified, B6)
DUPLICATE_RECORD = "0x80040237"  # 412 on duplicate key / If-None-Match: * (B9, B11)
CONCURRENCY_VERSION_MISMATCH = "0x80060882"  # 412 on If-Match mismatch (B12)
INVALID_PROPERTY = "0x80060888"  # 400 unknown column in $select/$filter/body (E1.5)
QUERY_NOT_SUPPORTED = "0x8006088a"  # 400 unsupported query option ($skip, track-changes combos)
VALIDATION = "0x80044331"  # 400 validation error (length, type, required) (B19)
INVALID_ARGUMENT = "0x80040203"  # 400 generic invalid argument
INVALID_STATE = "0x80043e09"  # 400 read-only/closed record, bad state transition (E4.24)
PRIVILEGE_DENIED = "0x80040220"  # 403
AUTH_FAILED = "0x80072560"  # 401 missing/invalid/expired token (unverified)
REQUESTS_LIMIT = "0x80072322"  # 429 number of requests (B18)
EXECUTION_TIME_LIMIT = "0x80072321"  # 429 execution time (B18)
CONCURRENCY_LIMIT = "0x80072326"  # 429 concurrent requests (B18)
EXPIRED_DELTA_TOKEN = "0x80044352"  # 400 expired change-tracking token (unverified, Appendix 1)
SERVICE_UNAVAILABLE = "0x80040216"  # 5xx injected faults
METHOD_NOT_ALLOWED = "0x80060887"  # 405
NOT_IMPLEMENTED = "0x8006088b"  # 501

REQUESTS_LIMIT_MESSAGE = (
    "Number of requests exceeded the limit of {limit} over time window of {window} seconds."
)
CONCURRENCY_LIMIT_MESSAGE = "Number of concurrent requests exceeded the limit of {limit}."
VERSION_MISMATCH_MESSAGE = (
    "The version of the existing record doesn't match the RowVersion property provided."
)
DUPLICATE_KEY_MESSAGE = "A record with matching key values already exists."


class ApiError(Exception):
    """An error answer of the Web API: HTTP ``status``, Dataverse hex ``code``, ``message``.

    :param headers: extra response headers (e.g. ``Retry-After`` on 429).
    """

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})

    def body(self) -> dict:
        """Return the Dataverse JSON error body (Part B19)."""
        return {"error": {"code": self.code, "message": self.message}}


def not_found(logical_name: str, record_id: str) -> ApiError:
    """404 for a missing record, message shaped as in Part E3 item 12."""
    return ApiError(
        404, OBJECT_DOES_NOT_EXIST, f"{logical_name} With Id = {record_id} Does Not Exist"
    )


def bad_property(name: str, logical_name: str) -> ApiError:
    """400 for a column unknown to the table (Part E1 item 5)."""
    return ApiError(
        400,
        INVALID_PROPERTY,
        f"Could not find a property named '{name}' on type "
        f"'Microsoft.Dynamics.CRM.{logical_name}'.",
    )


def validation(message: str) -> ApiError:
    """400 validation error (Part B19)."""
    return ApiError(400, VALIDATION, message)
