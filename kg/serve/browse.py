"""What the home page and the index pages show: counts of what is in the store, the newest
articles, the most mentioned entities, the latest events; and paged, filtered lists of articles,
entities and meetings with facet counts (Datasette-style: each facet value with how many rows it
would leave). Plain dicts for the templates, read with SPARQL from the store."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from kg.rdf.sparql import iri
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


def _one(store: ox.Store, query: str, functions: dict | None = None) -> int:
    rows = select(store, query, functions=functions)
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
    BIND(REPLACE(STR(?s), "^.*#", "") AS ?status) BIND(COALESCE(SUBSTR(STR(?date), 1, 4), "undated") AS ?year)
    BIND(IF(EXISTS { ?e kg:report ?call . ?call a kg:PhoneCall }, "call", "meeting") AS ?kind)"""
VARIABLE = re.compile(r"[?]\w+")
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _status_counts(store: ox.Store, year: str | None = None) -> list[dict]:
    """Events by current status (of one year), in the order of STATUS_ORDER."""
    only = f"FILTER(?year = {_literal(year)})" if year else ""
    found = {r["status"]: int(r["n"]) for r in select(store, f"""SELECT ?status (COUNT(?e) AS ?n) WHERE {{
        {EVENTS} {only} }} GROUP BY ?status""")}
    return [{"value": s, "label": s.lower(), "n": found[s]} for s in STATUS_ORDER if s in found]


def _facet(store: ox.Store, query: str, functions: dict | None = None) -> list[dict]:
    return [{"value": r["value"], "label": r.get("label") or r["value"], "n": int(r["n"])}
            for r in select(store, query, functions=functions)]


def _window(page: int) -> str:
    return f"LIMIT {PAGE} OFFSET {(max(1, page) - 1) * PAGE}"


def articles(store: ox.Store, *, args: dict[str, str] | None = None, page: int = 1, facets: bool = True) -> Page:
    """Articles, newest first, with their date and outlet; facets by outlet and year."""
    outlet, year = (args or {}).get("outlet"), (args or {}).get("year")
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


def entities(store: ox.Store, *, args: dict[str, str] | None = None, page: int = 1, facets: bool = True) -> Page:
    """People, organisations and places, most mentioned first (articles that mention them), with
    a case-blind name search; a facet by type."""
    type, q = (args or {}).get("type"), (args or {}).get("q")
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


MEETING_FILTERS = ("status", "year", "participant", "place", "kind", "from", "to", "sort")
MEETING_SORTS = {"date": "DESC(STR(?date)) ?e", "oldest": "STR(?date) ?e", "reports": "DESC(?reports) DESC(STR(?date)) ?e",
                 "first": "DESC(STR(?first)) ?e"}
KINDS = ("meeting", "call")


def meeting_filters(args: dict[str, str]) -> tuple[str, str]:
    """(graph pattern, FILTERs) of the events the filters keep; a bad value is a ValueError.
    IRIs go in through kg.rdf.sparql.iri, literals through pyoxigraph's Literal."""
    status, year, kind = args.get("status"), args.get("year"), args.get("kind")
    if status is not None and status not in STATUS_ORDER:
        raise ValueError(f"status must be one of {', '.join(STATUS_ORDER)}, not {status!r}")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    for name in ("from", "to"):
        if args.get(name) and not DATE.fullmatch(args[name]):
            raise ValueError(f"{name} must be YYYY, YYYY-MM or YYYY-MM-DD, not {args[name]!r}")
    if args.get("sort", "date") not in MEETING_SORTS:
        raise ValueError(f"sort must be one of {', '.join(MEETING_SORTS)}")
    pattern = EVENTS + "".join(f" ?e kg:{p} {iri(args[name])} ." for name, p in
                               (("participant", "participant"), ("place", "location")) if args.get(name))
    filters = [f"?status = {_literal(status)}" if status else "", f"?year = {_literal(year)}" if year else "",
               f"?kind = {_literal(kind)}" if kind else "",
               f"BOUND(?date) && SUBSTR(STR(?date), 1, {len(args['from'])}) >= {_literal(args['from'])}"
               if args.get("from") else "",
               f"BOUND(?date) && SUBSTR(STR(?date), 1, {len(args['to'])}) <= {_literal(args['to'])}"
               if args.get("to") else ""]
    return pattern, " ".join(f"FILTER({f})" for f in filters if f)


def meetings_query(args: dict[str, str]) -> str:
    """The SPARQL of the meetings view with these filters: one row per event, newest first (or as
    `sort` says), with its status, date, place, participants and reports. Pages, exports and the
    "as SPARQL" link all run this text."""
    pattern, filters = meeting_filters(args)
    return f"""SELECT ?e ?status ?date ?first ?place ?placename ?reports ?who WHERE {{
  {{ SELECT ?e ?status ?date WHERE {{ {pattern} {filters} }} }}
  OPTIONAL {{ ?e kg:location ?place . ?place schema:name ?placename }} OPTIONAL {{ ?e kg:firstReported ?first }}
  {{ SELECT ?e (COUNT(?r) AS ?reports) WHERE {{ ?e kg:report ?r }} GROUP BY ?e }}
  {{ SELECT ?e (GROUP_CONCAT(?pname; separator=", ") AS ?who) WHERE {{
     {{ SELECT DISTINCT ?e ?pname WHERE {{ ?e a kg:Event ; kg:participant ?p . ?p schema:name ?pname }} ORDER BY ?pname }}
  }} GROUP BY ?e }}
}} ORDER BY {MEETING_SORTS[args.get("sort", "date")]}"""


def meetings(store: ox.Store, *, args: dict[str, str] | None = None, page: int = 1, facets: bool = True) -> Page:
    """Meetings and calls as events (one real-world meeting however many articles report it),
    filtered on any of MEETING_FILTERS, with facet counts for status, year (undated its own
    bucket), kind, participant and place under the same filters."""
    args = args or {}
    pattern, filters = meeting_filters(args)
    return _view(store, meetings_query(args), pattern, filters, "?e", page, facets and {
        "status": ("?status", None, ""), "year": ("?year", None, ""), "kind": ("?kind", None, ""),
        "participant": ("STR(?p)", "?pn", "?e kg:participant ?p . ?p schema:name ?pn"),
        "place": ("STR(?pl)", "?pln", "?e kg:location ?pl . ?pl schema:name ?pln")})


STATEMENT_FILTERS = ("q", "speaker", "side", "outlet", "year", "form", "sort")
STATEMENT_SORTS = {"date": "DESC(STR(?published)) ?st", "oldest": "STR(?published) ?st"}
FORMS = ("quoted", "reported")
STATEMENTS = """GRAPH ?a { ?st a kg:Statement ; kg:speaker ?speaker ; kg:text ?text ; kg:direct ?direct
      OPTIONAL { ?a schema:datePublished ?published } OPTIONAL { ?a schema:publisher ?pub } }
    BIND(COALESCE(SUBSTR(STR(?published), 1, 4), "undated") AS ?year) BIND(IF(?direct, "quoted", "reported") AS ?form)"""


def statement_filters(args: dict[str, str]) -> tuple[str, str]:
    """(graph pattern, FILTERs) of the statements the filters keep: who said it, the organisation
    or country the speaker holds a role in ("side"), the outlet, the year, quoted or reported, and
    words (the search index, through kg:matches)."""
    if args.get("form") is not None and args["form"] not in FORMS:
        raise ValueError(f"form must be one of {', '.join(FORMS)}, not {args['form']!r}")
    if args.get("sort", "date") not in STATEMENT_SORTS:
        raise ValueError(f"sort must be one of {', '.join(STATEMENT_SORTS)}")
    pattern = STATEMENTS + "".join(extra.format(iri(args[name])) for name, extra in (
        ("speaker", " FILTER(?speaker = {})"), ("outlet", " FILTER(?pub = {})"),
        ("side", " ?speaker ^org:member/org:organization {} .")) if args.get(name))
    filters = [f"?{name} = {_literal(args[name])}" for name in ("year", "form") if args.get(name)]
    if args.get("q"):
        filters.append(f"kg:matches(?st, {_literal(args['q'])})")
    return pattern, " ".join(f"FILTER({f})" for f in filters)


def statements_query(args: dict[str, str]) -> str:
    """The SPARQL of the statements view: one row per statement, newest article first."""
    pattern, filters = statement_filters(args)
    return f"""SELECT ?st ?a ?published ?speaker ?spname ?verb ?form ?text ?outlet WHERE {{
  {{ SELECT ?st ?a ?published ?speaker ?form ?text ?pub WHERE {{ {pattern} {filters} }} }}
  OPTIONAL {{ ?speaker schema:name ?spname }} OPTIONAL {{ GRAPH ?a {{ ?st kg:reportingVerb ?verb }} }}
  OPTIONAL {{ ?pub schema:name ?outlet }}
}} ORDER BY {STATEMENT_SORTS[args.get("sort", "date")]}"""


def statements(store: ox.Store, *, args: dict[str, str] | None = None, page: int = 1, facets: bool = True,
               functions: dict | None = None) -> Page:
    """Statements as each article reports them, filtered on any of STATEMENT_FILTERS, with facet
    counts for speaker, side, outlet, year and form under the same filters. `functions`: the
    store's kg:matches, for ?q=."""
    args = args or {}
    if args.get("q") and not functions:
        raise ValueError("this store has no search index for q=")
    pattern, filters = statement_filters(args)
    return _view(store, statements_query(args), pattern, filters, "?st", page, facets and {
        "speaker": ("STR(?speaker)", "?sn", "?speaker schema:name ?sn"),
        "side": ("STR(?org)", "?on", "?speaker ^org:member/org:organization ?org . ?org schema:name ?on"),
        "outlet": ("STR(?pub)", "?pn", "?pub schema:name ?pn"), "year": ("?year", None, ""), "form": ("?form", None, "")},
        functions)


def _view(store: ox.Store, query: str, pattern: str, filters: str, key: str, page: int,
          facets: dict[str, tuple[str, str | None, str]] | bool, functions: dict | None = None) -> Page:
    """A page of a view's rows, how many in all, and its facets: name -> (value expression, label
    variable or None, extra pattern); values with few rows are counted whole, the others' top 20."""
    rows = select(store, f"{query} {_window(page)}", functions=functions)
    total = _one(store, f"SELECT (COUNT(DISTINCT {key}) AS ?n) WHERE {{ {pattern} {filters} }}", functions)
    if not facets:
        return Page(rows, total, page, {})
    counts = {}
    for name, (value, label, extra) in facets.items():
        named = f"(SAMPLE({label}) AS ?label)" if label else ""
        order = "DESC(?n) ?label" if label else "DESC(?n) ?value"
        counts[name] = _facet(store, f"""SELECT ({value} AS ?value) {named} (COUNT(DISTINCT {key}) AS ?n)
            WHERE {{ {pattern} {filters} {extra} }} GROUP BY {VARIABLE.search(value).group()}
            ORDER BY {order} LIMIT {100 if label is None else 20}""", functions)
    if "status" in counts:
        rank = {s: i for i, s in enumerate(STATUS_ORDER)}
        counts["status"].sort(key=lambda f: rank[f["value"]])
    if "year" in counts:
        counts["year"].sort(key=lambda f: f["value"], reverse=True)
    return Page(rows, total, page, counts)
