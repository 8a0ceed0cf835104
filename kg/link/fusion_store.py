"""Fusion against the store: after a batch, decide again only the events and quotations the batch
can have changed, and write what changed.

What a batch changes is given as a `Changes`: the articles it wrote, the events and quotations
those articles mentioned before (a re-ingest), and the entities all of whose reports must be
decided again (renamed, merged, or named otherwise). The work is bounded by what can join, never
by the store:
 - meetings: the blocks (kind and participant set) of the changed reports and of the reports
   that shared an event with them are clustered again, each from all of its reports (its own rules
   reach back any distance); then, across blocks, only through groups that `fusion.joinable`
   connects (dated to the day, a week apart at most, with the same side), found by a date-window
   query per round. The groups so reached are closed under `joinable`, so joining them gives what
   clustering the whole store would give for them;
 - statements: the speaker's statements are read (their words decide), and only the quotations
   connected to a changed statement are rebuilt.
A batch that stopped before fusion (a full disk, a killed process) leaves its mark on the store
(`Store.fusion_pending`), and the next batch settles every report without an event first.
"""
from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pyoxigraph as ox

from kg.link.fusion import (GRANULARITY, PLAN_SLACK, Event, Quotation, Report, Said, acting, block_groups,
                            block_of, cluster_statements, event_dated, join_groups, joinable, _day)
from kg.model import DELEGATION_HEAD, TimeValue
from kg.rdf import sparql
from kg.rdf.triples import RDF_TYPE, n, time_literal
from kg.rdf.vocab import KG, ORG, SCHEMA, XSD
from kg.stores.base import Store

log = logging.getLogger(__name__)


@dataclass
class Changes:
    """What a batch changed, for fusion to decide again."""
    articles: set[str] = field(default_factory=set)  # articles written (their reports now)
    previous: set[str] = field(default_factory=set)  # reports (and more) re-ingested articles held before
    entities: set[str] = field(default_factory=set)  # every report of these: renamed, merged, named otherwise

    def __bool__(self) -> bool:
        return bool(self.articles or self.previous or self.entities)

    def __ior__(self, other: "Changes") -> "Changes":
        self.articles |= other.articles
        self.previous |= other.previous
        self.entities |= other.entities
        return self


def update(store: Store, changes: Changes, *, settle: bool = False) -> None:
    """Decide again the events and quotations the changes reach, and write what differs. `settle`:
    also every report without an event or quotation and every event or quotation whose report is
    gone (the store's `fusion_pending` mark, read before the batch set its own)."""
    if settle:
        changes = Changes(changes.articles, changes.previous | _orphaned(store), changes.entities | _unsettled(store))
    if changes:
        t0 = time.perf_counter()
        m, e = _update_events(store, changes)
        s, q = _update_quotations(store, changes)
        log.info("fusion: %d meetings in %d events, %d statements in %d quotations decided again in %.2f s",
                 m, e, s, q, time.perf_counter() - t0)
    store.set_fusion_pending(False)


def rebuild(store: Store) -> None:
    """Decide every event and quotation of the store again (what `update` must always agree with)."""
    every = _column(store, "SELECT DISTINCT ?a WHERE { GRAPH ?a { ?a a schema:NewsArticle } }")
    held = _column(store, f"SELECT DISTINCT ?x WHERE {{ GRAPH {store.minter.events_graph} {{ ?e <{KG.report}> ?x }} }}")
    update(store, Changes(every, held))


# ------------------------------------------------------------------ events
def _update_events(store: Store, changes: Changes) -> tuple[int, int]:
    seeds = _seeds(store, changes, "Event")
    reports = _read_reports(store, seeds)
    blocks = {key: _read_block(store, key) for key in {block_of(r) for r in reports}}
    log.debug("fusion: %d articles, %d entities changed; %d seed meetings in %d blocks", len(changes.articles),
              len(changes.entities), len(reports), len(blocks))
    names = _names(store, {p for key in blocks for p in key[1]})
    groups = [g for block in blocks.values() for g in block_groups(block)]
    groups += _reached(store, groups, blocks, names)
    events = join_groups(groups, store.minter, names)
    held = {r.iri for g in groups for r in g}
    old = _stored_events(store, _holding(store, held | seeds, "Event"))
    new = {q for e in events for q in event_quads(e, store.minter.events_graph)}
    _write(store, old, new)
    return len(held), len(events)


def _reached(store: Store, groups: list[list[Report]], blocks: dict[tuple, list[Report]],
             names: dict[str, str]) -> list[list[Report]]:
    """The groups of other blocks connected to these through `joinable`, round after round (their
    blocks read whole, as their own rules need); `blocks` and `names` grow with what is read."""
    reached: list[list[Report]] = []
    frontier = [g for g in groups if _day(g)]
    spare: list[list[Report]] = []  # dated groups of blocks read but not (yet) connected
    while frontier:
        near = _near_reports(store, frontier, {r.iri for reports in blocks.values() for r in reports})
        names |= _names(store, {p for r in near for p in r.participants} - names.keys())
        for key in {block_of(r) for r in near if any(joinable([r], f, names) for f in frontier)} - blocks.keys():
            blocks[key] = _read_block(store, key)
            spare += [g for g in block_groups(blocks[key]) if _day(g)]
        linked = [g for g in spare if any(joinable(g, f, names) for f in frontier)]
        spare = [g for g in spare if not any(g is x for x in linked)]
        reached += linked
        frontier = linked
    return reached


def _near_reports(store: Store, frontier: list[list[Report]], known: set[str]) -> list[Report]:
    """The meetings dated to a day within PLAN_SLACK days of a frontier group's that share a
    participant with it (every group joinable with it holds such a report, its day's), but for the
    `known` ones (of blocks already read)."""
    rows = []
    for g in frontier:
        day = date.fromisoformat(_day(g))
        lo, hi = (day - timedelta(days=PLAN_SLACK)).isoformat(), (day + timedelta(days=PLAN_SLACK)).isoformat()
        rows += [f"({t} {ox.Literal(lo)} {ox.Literal(hi)})" for t in map(ox.NamedNode, sorted(g[0].participants))]
    found = _column(store, f"""SELECT DISTINCT ?m WHERE {{ VALUES (?t ?lo ?hi) {{ {' '.join(sorted(set(rows)))} }}
        GRAPH ?a {{ ?m <{KG.participant}> ?t ; <{KG.date}> ?d ; a <{KG.Meeting}> }}
        FILTER(STRLEN(STR(?d)) = 10 && STR(?d) >= ?lo && STR(?d) <= ?hi) }}""")
    return [event_dated(r) for r in _read_reports(store, found - known)]


def _read_block(store: Store, key: tuple) -> list[Report]:
    """Every report of one block: meetings with all its participants and no other but the
    organisations and places they act for."""
    call, members = key
    allowed, new = set(members), set(members)
    while new:  # and the ones those act for: acting() drops any participant another one holds a role in
        new = {o for x in _within(store, new).values() for o in x} - allowed
        allowed |= new
    pattern = " ; ".join(f"<{KG.participant}> {sparql.iri(x)}" for x in sorted(members))
    others: dict[str, set[str]] = defaultdict(set)
    for r in store.query(f"SELECT ?m ?o WHERE {{ GRAPH ?a {{ ?m {pattern} ; a <{KG.Meeting}> ; <{KG.participant}> ?o }} }}"):
        others[r["m"].value].add(r["o"].value)
    candidates = {m for m, who in others.items() if who <= allowed}
    return [r for r in _read_reports(store, candidates) if block_of(r) == key]


def _read_reports(store: Store, iris: set[str]) -> list[Report]:
    """The meetings of these IRIs that are in the store, as fusion sees them (flat reads: each an
    index lookup, whatever the store's size)."""
    if not iris:
        return []
    wanted = (KG.participant, KG.status, KG.date, KG.location, KG.round, RDF_TYPE.value)
    rows = store.query(f"""SELECT ?m ?a ?k ?v WHERE {{ VALUES ?m {{ {sparql.iris(iris)} }}
        VALUES ?k {{ {sparql.iris(wanted)} }} GRAPH ?a {{ ?m a <{KG.Meeting}> ; ?k ?v }} }}""")
    seen: dict[str, dict] = defaultdict(lambda: defaultdict(set))
    for r in rows:
        m = seen[r["m"].value]
        m["article"].add(r["a"].value)
        m[r["k"].value].add(r["v"].value)
    articles = _published_by(store, {a for m in seen.values() for a in m["article"]})
    places = {p for m in seen.values() for p in m[str(KG.location)]}
    within = _within(store, {p for m in seen.values() for p in m[str(KG.participant)]})
    codes = _country_codes(store, places)
    heads = _delegation_heads(store, articles.keys())
    out = []
    for iri, m in sorted(seen.items()):
        (article,) = m["article"]
        published, publisher = articles.get(article, (None, None))
        place, who = _one(m[str(KG.location)]), frozenset(m[str(KG.participant)])
        out.append(Report(iri, article, published, publisher, bool(m[RDF_TYPE.value] & {str(KG.PhoneCall), str(KG.VideoCall)}),
                          acting(who, within), _one(m[str(KG.status)]).rsplit("#", 1)[-1],
                          _one(m[str(KG.date)]), place, codes.get(place),
                          frozenset(x for x, o in heads.get(article, ()) if o in who) - who,
                          int(_one(m[str(KG.round)]) or 0) or None))
    return out


def _delegation_heads(store: Store, articles: Iterable[str]) -> dict[str, set[tuple[str, str]]]:
    """Article -> the (head, country) of the delegations it names ("the Russian delegation led by ...")."""
    if not articles:
        return {}
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in store.query(f"""SELECT ?a ?x ?o WHERE {{ VALUES ?a {{ {sparql.iris(set(articles))} }}
            GRAPH ?a {{ ?a <{SCHEMA.mentions}> ?ms }}
            GRAPH {store.minter.shared_graph} {{ ?ms <{ORG.role}> {store.minter.role(DELEGATION_HEAD)} ;
                <{ORG.member}> ?x ; <{ORG.organization}> ?o }} }}"""):
        out[r["a"].value].add((r["x"].value, r["o"].value))
    return out


def _published_by(store: Store, articles: set[str]) -> dict[str, tuple[date | None, str | None]]:
    """Article -> its publication day and publisher."""
    if not articles:
        return {}
    out: dict[str, dict] = defaultdict(dict)
    for r in store.query(f"""SELECT ?a ?k ?v WHERE {{ VALUES ?a {{ {sparql.iris(articles)} }}
            GRAPH ?a {{ ?a ?k ?v FILTER(?k IN (<{SCHEMA.datePublished}>, <{SCHEMA.publisher}>)) }} }}"""):
        out[r["a"].value][r["k"].value] = r["v"]
    return {a: (_published(v.get(str(SCHEMA.datePublished))), _value(v.get(str(SCHEMA.publisher)))) for a, v in out.items()}


def _country_codes(store: Store, places: set[str]) -> dict[str, str]:
    if not places:
        return {}
    return {r["p"].value: r["c"].value for r in store.query(f"""SELECT ?p ?c WHERE {{ VALUES ?p {{ {sparql.iris(places)} }}
        GRAPH {store.minter.shared_graph} {{ ?p <{KG.countryCode}> ?c }} }}""")}


def _one(values: set[str]) -> str | None:
    """The value of a property a report has once (the least, should a graph give several)."""
    return min(values) if values else None


def _stored_events(store: Store, events: set[str]) -> set[ox.Quad]:
    """The stored quads of these events, and the articles' mentions of them."""
    if not events:
        return set()
    ev = store.minter.events_graph
    rows = store.query(f"""SELECT ?g ?s ?p ?o WHERE {{ VALUES ?e {{ {sparql.iris(events)} }}
        {{ GRAPH {ev} {{ ?e ?p ?o }} BIND(?e AS ?s) BIND({ev} AS ?g) }}
        UNION {{ GRAPH ?g {{ ?s <{SCHEMA.mentions}> ?e }} FILTER(?g != {ev}) BIND(<{SCHEMA.mentions}> AS ?p) BIND(?e AS ?o) }} }}""")
    return {ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows}


def event_quads(e: Event, graph: ox.NamedNode) -> list[ox.Quad]:
    s = ox.NamedNode(e.iri)
    out = [ox.Quad(s, RDF_TYPE, n(KG.Event), graph), ox.Quad(s, RDF_TYPE, n(SCHEMA.Event), graph),
           ox.Quad(s, n(KG.status), n(getattr(KG, e.status)), graph)]
    out += [ox.Quad(s, n(KG.participant), ox.NamedNode(p), graph) for p in sorted(e.participants)]
    if e.date:
        out.append(ox.Quad(s, n(KG.date), time_literal(TimeValue(e.date, GRANULARITY[len(e.date)])), graph))
    if e.place:
        out.append(ox.Quad(s, n(KG.location), ox.NamedNode(e.place), graph))
    out += _first(s, e.first.published, e.first.publisher, graph)
    if e.status_as_of:
        out.append(ox.Quad(s, n(KG.statusAsOf), _day_literal(e.status_as_of), graph))
    for r in e.reports:
        out.append(ox.Quad(s, n(KG.report), ox.NamedNode(r.iri), graph))
        out.append(ox.Quad(ox.NamedNode(r.article), n(SCHEMA.mentions), s, ox.NamedNode(r.article)))
    return out


# ------------------------------------------------------------------ quotations
def _update_quotations(store: Store, changes: Changes) -> tuple[int, int]:
    seeds = _seeds(store, changes, "Quotation")
    said = _read_said(store, _speakers(store, seeds))
    quotations = [q for q in cluster_statements(said, store.minter) if any(s.iri in seeds for s in q.reports)]
    held = {s.iri for q in quotations for s in q.reports}
    old = _stored_quotations(store, _holding(store, held | seeds, "Quotation"))
    new = {x for q in quotations for x in quotation_quads(q, store.minter.events_graph)}
    _write(store, old, new)
    return len(held), len(quotations)


def _speakers(store: Store, statements: set[str]) -> set[str]:
    if not statements:
        return set()
    return _column(store, f"""SELECT DISTINCT ?m WHERE {{ VALUES ?s {{ {sparql.iris(statements)} }}
        GRAPH ?a {{ ?s <{KG.speaker}> ?m ; a <{KG.Statement}> }} }}""")


def _read_said(store: Store, speakers: set[str]) -> list[Said]:
    """Every statement of these speakers (the words of each decide which join)."""
    if not speakers:
        return []
    rows = list(store.query(f"""SELECT ?s ?a ?t ?text ?direct WHERE {{ VALUES ?t {{ {sparql.iris(speakers)} }}
        GRAPH ?a {{ ?s <{KG.speaker}> ?t ; a <{KG.Statement}> ; <{KG.text}> ?text ; <{KG.direct}> ?direct }} }}"""))
    articles = _published_by(store, {r["a"].value for r in rows})
    return [Said(r["s"].value, r["a"].value, *articles.get(r["a"].value, (None, None)), r["t"].value,
                 r["text"].value, r["direct"].value == "true") for r in rows]


def _stored_quotations(store: Store, quotations: set[str]) -> set[ox.Quad]:
    if not quotations:
        return set()
    ev = store.minter.events_graph
    rows = store.query(f"SELECT ?e ?p ?o WHERE {{ VALUES ?e {{ {sparql.iris(quotations)} }} GRAPH {ev} {{ ?e ?p ?o }} }}")
    return {ox.Quad(r["e"], r["p"], r["o"], ev) for r in rows}


def quotation_quads(q: Quotation, graph: ox.NamedNode) -> list[ox.Quad]:
    s = ox.NamedNode(q.iri)
    out = [ox.Quad(s, RDF_TYPE, n(KG.Quotation), graph), ox.Quad(s, RDF_TYPE, n(SCHEMA.Quotation), graph),
           ox.Quad(s, n(KG.speaker), ox.NamedNode(q.first.speaker), graph),
           ox.Quad(s, n(KG.text), ox.Literal(q.text), graph)]
    out += _first(s, q.first.published, q.first.publisher, graph)
    out += [ox.Quad(s, n(KG.report), ox.NamedNode(r.iri), graph) for r in q.reports]
    return out


# ------------------------------------------------------------------ shared
REPORTS = {"Event": (KG.Meeting, KG.participant), "Quotation": (KG.Statement, KG.speaker)}  # kind -> its reports' class, agent


def _seeds(store: Store, changes: Changes, kind: str) -> set[str]:
    """The reports (meetings of events, statements of quotations) to decide again: those of the
    changed articles and entities, those the articles held before (gone or not), and every report
    that shared a stored event or quotation with one of these."""
    cls, agent = REPORTS[kind]
    found = set(changes.previous)
    if changes.articles:
        found |= _column(store, f"SELECT ?m WHERE {{ VALUES ?a {{ {sparql.iris(changes.articles)} }} GRAPH ?a {{ ?m a {sparql.iri(cls)} }} }}")
    if changes.entities:
        found |= _column(store, f"""SELECT DISTINCT ?m WHERE {{ VALUES ?t {{ {sparql.iris(changes.entities)} }}
            GRAPH ?a {{ ?m {sparql.iri(agent)} ?t ; a {sparql.iri(cls)} }} }}""")
    return found | _fellows(store, found, kind)


def _fellows(store: Store, reports: set[str], kind: str) -> set[str]:
    """The reports that share a stored event (or quotation) with any of these."""
    if not reports:
        return set()
    return _column(store, f"""SELECT DISTINCT ?m WHERE {{ VALUES ?x {{ {sparql.iris(reports)} }}
        GRAPH {store.minter.events_graph} {{ ?e <{KG.report}> ?x ; a <{KG[kind]}> ; <{KG.report}> ?m }} }}""")


def _holding(store: Store, reports: set[str], kind: str) -> set[str]:
    """The stored events (or quotations) that hold any of these reports."""
    if not reports:
        return set()
    return _column(store, f"""SELECT DISTINCT ?m WHERE {{ VALUES ?x {{ {sparql.iris(reports)} }}
        GRAPH {store.minter.events_graph} {{ ?m <{KG.report}> ?x ; a <{KG[kind]}> }} }}""")


def _write(store: Store, old: set[ox.Quad], new: set[ox.Quad]) -> None:
    """Only what changed is written: a block decided again as it was costs no write."""
    ops = [f"DELETE DATA {{ {sparql.quad_data(sorted(old - new, key=str))} }}"] if old - new else []
    ops += [f"INSERT DATA {{ {sparql.quad_data(sorted(new - old, key=str))} }}"] if new - old else []
    if ops:
        store.update(" ;\n".join(ops))


def _unsettled(store: Store) -> set[str]:
    """Participants and speakers of reports that no event or quotation holds."""
    ev = store.minter.events_graph
    return _column(store, f"""SELECT DISTINCT ?m WHERE {{ GRAPH ?a {{ ?x a ?c ; ?role ?m }}
        VALUES (?c ?role) {{ (<{KG.Meeting}> <{KG.participant}>) (<{KG.Statement}> <{KG.speaker}>) }}
        FILTER NOT EXISTS {{ GRAPH {ev} {{ ?e <{KG.report}> ?x }} }} }}""")


def _orphaned(store: Store) -> set[str]:
    """Reports that an event or quotation holds but no article has any more."""
    ev = store.minter.events_graph
    return _column(store, f"""SELECT DISTINCT ?x WHERE {{ GRAPH {ev} {{ ?m <{KG.report}> ?x }}
        FILTER NOT EXISTS {{ GRAPH ?a {{ ?x a ?c }} }} }}""")


def _names(store: Store, agents: set[str]) -> dict[str, str]:
    if not agents:
        return {}
    return {r["x"].value: r["n"].value for r in store.query(
        f"SELECT ?x ?n WHERE {{ VALUES ?x {{ {sparql.iris(agents)} }} ?x <{SCHEMA.name}> ?n }}")}


def _within(store: Store, agents: set[str]) -> dict[str, set[str]]:
    """agent -> the organisations and places it holds a role in (the shared graph's memberships)."""
    if not agents:
        return {}
    rows = store.query(f"""SELECT DISTINCT ?x ?o WHERE {{ VALUES ?x {{ {sparql.iris(agents)} }}
        GRAPH {store.minter.shared_graph} {{ ?m <{ORG.member}> ?x ; <{ORG.organization}> ?o }} }}""")
    out: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        out[r["x"].value].add(r["o"].value)
    return out


def acted_for(store: Store, before: dict[str, tuple[str, str]], after: dict[str, tuple[str, str]]) -> set[str]:
    """The articles with a meeting of both a member and its organisation whose membership came or
    went between `before` and `after` (kg.link.shared.membership_pairs): it changes who acted."""
    pairs = {before[m] for m in before.keys() - after.keys()} | {after[m] for m in after.keys() - before.keys()}
    if not pairs:
        return set()
    rows = " ".join(f"({sparql.iri(x)} {sparql.iri(o)})" for x, o in sorted(pairs))
    return _column(store, f"""SELECT DISTINCT ?a WHERE {{ VALUES (?x ?o) {{ {rows} }}
        GRAPH ?a {{ ?m <{KG.participant}> ?x ; <{KG.participant}> ?o ; a <{KG.Meeting}> }} }}""")


def _column(store: Store, query: str) -> set[str]:
    return {r[0].value for r in store.query(query)}




def _first(s: ox.NamedNode, published: date | None, publisher: str | None, graph: ox.NamedNode) -> list[ox.Quad]:
    out = []
    if published:
        out.append(ox.Quad(s, n(KG.firstReported), _day_literal(published), graph))
    if publisher:
        out.append(ox.Quad(s, n(KG.firstOutlet), ox.NamedNode(publisher), graph))
    return out


def _day_literal(d: date) -> ox.Literal:
    return ox.Literal(d.isoformat(), datatype=n(XSD.date))


def _value(term: object) -> str | None:
    return term.value if term is not None else None


def _published(term: object) -> date | None:
    try:
        return date.fromisoformat(term.value[:10]) if term is not None else None
    except ValueError:
        return None
