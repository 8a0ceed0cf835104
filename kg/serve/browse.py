"""What the home page and the index pages show: counts of what is in the store, the newest
articles, the most mentioned entities, the latest events; and paged, filtered lists of articles,
entities and meetings with facet counts (Datasette-style: each facet value with how many rows it
would leave). Plain dicts for the templates, read with SPARQL from the store."""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.serve.describe import STATUS_ORDER, select

PAGE = 50  # rows per index page
TOP = 10  # rows per list on the home page
ENTITY_TYPES = ("Person", "Organisation", "Place")


@dataclass(frozen=True)
class Page:
    rows: list[dict]
    total: int
    page: int
    facets: dict[str, list[dict]]  # facet name -> [{"value", "label", "n"}], most rows first

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE))


def _one(store: ox.Store, query: str) -> int:
    rows = select(store, query)
    return int(rows[0]["n"]) if rows and rows[0]["n"] is not None else 0


def _literal(text: str) -> str:
    return str(ox.Literal(text))


def home(store: ox.Store) -> dict:
    counts = {t: 0 for t in ENTITY_TYPES}
    for r in select(store, """SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {
            ?e a ?t . VALUES ?t { kg:Person kg:Organisation kg:Place } BIND(REPLACE(STR(?t), "^.*#", "") AS ?type) }
            GROUP BY ?type"""):
        counts[r["type"]] = int(r["n"])
    return {"articles": _one(store, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?a { ?a a kg:Article } }"),
            "entities": counts,
            "meetings": _one(store, "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { GRAPH ?a { ?m a kg:Meeting } }"),
            "events": _status_counts(store),
            "statements": _one(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?a { ?s a kg:Statement } }"),
            "quotations": _one(store, "SELECT (COUNT(?q) AS ?n) WHERE { ?q a kg:Quotation }"),
            "newest": articles(store, facets=False).rows[:TOP],
            "mentioned": entities(store, facets=False).rows[:TOP],
            "latest": meetings(store, facets=False).rows[:TOP]}


EVENTS = """?e a kg:Event ; kg:status ?s . OPTIONAL { ?e kg:date ?date }
    BIND(REPLACE(STR(?s), "^.*#", "") AS ?status) BIND(SUBSTR(STR(?date), 1, 4) AS ?year)"""


def _status_counts(store: ox.Store, year: str | None = None) -> list[dict]:
    """Events by current status (of one year), in the order of STATUS_ORDER."""
    only = f"FILTER(?year = {_literal(year)})" if year else ""
    found = {r["status"]: int(r["n"]) for r in select(store, f"""SELECT ?status (COUNT(?e) AS ?n) WHERE {{
        {EVENTS} {only} }} GROUP BY ?status""")}
    return [{"value": s, "label": s.lower(), "n": found[s]} for s in STATUS_ORDER if s in found]


def _facet(store: ox.Store, query: str) -> list[dict]:
    return [{"value": r["value"], "label": r.get("label") or r["value"], "n": int(r["n"])} for r in select(store, query)]


def _window(page: int) -> str:
    return f"LIMIT {PAGE} OFFSET {(max(1, page) - 1) * PAGE}"


def articles(store: ox.Store, *, outlet: str | None = None, year: str | None = None, page: int = 1,
             facets: bool = True) -> Page:
    """Articles, newest first, with their date and outlet; facets by outlet and year."""
    # the outlet's name inside the OPTIONAL that binds ?pub: outside, Oxigraph joins every name
    where = """GRAPH ?a { ?a a kg:Article OPTIONAL { ?a schema:datePublished ?date } OPTIONAL { ?a schema:headline ?headline } }
               OPTIONAL { GRAPH ?a { ?a schema:publisher ?pub } OPTIONAL { ?pub schema:name ?outlet } }
               BIND(SUBSTR(STR(?date), 1, 4) AS ?year)"""
    filters = (f"FILTER(?pub = {ox.NamedNode(outlet)})" if outlet else "") + \
              (f"FILTER(?year = {_literal(year)})" if year else "")
    rows = select(store, f"""SELECT ?a ?headline ?date ?outlet ?pub WHERE {{ {where} {filters} }}
        ORDER BY DESC(STR(?date)) ?a {_window(page)}""")
    total = _one(store, f"SELECT (COUNT(?a) AS ?n) WHERE {{ {where} {filters} }}")
    if not facets:
        return Page(rows, total, page, {})
    counts = {"outlet": _facet(store, f"""SELECT (STR(?pub) AS ?value) (SAMPLE(?outlet) AS ?label) (COUNT(?a) AS ?n)
                  WHERE {{ {where} {filters} FILTER(BOUND(?pub)) }} GROUP BY ?pub ORDER BY DESC(?n) ?label LIMIT 30"""),
              "year": _facet(store, f"""SELECT (?year AS ?value) (COUNT(?a) AS ?n) WHERE {{ {where} {filters}
                  FILTER(?year != "") }} GROUP BY ?year ORDER BY DESC(?year)""")}
    return Page(rows, total, page, counts)


def entities(store: ox.Store, *, type: str | None = None, q: str | None = None, page: int = 1,
             facets: bool = True) -> Page:
    """People, organisations and places, most mentioned first (articles that mention them), with
    a case-blind name search; a facet by type."""
    if type is not None and type not in ENTITY_TYPES:
        raise ValueError(f"type must be one of {', '.join(ENTITY_TYPES)}, not {type!r}")
    where = f"""?e a ?t ; schema:name ?name . VALUES ?t {{ kg:Person kg:Organisation kg:Place }}
        BIND(REPLACE(STR(?t), "^.*#", "") AS ?type)
        {f'FILTER(CONTAINS(LCASE(?name), LCASE({_literal(q)})))' if q else ''}"""
    only = f"FILTER(?type = {_literal(type)})" if type else ""
    rows = select(store, f"""SELECT ?e (SAMPLE(?name) AS ?n) (SAMPLE(?type) AS ?ty) (COUNT(DISTINCT ?a) AS ?articles)
        WHERE {{ {where} {only} OPTIONAL {{ GRAPH ?a {{ ?a schema:mentions ?e }} }} }}
        GROUP BY ?e ORDER BY DESC(?articles) ?n ?e {_window(page)}""")
    rows = [{"e": r["e"], "name": r["n"], "type": r["ty"], "articles": r["articles"]} for r in rows]
    total = _one(store, f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {where} {only} }}")
    if not facets:
        return Page(rows, total, page, {})
    counts = {"type": _facet(store, f"""SELECT (?type AS ?value) (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {where} }}
                                        GROUP BY ?type ORDER BY DESC(?n)""")}
    return Page(rows, total, page, counts)


def meetings(store: ox.Store, *, status: str | None = None, year: str | None = None, page: int = 1,
             facets: bool = True) -> Page:
    """Meetings and calls as events (one real-world meeting however many articles report it),
    newest first, with participants, place, current status and the number of reports; facets by
    status and year."""
    if status is not None and status not in STATUS_ORDER:
        raise ValueError(f"status must be one of {', '.join(STATUS_ORDER)}, not {status!r}")
    where = EVENTS
    filters = (f"FILTER(?status = {_literal(status)})" if status else "") + \
              (f"FILTER(?year = {_literal(year)})" if year else "")
    rows = select(store, f"""SELECT ?e ?status ?date ?first ?placename ?reports ?who WHERE {{
        {{ SELECT ?e ?status ?date WHERE {{ {where} {filters} }} ORDER BY DESC(STR(?date)) ?e {_window(page)} }}
        OPTIONAL {{ ?e kg:location ?pl . ?pl schema:name ?placename }} OPTIONAL {{ ?e kg:firstReported ?first }}
        {{ SELECT ?e (COUNT(?r) AS ?reports) WHERE {{ ?e kg:report ?r }} GROUP BY ?e }}
        {{ SELECT ?e (GROUP_CONCAT(?pname; separator=", ") AS ?who) WHERE {{
            {{ SELECT DISTINCT ?e ?pname WHERE {{ ?e a kg:Event ; kg:participant ?p . ?p schema:name ?pname }} ORDER BY ?pname }}
           }} GROUP BY ?e }} }}
        ORDER BY DESC(STR(?date)) ?e""")
    total = _one(store, f"SELECT (COUNT(?e) AS ?n) WHERE {{ {where} {filters} }}")
    if not facets:
        return Page(rows, total, page, {})
    counts = {"status": _status_counts(store, year),
              "year": _facet(store, f"""SELECT (?year AS ?value) (COUNT(?e) AS ?n) WHERE {{ {where} {filters}
                                        FILTER(?year != "") }} GROUP BY ?year ORDER BY DESC(?year)""")}
    return Page(rows, total, page, counts)
