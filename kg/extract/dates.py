"""Date expressions -> dates at their granularity, resolved against the publication date.

"on Friday" in an article of Wednesday 2025-05-07 is 2025-05-02 (or the next Friday when the
clause speaks of the future); "in March" is 2025-03; "last month" is the month before, "last week"
the month its days fall in; an explicit "May 16" takes the publication year. Without a
publication date only dates that state their year are resolved: no guessed dates.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from kg.extract.limits import AHEAD
from kg.calendar import MONTH_RE, WEEKDAYS, month_number
from kg.model import TimeValue


PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("mdy", re.compile(rf"\b({MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("dmy", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_RE})(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("my", re.compile(rf"\b({MONTH_RE})\s+(?:of\s+)?(\d{{4}})\b", re.I)),
    ("month", re.compile(rf"\b(?:in|since|until|by|during|early|late|mid|mid-|last|this|next|of)\s+({MONTH_RE})\b(?!\s+\d)",
                         re.I)),
    ("weekday", re.compile(r"\b(last|next|this|on|since|by|until)?\s*(monday|tuesday|wednesday|thursday|friday|"
                           r"saturday|sunday)\b", re.I)),
    ("relative", re.compile(r"\b(yesterday|today|tonight|tomorrow|(?:last|next|this|earlier this|later this)\s+"
                            r"(?:week|month|year))\b", re.I)),
    ("year", re.compile(r"\b(?:in|since|until|by|of|during|from|early|late|mid-)\s+((?:19|20)\d{2})\b", re.I)),
]


def find_dates(text: str, published: date | None, *, future: bool = False) -> list[tuple[int, int, TimeValue]]:
    """Every date expression in `text` with its offsets; overlapping matches keep the longest. A
    weekday followed by the date it names ("on Sunday (July 27)", "Monday, July 28") is that date:
    the text spells it out."""
    found: list[tuple[int, int, TimeValue, str]] = []
    for kind, pat in PATTERNS:
        for m in pat.finditer(text):
            tv = _resolve(kind, m, published, future)
            if tv is not None:
                found.append((m.start(), m.end(), tv, kind))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[tuple[int, int, TimeValue, str]] = []
    for f in found:
        if out and f[0] < out[-1][1]:
            continue
        if out and out[-1][3] == "weekday" and f[2].granularity == "date" and \
                re.fullmatch(r"\s*[,(]?\s*", text[out[-1][1]:f[0]]):
            out[-1] = (*out[-1][:2], f[2], "weekday")
        out.append(f)
    return [(s, e, tv) for s, e, tv, _kind in out]


def _day(y: int, m: int, d: int) -> TimeValue | None:
    try:
        return TimeValue(date(y, m, d).isoformat(), "date")
    except ValueError:
        return None


def _ym(y: int, m: int) -> TimeValue:
    return TimeValue(f"{y:04d}-{m:02d}", "gYearMonth")


def _week(pub: date, step: int) -> TimeValue | None:
    """'this week' is the article's month; 'last/next week' the month those days fall in, or the year
    when they straddle two months."""
    if step == 0:  # the article's own week: its month
        return _ym(pub.year, pub.month)
    first = pub - timedelta(days=pub.weekday()) + timedelta(weeks=step)
    last = first + timedelta(days=6)
    if (first.year, first.month) == (last.year, last.month):
        return _ym(first.year, first.month)
    return TimeValue(f"{first.year:04d}", "gYear") if first.year == last.year else None


def _resolve(kind: str, m: re.Match, pub: date | None, future: bool) -> TimeValue | None:
    if kind == "iso":
        return _day(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if kind in ("mdy", "dmy"):
        mon, day = (m.group(1), m.group(2)) if kind == "mdy" else (m.group(2), m.group(1))
        mo = month_number(mon)
        if mo is None or not mon[0].isupper():
            return None
        if m.group(3):
            return _day(int(m.group(3)), mo, int(day))
        if pub is None:
            return None
        tv = _day(pub.year, mo, int(day))
        if tv is not None and not future and date.fromisoformat(tv.value) - pub > AHEAD:
            # "had called him on December 29" in an article of February: the December before;
            # a date weeks ahead in a past clause is a plan ("the summit was set for June 12")
            tv = _day(pub.year - 1, mo, int(day))
        return tv
    if kind == "my":
        mo = month_number(m.group(1))
        return _ym(int(m.group(2)), mo) if mo and m.group(1)[0].isupper() else None
    if kind == "month":
        mo = month_number(m.group(1))
        if mo is None or pub is None or not m.group(1)[0].isupper():
            return None
        prefix = m.group(0).split()[0].lower()
        year = pub.year
        if prefix == "last" or (not future and prefix != "next" and mo > pub.month):
            year -= 1
        elif (prefix == "next" or future) and mo < pub.month:
            year += 1
        return _ym(year, mo)
    if kind == "weekday":
        if pub is None:
            return None
        target = WEEKDAYS[m.group(2).lower()]
        prefix = (m.group(1) or "").lower()
        if prefix == "next" or (future and prefix != "last"):
            # "will meet on Friday" in a Friday's paper is that day; "next Friday" is a week on
            delta = (target - pub.weekday()) % 7 or (7 if prefix == "next" else 0)
            return TimeValue((pub + timedelta(days=delta)).isoformat(), "date")
        back = (pub.weekday() - target) % 7
        if prefix == "last" and back == 0:
            back = 7
        return TimeValue((pub - timedelta(days=back)).isoformat(), "date")
    if kind == "relative":
        if pub is None:
            return None
        w = " ".join(m.group(1).lower().split())
        if w == "yesterday":
            return TimeValue((pub - timedelta(days=1)).isoformat(), "date")
        if w in ("today", "tonight"):
            return TimeValue(pub.isoformat(), "date")
        if w == "tomorrow":
            return TimeValue((pub + timedelta(days=1)).isoformat(), "date")
        step = -1 if w.startswith("last") else 1 if w.startswith("next") else 0
        if w.endswith("week"):
            return _week(pub, step)
        if w.endswith("month"):
            y, mo = divmod(pub.year * 12 + pub.month - 1 + step, 12)
            return _ym(y, mo + 1)
        return TimeValue(f"{pub.year + step:04d}", "gYear")
    if kind == "year":
        return TimeValue(m.group(1), "gYear")
    return None
