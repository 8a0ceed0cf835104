"""Month and weekday names, once for the whole project, and the one parser of absolute dates
("2025-05-07", "7 May 2025", "May 7, 2025", "Sept. 3 2019") that metadata and text share."""
from __future__ import annotations

import re
from datetime import date

MONTHS: dict[str, int] = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
WEEKDAYS: dict[str, int] = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
ABBREVIATIONS = {**{m[:3]: i for m, i in MONTHS.items()}, "sept": 9}
MONTH_RE = "(?:" + "|".join([*MONTHS, *sorted(set(ABBREVIATIONS) - set(MONTHS), key=len, reverse=True)]) + r")\.?"


def month_number(word: str) -> int | None:
    """'March', 'Mar.', 'sept' -> the month's number; None for anything else."""
    w = word.lower().rstrip(".")
    return MONTHS.get(w) or ABBREVIATIONS.get(w)


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date(value: str) -> date | None:
    """ISO dates and timestamps, '7 May 2025', 'May 7, 2025'; None when there is no full date."""
    value = value.strip()
    if m := re.match(r"(\d{4})-(\d{2})-(\d{2})", value):
        return safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := re.search(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})", value):
        if mo := month_number(m.group(2)):
            return safe_date(int(m.group(3)), mo, int(m.group(1)))
    if m := re.search(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", value):
        if mo := month_number(m.group(1)):
            return safe_date(int(m.group(3)), mo, int(m.group(2)))
    return None
