"""Contact names: name breakdown, calculated name and search name (§2.6).

Pure functions on text; the contact service applies them on insert and modify.
"""

from __future__ import annotations

NAME_PART_LENGTH = 30
NAME_LENGTH = 100
SEARCH_NAME_LENGTH = 100


def name_breakdown(name: str) -> tuple[str, str, str]:
    """Split a person's Name into (First Name, Middle Name, Surname) (BC ``NameBreakdown``, §2.6).

    Blanks separate parts (several blanks count as one); parts longer than 30 characters are
    truncated. The last part is the surname (when there are two parts or more), the second-last
    the middle name (three parts or more), the rest the first name (truncated to 30).

    >>> name_breakdown("Mary Ann Lee Smith")
    ('Mary Ann', 'Lee', 'Smith')
    """
    parts = [p[:NAME_PART_LENGTH] for p in (name or "").split()]
    surname = parts.pop() if len(parts) > 1 else ""
    middle = parts.pop() if len(parts) > 1 else ""
    first = " ".join(parts)[:NAME_PART_LENGTH]
    return first, middle, surname


def calculated_name(first_name: str, middle_name: str, surname: str) -> str:
    """Name from its parts: "First Middle Surname", empty parts skipped (BC ``CalculatedName``).

    >>> calculated_name("", "Q", "Public")
    'Q Public'
    """
    parts = [p for p in (first_name, middle_name, surname) if p]
    return " ".join(parts).strip()[:NAME_LENGTH]


def search_name(name: str, old_name: str | None, old_search_name: str | None) -> str | None:
    """The new Search Name after Name changed, or ``None`` to keep it (``UpdateSearchName``).

    The search name follows the name while it is blank or still equals the upper-cased old name;
    a search name the user chose is kept.
    """
    old_search = (old_search_name or "").upper()
    if not old_search or old_search == (old_name or "").upper()[:SEARCH_NAME_LENGTH]:
        return (name or "").upper()[:SEARCH_NAME_LENGTH]
    return None
