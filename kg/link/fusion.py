"""Events and quotations across articles. Every article-level meeting reports one real-world
kg:Event and every statement one kg:Quotation; this module decides which reports are the same.

The decision is a function of the reports alone, never of the order they arrived in: meetings
are blocked by kind (in person or a call) and their exact set of linked participants (less a
country or organisation another participant holds a role in: "North Korea" beside "North Korean
leader Kim Jong Un"), statements by speaker, and each block is clustered from its full set of
reports; groups of different blocks join only when `joinable` (so kg.link.fusion_store can decide
again only what a batch reaches, and get what clustering the whole store would give).

Within a block, meetings join an event when their dates and places are compatible:
 - reports dated to the day anchor the events: one event per day whatever places they give (the
   same participants do not meet twice on one day; a place that disagrees is an extraction
   error more often), and a day apart at one place is still one, as is a day apart from plans
   dated before their own articles (an outlet's slip: "to meet on Sunday" the Monday of the talks);
 - on one day (or the next at one place, or within a week for plans published before it, at
   its place), an event whose participants are fewer or more than those of a larger event of
   that day (the other side not named in a sentence, an extra name caught in one), or the same
   but for one side named by a word of the other's name ("Kim", "Kim Jong Un"), is that event;
 - a month or a year joins the one dated event it contains (with a compatible place; at that very
   place, or holding most of the reports dated inside it, when there are several), else the
   reports of that month or year are an event of their own;
 - an undated report with a place joins, among the events at a compatible place, the last one
   before its article for a held meeting and the next one after it for a planned, proposed,
   cancelled or postponed one (with none due, one of the 30 days before: its status was misread);
   with no event at a compatible place, it joins an event that gives no place as a report with
   neither does; undated reports at one place with no dated event there are one while their
   articles follow each other within 30 days;
 - a report with neither date nor place joins the one event still open when it was published (a
   future summit: the one planned event; what is cancelled or postponed: the next one due) or,
   when held, the last event of the 30 days before; otherwise it stays an event of its own;
 - a report that names a negotiation round ("the second round of talks") joins the one event whose
   reports name that round (at a compatible place, within a year), and never one whose reports
   name another round: rounds of one series are separate events;
 - the date of a cancelled or postponed meeting, when not after its article, is the day it was
   called off, not the event's.
An event's status is its latest report's, as of that report's publication date (a report after
the event's day that still calls it planned or proposed does not count); its date and place are
the ones most of its reports give, the most specific first (for the date, the held reports' first);
its participants the set most of its
reports give, with any participant a third of its reports name (a host one report of three names)
and the heads of their delegations that any report's article names.

Statements join a quotation when their words are the same after folding case and punctuation,
or when the words of one (five words or more) run inside the other's.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from kg.rdf.ids import short_hash
from kg.rdf.triples import Minter

RUN_GAP = 30  # days between articles past which undated reports at one place are another event
PLAN_SLACK = 7  # days by which a plan's day, at the event's place and before it, may miss the event's
HELD_WINDOW = 30  # days before its article in which an undated, unplaced held meeting looks for its event
ROUND_SPAN = 365  # days within which a report naming a round joins the event of that round (series restart)
MIN_RUN = 5  # words of a statement that may join a longer one that contains them
OPEN = ("Planned", "Proposed", "Postponed")
CALLED_OFF = ("Cancelled", "Postponed")
GRANULARITY = {10: "date", 7: "gYearMonth", 4: "gYear"}  # a date's granularity by its length
STATUS_WEIGHT = {"Cancelled": 4, "Postponed": 3, "Held": 2, "Planned": 1, "Proposed": 0}  # ties on one day


@dataclass(frozen=True)
class Report:
    """One article's meeting as fusion sees it."""
    iri: str
    article: str
    published: date | None
    publisher: str | None
    call: bool
    participants: frozenset[str]
    status: str
    date: str | None  # the literal's lexical form: 2018-06-12, 2018-06 or 2018
    place: str | None
    country: str | None  # the place's country code, when GeoNames gave one
    delegates: frozenset[str] = frozenset()  # who its article says heads a participant country's delegation
    round: int | None = None  # the negotiation round it names ("the second round of talks")


@dataclass(frozen=True)
class Said:
    """One article's statement as fusion sees it."""
    iri: str
    article: str
    published: date | None
    publisher: str | None
    speaker: str
    text: str
    direct: bool


@dataclass(frozen=True)
class Event:
    iri: str
    participants: frozenset[str]
    reports: tuple[Report, ...]
    status: str
    status_as_of: date | None
    first: Report
    date: str | None
    place: str | None


@dataclass(frozen=True)
class Quotation:
    iri: str
    reports: tuple[Said, ...]
    text: str
    first: Said


# ------------------------------------------------------------------ clustering
def cluster_meetings(reports: Iterable[Report], minter: Minter, names: dict[str, str] | None = None) -> list[Event]:
    """The events the reports give, in IRI order; the same reports in any order give the same events.
    `names`: participant -> name, so that one side named by a word of its name on the same day
    ("Kim", "Kim Jong Un") is the same side."""
    blocks = block_reports(reports)
    return join_groups([group for key in blocks for group in _cluster_block(blocks[key])], minter, names or {})


def block_reports(reports: Iterable[Report]) -> dict[tuple, list[Report]]:
    """Reports by block: kind (a call or not) and participants. Reports of different blocks join
    only through joinable groups (`joinable`)."""
    blocks: dict[tuple, list[Report]] = defaultdict(list)
    for r in reports:
        blocks[block_of(r)].append(r)
    return blocks


def block_of(r: Report) -> tuple:
    return r.call, r.participants


def block_groups(reports: list[Report]) -> list[list[Report]]:
    """One block's reports in the groups its own rules give, before groups of other blocks join."""
    return _cluster_block(reports)


def join_groups(groups: list[list[Report]], minter: Minter, names: dict[str, str]) -> list[Event]:
    """The events of blocks' groups, in IRI order. Groups that are not connected through
    `joinable` never affect each other, so any set of groups closed under it gives the events the
    whole store's groups would give for them."""
    groups = sorted(groups, key=lambda g: _block_key(block_of(g[0])))  # a host grows as it takes: blocks in one order
    events = [_event(group, minter) for group in _join_same_day(groups, names)]
    return sorted(events, key=lambda e: e.iri)


def joinable(a: list[Report], b: list[Report], names: dict[str, str]) -> bool:
    """Groups of two blocks that `_join_same_day` may put together: both dated to the day, no more
    than PLAN_SLACK days apart, of one kind, with the same side."""
    da, db = _day(a), _day(b)
    return bool(da and db) and a[0].call == b[0].call and \
        abs((date.fromisoformat(da) - date.fromisoformat(db)).days) <= PLAN_SLACK and \
        _same_side(a[0].participants, b[0].participants, names)


def _ahead(group: list[Report], day: date) -> bool:
    """Every report published before `day` and none of a held meeting: a plan's date read off a
    nearby clause ("will arrive Friday ... heading to Singapore for the summit") misses the
    event's day by a few days."""
    return all(r.status != "Held" and r.published and r.published < day for r in group)


def _same_side(a: frozenset[str], b: frozenset[str], names: dict[str, str]) -> bool:
    """The same participants, fewer or more, or the same but for one named by a word of the
    other's name (a bare surname the linking could not decide)."""
    if a <= b or a >= b:
        return True
    only_a, only_b = a - b, b - a
    if len(only_a) != 1 or len(only_b) != 1 or not (a & b):
        return False
    (x,), (y,) = only_a, only_b
    wx, wy = names.get(x, "").split(), names.get(y, "").split()
    return bool(wx and wy) and (len(wx) == 1 and wx[0] in wy or len(wy) == 1 and wy[0] in wx)


def _block_key(key: tuple) -> tuple:
    return key[0], sorted(key[1])


def _join_same_day(groups: list[list[Report]], names: dict[str, str]) -> list[list[Report]]:
    """Events of one day (or the next, at the same place; or up to a week before, at that place, when
    all its reports are plans published before the day) with the same side as another (the same
    participants, the other side not named in a sentence, an extra name caught in one) are that
    event: the event with the most reports takes in every such one, then the next."""
    by_day: dict[tuple, list[list[Report]]] = defaultdict(list)
    out, dated = [], []
    for g in groups:
        (dated if _day(g) else out).append(g)
        if _day(g):
            by_day[(g[0].call, _day(g))].append(g)
    dated.sort(key=lambda g: (-len(g), _block_key((g[0].call, g[0].participants)), _day(g)))
    taken: set[int] = set()
    for host in dated:
        if id(host) in taken:
            continue
        taken.add(id(host))
        day, call = date.fromisoformat(_day(host)), host[0].call
        sets = {r.participants for r in host}
        for k in range(-PLAN_SLACK, PLAN_SLACK + 1):
            other = day + timedelta(days=k)
            for g in by_day.get((call, other.isoformat()), ()):
                if id(g) not in taken and _near(host, g, day, other) and all(_round_fits(r, host) for r in g) and \
                        any(_same_side(g[0].participants, s, names) for s in sets):
                    host.extend(g)
                    taken.add(id(g))
        out.append(host)
    return out


def _near(host: list[Report], group: list[Report], day: date, other: date) -> bool:
    """The same day; a day apart when one side is all plans dated before their articles; or, at the
    host's place, a day apart, or up to PLAN_SLACK days when one side is all plans (or their
    call-off) published before the other's day."""
    if day == other:
        return True
    if abs((other - day).days) <= 1 and (_past_plans(group) or _past_plans(host)):
        return True
    if not any(_place_fits(r, host, strict=True) for r in group):
        return False
    return abs((other - day).days) <= 1 or _ahead(group, day) or _ahead(host, other)


def _past_plans(group: list[Report]) -> bool:
    """Every report a plan dated before its own article: the day is a slip (an outlet's, or a
    weekday read a week off), so a day apart it is the event of the next or the day before."""
    return all(r.status in ("Planned", "Proposed") and r.published and r.date and
               r.date < r.published.isoformat() for r in group)


def _cluster_block(reports: list[Report]) -> list[list[Report]]:
    reports = sorted((event_dated(r) for r in reports), key=_report_key)
    days = [r for r in reports if r.date and len(r.date) == 10]
    coarse = [r for r in reports if r.date and len(r.date) < 10]
    undated = [r for r in reports if not r.date]
    groups: list[list[Report]] = _day_groups(days)

    # a month or a year: the one dated event inside it, else an event of that month or year
    leftovers: dict[tuple, list[Report]] = defaultdict(list)
    for r in coarse:
        if (same := _of_round(r, groups)) is not None:
            same.append(r)
            continue
        inside = [g for g in groups if _day(g)[:len(r.date)] == r.date and _place_fits(r, g) and _round_fits(r, g)]
        if r.place and len(inside) > 1:  # the one at its very place
            inside = [g for g in inside if any(x.place == r.place for x in g)] or inside
        if len(inside) > 1:  # the one that most reports of that month or year date to the day
            inside = [g for g in inside if 2 * len(g) > sum(len(h) for h in inside)] or inside
        if len(inside) == 1:
            inside[0].append(r)
        else:
            leftovers[(r.date, _country_key(r))].append(r)
    groups += [leftovers[k] for k in sorted(leftovers)]

    placed = [r for r in undated if r.place]
    bare = [r for r in undated if not r.place]
    with_place = [g for g in groups if _day(g) and any(x.place for x in g)]
    placeless = [g for g in groups if not any(x.place for x in g)]  # the place unknown, not another
    by_place: dict[str, list[Report]] = defaultdict(list)
    for r in placed:
        target = _of_round(r, groups) or _by_time(r, [g for g in with_place if _place_fits(r, g) and _round_fits(r, g)]) \
            or _due(r, [g for g in placeless if _round_fits(r, g)])
        if target is not None:
            target.append(r)
        else:
            by_place[_country_key(r)].append(r)
    groups += [run for k in sorted(by_place) for run in _runs(by_place[k])]

    singles = []
    for r in bare:
        target = _of_round(r, groups) or _due(r, [g for g in groups if _round_fits(r, g)])
        if target is not None:
            target.append(r)
        else:
            singles.append([r])
    return groups + singles


def _of_round(r: Report, groups: list[list[Report]]) -> list[Report] | None:
    """The one event, at a compatible place and within ROUND_SPAN days, whose reports name the
    round this report names ("the first round of talks in Istanbul produced a prisoner swap")."""
    if not r.round or r.published is None:
        return None
    same = [g for g in groups if _place_fits(r, g) and any(
        x.round == r.round and x.published and abs((x.published - r.published).days) <= ROUND_SPAN for x in g)]
    return same[0] if len(same) == 1 else None


def _round_fits(r: Report, group: list[Report]) -> bool:
    """No report of the group names another round than this one."""
    return not r.round or all(x.round in (None, r.round) for x in group)


def _due(r: Report, groups: list[list[Report]]) -> list[Report] | None:
    """The event an undated report speaks of: when held, the last dated one of the HELD_WINDOW days
    before its article (the latest is the one news reports on); otherwise the one still open when it
    was published (of several called off, the next one due)."""
    if r.status == "Held":
        if r.published is None:
            return None
        lo = (r.published - timedelta(days=HELD_WINDOW)).isoformat()
        near = sorted((g for g in groups if _day(g) and lo <= _day(g) <= _next(r.published)), key=_day)
        return near[-1] if near else None
    near = [g for g in groups if _is_open(g, r.published)]
    if r.status in CALLED_OFF and len(near) > 1:  # what is called off is the next one due
        near = sorted(near, key=lambda g: _day(g) or next((x.date for x in g if x.date), "9999"))[:1]
    return near[0] if len(near) == 1 else None


def _runs(reports: list[Report]) -> list[list[Report]]:
    """Undated reports at one place, split where their articles are more than RUN_GAP days apart
    (a NATO summit in Brussels one year and a ministers' meeting there the next are two)."""
    out: list[list[Report]] = []
    for r in sorted(reports, key=_report_key):
        last = out[-1][-1].published if out else None
        if out and (r.published is None or last is None or (r.published - last).days <= RUN_GAP):
            out[-1].append(r)
        else:
            out.append([r])
    return out


def event_dated(r: Report) -> Report:
    """A cancelled or postponed meeting's date is the event's only when it lies after the article:
    otherwise it is the day it was called off."""
    if r.status in CALLED_OFF and r.date and r.published and r.date <= r.published.isoformat()[:len(r.date)]:
        return replace(r, date=None)
    return r


def _report_key(r: Report) -> tuple:
    return (r.published or date.min, r.iri)


def _day_groups(days: list[Report]) -> list[list[Report]]:
    """Reports dated to the day: one group per day, whatever places they give (days apart at one
    place are joined with the other blocks' events by _join_same_day)."""
    groups: dict[str, list[Report]] = defaultdict(list)
    for r in days:
        groups[r.date].append(r)
    return [groups[d] for d in sorted(groups)]


def _place_fits(r: Report, group: list[Report], strict: bool = False) -> bool:
    """The report's place is compatible with a place the group gives (the same place, or one in the
    same country) or the group gives none; no place fits anywhere, unless `strict`."""
    places = [x for x in group if x.place]
    if not r.place or not places:
        return not strict
    return any(x.place == r.place or (x.country and x.country == r.country) for x in places)


def _country_key(r: Report) -> str:
    return r.country or r.place or ""


def _day(group: list[Report]) -> str:
    """The group's day when any report dates it to a day ('' otherwise)."""
    return next((r.date for r in group if r.date and len(r.date) == 10), "")


def _next(d: date) -> str:
    return (d + timedelta(days=1)).isoformat()


def _by_time(r: Report, groups: list[list[Report]]) -> list[Report] | None:
    """Of dated events at the report's place: the last before its article for a held meeting, the
    next after it otherwise (with none due, the last of the 30 days before); the only one when the
    article has no date."""
    if not groups:
        return None
    if r.published is None:
        return groups[0] if len(groups) == 1 else None
    ordered = sorted(groups, key=_day)
    if r.status == "Held":
        before = [g for g in ordered if _day(g) <= _next(r.published)]
        return before[-1] if before else None
    after = [g for g in ordered if _day(g) >= (r.published - timedelta(days=1)).isoformat()]
    if after:
        return after[0]
    # nothing due there: a report weeks after an event there is about that one (its status misread)
    since = (r.published - timedelta(days=HELD_WINDOW)).isoformat()
    recent = [g for g in ordered if _day(g) >= since]
    return recent[-1] if recent else None


def _is_open(group: list[Report], published: date | None) -> bool:
    """Still to happen when an article of `published` appeared: no earlier report says it was held
    or cancelled, and it is dated after that day (a month: a later month), or undated with a
    planned, proposed or postponed status at its latest report before then."""
    if published is None:
        return False
    earlier = [r for r in group if r.published and r.published <= published]
    if any(r.status in ("Held", "Cancelled") for r in earlier):
        return False
    day = _day(group) or next((r.date for r in group if r.date), "")
    if day:
        return day >= published.isoformat() if len(day) == 10 else day > published.isoformat()[:len(day)]
    return bool(earlier) and _status(earlier)[0] in OPEN


def _status(reports: list[Report]) -> tuple[str, date | None]:
    """The latest report's status (on one day: the most reports, then the weightier) and its date.
    A report after the event's day that still calls it planned or proposed does not count."""
    day = _day(reports)
    current = [r for r in reports if not (day and r.published and r.published.isoformat() > day and r.status in OPEN)]
    reports = current or reports
    latest = max((r.published for r in reports if r.published), default=None)
    today = [r.status for r in reports if r.published == latest]
    counts = Counter(today)
    return max(counts, key=lambda s: (counts[s], STATUS_WEIGHT[s])), latest


def _event(group: list[Report], minter: Minter) -> Event:
    reports = tuple(sorted(group, key=_report_key))
    status, as_of = _status(list(reports))
    dates = Counter(r.date for r in reports if r.date)
    held = Counter(r.date for r in reports if r.date and r.status == "Held")  # what took place is dated surer
    when = max(dates, key=lambda d: (len(d) == 10, len(d), held[d], dates[d], d)) if dates else None
    places = Counter(r.place for r in reports if r.place)
    where = max(places, key=lambda p: (places[p], p)) if places else None
    first = reports[0]
    sets = Counter(r.participants for r in reports)
    named = Counter(p for r in reports for p in r.participants)
    who = max(sets, key=lambda p: (sets[p], len(p), sorted(p))).union(
        {p for p, n in named.items() if 3 * n >= len(reports)}, *(r.delegates for r in reports))
    return Event(minter.event(short_hash(first.iri)).value, who, reports, status, as_of, first, when, where)


def cluster_statements(statements: Iterable[Said], minter: Minter) -> list[Quotation]:
    """The quotations the statements give (connected by same or contained words), in IRI order."""
    by_speaker: dict[str, list[Said]] = defaultdict(list)
    for s in statements:
        by_speaker[s.speaker].append(s)
    out = []
    for said in by_speaker.values():
        said.sort(key=lambda s: (s.published or date.min, s.iri))
        words = [_words(s.text) for s in said]
        parent = list(range(len(said)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        same: dict[tuple[str, ...], list[int]] = defaultdict(list)  # the same words
        runs: dict[tuple[str, ...], list[int]] = defaultdict(list)  # every run of MIN_RUN words
        for i, w in enumerate(words):
            same[tuple(w)].append(i)
            for j in range(len(w) - MIN_RUN + 1):
                runs[tuple(w[j:j + MIN_RUN])].append(i)
        for ids in same.values():
            for i in ids[1:]:
                parent[root(i)] = root(ids[0])
        for i, w in enumerate(words):  # a statement inside a longer one: that one has its first run
            if len(w) < MIN_RUN:
                continue
            inside = f" {' '.join(w)} "
            for j in dict.fromkeys(runs[tuple(w[:MIN_RUN])]):
                if len(words[j]) > len(w) and root(i) != root(j) and inside in f" {' '.join(words[j])} ":
                    parent[root(i)] = root(j)
        groups: dict[int, list[Said]] = defaultdict(list)
        for i, s in enumerate(said):
            groups[root(i)].append(s)
        out += [_quotation(g, minter) for g in groups.values()]
    return sorted(out, key=lambda q: q.iri)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower().replace("’", "'").replace("'", ""))


def _quotation(group: list[Said], minter: Minter) -> Quotation:
    reports = tuple(sorted(group, key=lambda s: (s.published or date.min, s.iri)))
    texts = Counter(s.text for s in reports)
    text = max(texts, key=lambda t: (any(s.direct and s.text == t for s in reports), texts[t], len(t), t))
    return Quotation(minter.quotation(short_hash(reports[0].iri)).value, reports, text, reports[0])


def acting(participants: frozenset[str], within: dict[str, set[str]]) -> frozenset[str]:
    """The participants without a country or organisation that another participant holds a role
    in ("North Korea" beside "North Korean leader Kim Jong Un"): it took part through them."""
    kept = frozenset(p for p in participants if not any(p in within.get(q, ()) for q in participants if q != p))
    return kept or participants
