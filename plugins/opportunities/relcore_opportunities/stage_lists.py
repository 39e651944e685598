"""``CreateStageList`` (§6.8): the six candidate stage lists of the Update Opportunity page."""

from __future__ import annotations

ACTION_ORDER = ("first", "next", "update", "previous", "skip", "jump")
"""The default action type on opening, by priority (§6.8)."""


def stage_lists(stages: list[dict], current: int | None) -> dict[str, list[int]]:
    """The stages each action type offers, empty when the action is not available (§6.8).

    :param stages: the cycle's stages (``stage``, ``allow_skip``), any order.
    :param current: the active entry's stage, or ``None`` for an opportunity without one.
    :returns: ``{"first", "next", "previous", "skip", "update", "jump"}`` → stage numbers.
        First only without an active entry; Skip and Jump only with more than one stage (§9.5
        item 4); the Skip list of a not-started opportunity is always empty (BC's dangling
        ``else``, reproduced).
    """
    ordered = sorted(stages, key=lambda s: s["stage"])
    numbers = [s["stage"] for s in ordered]
    lists: dict[str, list[int]] = {k: [] for k in ("first", "next", "previous", "skip")}
    lists.update(update=[], jump=[])
    if current is None:
        lists["first"] = numbers[:1]
        return lists
    after = [s for s in ordered if s["stage"] > current]
    before = [n for n in numbers if n < current]
    if after:
        lists["next"] = [after[0]["stage"]]
    if before:
        lists["previous"] = [before[-1]]
    if current in numbers:
        lists["update"] = [current]
    skip: list[int] = []
    for s in after:
        if skip or s["allow_skip"]:
            skip.append(s["stage"])
            if not s["allow_skip"]:
                break
        else:
            break
    lists["skip"] = skip if len(skip) > 1 else []
    lists["jump"] = before if len(before) > 1 else []
    return lists
