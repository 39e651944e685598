"""Pure number-text functions of BC's number series (§1.2.3, §1.2.5): no database here.

Numbers are ``Code[20]`` texts whose *last run of digits* is the counter (``CT000001``,
``S24-0001``, ``X9Y``); prefix and suffix are kept as they are.
"""

from __future__ import annotations

import re

from relcore.errors import NumberSeriesError

MAX_NO_LENGTH = 20
"""Numbers are ``Code[20]`` (§1.2.1)."""

_LAST_DIGITS = re.compile(r"(\d+)(\D*)$")
_DIGITS = str.maketrans("", "", "0123456789")

TOO_LONG_ERR = "The number {} cannot be extended to more than 20 characters."
MUST_HAVE_NUMBER_ERR = (
    "The value in the {} field must have a number so that we can assign the next number in the "
    "series."
)
SAME_FORMAT_ERR = "The number format in {} must be the same as the number format in Last No. Used."


def digit_run(no: str) -> tuple[int, int] | None:
    """``(start, end)`` of the last digit run of ``no`` (BC ``GetIntegerPos``), or None."""
    m = _LAST_DIGITS.search(no)
    return (m.start(1), m.end(1)) if m else None


def no_text(no: str) -> str:
    """The last digit run of ``no`` (BC ``GetNoText``): ``"CT000120"`` → ``"000120"``."""
    pos = digit_run(no)
    return no[pos[0] : pos[1]] if pos else ""


def replace_no_text(no: str, new_digits: str, fixed_length: int = 0) -> str:
    """Put ``new_digits`` into the last digit run of ``no``, zero-padded (BC ``ReplaceNoText``).

    The run keeps its original width (or ``fixed_length`` when larger) and grows when the new
    digits are longer. Raises "cannot be extended to more than 20 characters" (§1.2.3).
    """
    pos = digit_run(no)
    if pos is None:
        start, end = len(no), len(no)
    else:
        start, end = pos
    width = max(end - start, fixed_length)
    result = no[:start] + new_digits.rjust(width, "0") + no[end:]
    if len(result) > MAX_NO_LENGTH:
        raise NumberSeriesError(TOO_LONG_ERR.format(no))
    return result


def inc_str(s: str) -> str:
    """BC ``IncStr``: add 1 to the last digit run, keeping zero padding (§1.2.3).

    ``CT000009`` → ``CT000010``, ``A99`` → ``A100``, ``X9Y`` → ``X10Y``; ``''`` when ``s`` has no
    digit. A hyphen before the digits is part of the prefix, not a minus sign (§1.2.3 note).
    """
    m = _LAST_DIGITS.search(s)
    if m is None:
        return ""
    digits = m.group(1)
    return s[: m.start(1)] + str(int(digits) + 1).rjust(len(digits), "0") + m.group(2)


def increment_no_text(no: str, n: int) -> str:
    """BC ``IncrementNoText``: add ``n`` to the last digit run (§1.2.3).

    ``C00090`` +10 → ``C00100``; ``B990`` +10 → ``B1000``. Raises "cannot be extended to more than
    20 characters" when the result is too long, and "must have a number" when ``no`` has no digit.
    """
    m = _LAST_DIGITS.search(no)
    if m is None:
        raise NumberSeriesError(MUST_HAVE_NUMBER_ERR.format("No."))
    digits = m.group(1)
    result = no[: m.start(1)] + str(int(digits) + n).rjust(len(digits), "0") + m.group(2)
    if len(result) > MAX_NO_LENGTH:
        raise NumberSeriesError(TOO_LONG_ERR.format(no))
    return result


def next_after(last_no_used: str, starting_no: str, increment_by: int) -> str:
    """The number a draw produces (§1.2.3): Starting No. first, then IncStr / IncrementNoText."""
    if not last_no_used:
        return starting_no
    if increment_by <= 1:
        result = inc_str(last_no_used)
        if len(result) > MAX_NO_LENGTH:
            raise NumberSeriesError(TOO_LONG_ERR.format(last_no_used))
        return result
    return increment_no_text(last_no_used, increment_by)


def is_within_range(no: str, starting_no: str, ending_no: str) -> bool:
    """BC ``NoIsWithinValidRange`` (§1.2.3): plain string comparisons, same format, same width."""
    if not no:
        return False
    if starting_no and no < starting_no:
        return False
    if ending_no and no > ending_no:
        return False
    if len(no) < len(starting_no):
        return False
    if ending_no and len(no) > len(ending_no):
        return False
    return not (starting_no and no.translate(_DIGITS) != starting_no.translate(_DIGITS))


def calculate_open(last_no_used: str, ending_no: str, increment_by: int) -> bool:
    """BC ``CalculateOpen`` (§1.2.3): false once the line cannot issue another number."""
    if not ending_no or not last_no_used:
        return True
    if last_no_used >= ending_no or len(last_no_used) > len(ending_no):
        return False
    if increment_by != 1:
        try:
            nxt = increment_no_text(last_no_used, increment_by)
        except NumberSeriesError:
            return False
        if nxt > ending_no or len(nxt) > len(ending_no):
            return False
    return True


def _significant_length(no: str) -> int:
    return len(no_text(no).lstrip("0"))


def _reformat(no: str, template: str, length: int) -> str:
    # BC UpdateNo: the significant digits of `no` in the prefix/suffix of `template`.
    digits = no_text(no).lstrip("0")
    return replace_no_text(template, digits, length)


FIELD_CAPTIONS = {
    "starting_no": "Starting No.",
    "ending_no": "Ending No.",
    "warning_no": "Warning No.",
    "last_no_used": "Last No. Used",
}


def harmonise(values: dict[str, str], field: str, new_no: str) -> dict[str, str]:
    """BC ``UpdateNoSeriesLine`` (§1.2.5): enter ``new_no`` in ``field`` of a line's numbers.

    ``values`` maps ``starting_no``, ``ending_no``, ``warning_no``, ``last_no_used`` to texts
    (``''`` = blank). The new value must contain a digit; when it has a prefix or suffix, the
    other numbers are re-formatted to it with a common zero-padded width. Returns the new values.
    """
    caption = FIELD_CAPTIONS[field]
    result = dict(values)
    result[field] = new_no
    if not new_no:
        return result
    if inc_str(new_no) == "":
        raise NumberSeriesError(MUST_HAVE_NUMBER_ERR.format(caption))
    if new_no == no_text(new_no):
        return result
    length = len(no_text(new_no))
    for key in FIELD_CAPTIONS:
        if result[key]:
            length = max(length, _significant_length(result[key]))
    for key in FIELD_CAPTIONS:
        if result[key]:
            result[key] = _reformat(result[key], new_no, length)
    if field != "last_no_used" and result["last_no_used"] != values["last_no_used"]:
        raise NumberSeriesError(SAME_FORMAT_ERR.format(caption))
    return result
