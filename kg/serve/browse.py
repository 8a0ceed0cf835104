"""What the home page and the index pages show: counts of what is in the store, the newest
articles, the most mentioned entities, the latest events; and paged, filtered lists of articles,
entities and meetings with facet counts (Datasette-style: each facet value with how many rows it
would leave). Plain dicts for the templates, read with SPARQL from the store."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from kg.rdf.sparql import iri, iris
from kg.serve.describe import STATUS_ORDER, select
from kg.stores.search import SearchIndex

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
    BIND(REPLACE(STR(?s), "^.*#", "") AS ?status) BIND(COALESCE(SUBSTR(STR(?date), 1, 4), "undated") AS ?year)
    BIND(IF(EXISTS { ?e kg:report ?call . ?call a kg:PhoneCall }, "call", "meeting") AS ?kind)"""
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _status_counts(store: ox.Store) -> list[dict]:
    """Events by current status, in the order of STATUS_ORDER."""
    found = {r["status"]: int(r["n"]) for r in select(store, """SELECT ?status (COUNT(?e) AS ?n) WHERE {
        ?e a kg:Event ; kg:status ?s BIND(REPLACE(STR(?s), "^.*#", "") AS ?status) } GROUP BY ?status""")}
    return [{"value": s, "label": s.lower(), "n": found[s]} for s in STATUS_ORDER if s in found]


def _facet(store: ox.Store, query: str) -> list[dict]:
    return [{"value": r["value"], "label": r.get("label") or r["value"], "n": int(r["n"])} for r in select(store, query)]


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


def meetings_query(args: dict[str, str], window: str = "") -> str:
    """The SPARQL of the meetings view with these filters: one row per event (and place), newest
    first (or as `sort` says), with its status, date, place, participants and reports. Pages (with
    a `window`: LIMIT/OFFSET, applied before names are looked up), exports and the "as SPARQL" link
    all run this text."""
    pattern, filters = meeting_filters(args)
    order = MEETING_SORTS[args.get("sort", "date")]
    return f"""SELECT ?e ?status ?date ?first ?reports ?place ?placename (GROUP_CONCAT(DISTINCT ?pname; separator=", ") AS ?who)
WHERE {{
  {{ SELECT ?e ?status ?date ?first ?reports WHERE {{ {pattern} {filters} OPTIONAL {{ ?e kg:firstReported ?first }}
     {{ SELECT ?e (COUNT(?r) AS ?reports) WHERE {{ ?e kg:report ?r }} GROUP BY ?e }} }} ORDER BY {order} {window} }}
  OPTIONAL {{ ?e kg:location ?place . ?place schema:name ?placename }}
  OPTIONAL {{ ?e kg:participant ?p . ?p schema:name ?pname }}
}} GROUP BY ?e ?status ?date ?first ?reports ?place ?placename ORDER BY {order}"""


def meetings(store: ox.Store, *, args: dict[str, str] | None = None, page: int = 1, facets: bool = True) -> Page:
    """Meetings and calls as events (one real-world meeting however many articles report it),
    filtered on any of MEETING_FILTERS, with facet counts for status, year (undated its own
    bucket), kind, participant and place under the same filters."""
    args = args or {}
    pattern, filters = meeting_filters(args)
    return _view(store, meetings_query(args, _window(page)), pattern, filters, "?e", page, facets and {
        "status": ("?status", ""), "year": ("?year", ""), "kind": ("?kind", ""),
        "participant": ("?p", "?e kg:participant ?p ."), "place": ("?pl", "?e kg:location ?pl .")})


STATEMENT_FILTERS = ("q", "speaker", "side", "outlet", "year", "form", "sort")
STATEMENT_SORTS = {"date": "DESC(STR(?published)) ?st", "oldest": "STR(?published) ?st"}
FORMS = ("quoted", "reported")
STATEMENTS = """GRAPH ?a { ?st a kg:Statement ; kg:speaker ?speaker ; kg:text ?text ; kg:direct ?direct
      OPTIONAL { ?a schema:datePublished ?published } OPTIONAL { ?a schema:publisher ?pub } }
    BIND(COALESCE(SUBSTR(STR(?published), 1, 4), "undated") AS ?year) BIND(IF(?direct, "quoted", "reported") AS ?form)"""


def statement_filters(args: dict[str, str], hits: set[str] | None = None) -> tuple[str, str]:
    """(graph pattern, FILTERs) of the statements the filters keep: who said it, the organisation
    or country the speaker holds a role in ("side"), the outlet, the year, quoted or reported, and
    words: the search index's `hits` for them when given (a page), else kg:matches (the query text
    an export or the SPARQL link runs, with the same answer)."""
    if args.get("form") is not None and args["form"] not in FORMS:
        raise ValueError(f"form must be one of {', '.join(FORMS)}, not {args['form']!r}")
    if args.get("sort", "date") not in STATEMENT_SORTS:
        raise ValueError(f"sort must be one of {', '.join(STATEMENT_SORTS)}")
    pattern = "".join(extra.format(iri(args[name])) for name, extra in (  # the side's members first: a few
        ("side", "{{ SELECT DISTINCT ?speaker WHERE {{ ?m org:organization {} ; org:member ?speaker }} }} "),
        ("speaker", "VALUES ?speaker {{ {} }} "), ("outlet", "VALUES ?pub {{ {} }} ")) if args.get(name)) + STATEMENTS
    filters = [f"?{name} = {_literal(args[name])}" for name in ("year", "form") if args.get(name)]
    if args.get("q") and hits is not None:
        pattern = f"VALUES ?st {{ {iris(hits)} }} " + pattern
    elif args.get("q"):
        filters.append(f"kg:matches(?st, {_literal(args['q'])})")
    return pattern, " ".join(f"FILTER({f})" for f in filters)


def statements_query(args: dict[str, str], window: str = "", hits: set[str] | None = None) -> str:
    """The SPARQL of the statements view: one row per statement, newest article first (a page's
    `window` is applied before names are looked up)."""
    pattern, filters = statement_filters(args, hits)
    order = STATEMENT_SORTS[args.get("sort", "date")]
    return f"""SELECT ?st ?a ?published ?speaker ?spname ?verb ?form ?text ?outlet WHERE {{
  {{ SELECT ?st ?a ?published ?speaker ?form ?text ?pub WHERE {{ {pattern} {filters} }} ORDER BY {order} {window} }}
  OPTIONAL {{ ?speaker schema:name ?spname }} OPTIONAL {{ GRAPH ?a {{ ?st kg:reportingVerb ?verb }} }}
  OPTIONAL {{ ?pub schema:name ?outlet }}
}} ORDER BY {order}"""


def statements(store: ox.Store, *, args: dict[str, str] | None = None, page: int = 1, facets: bool = True,
               search: SearchIndex | None = None) -> Page:
    """Statements as each article reports them, filtered on any of STATEMENT_FILTERS, with facet
    counts for speaker, side, outlet, year and form under the same filters. `search`: the store's
    index, for ?q= (its hits are looked up once: a function called per row costs seconds)."""
    args = args or {}
    if args.get("q") and search is None:
        raise ValueError("this store has no search index for q=")
    hits = search.iris(args["q"], kind="statement") if args.get("q") else None
    pattern, filters = statement_filters(args, hits)
    return _view(store, statements_query(args, _window(page), hits), pattern, filters, "?st", page, facets and {
        "speaker": ("?speaker", ""), "outlet": ("?pub", ""), "year": ("?year", ""), "form": ("?form", "")})


def _view(store: ox.Store, query: str, pattern: str, filters: str, key: str, page: int,
          facets: dict[str, tuple[str, str]] | bool) -> Page:
    """A page of a view's rows (`query`, windowed), how many in all, and its facets: name ->
    (variable, the pattern that binds it); a facet of IRIs shows its top 20 values by name (looked
    up for those 20 only: joining names into the count costs minutes on a big store), one of
    plain values all of them."""
    rows = select(store, query)
    for r in rows:  # the names of a row in one order, whatever order the engine joined them in
        if r.get("who"):
            r["who"] = ", ".join(sorted(r["who"].split(", ")))
    total = _one(store, f"SELECT (COUNT(DISTINCT {key}) AS ?n) WHERE {{ {pattern} {filters} }}")
    if not facets:
        return Page(rows, total, page, {})
    counts = {name: _counts(store, f"""SELECT ({var} AS ?value) (COUNT(DISTINCT {key}) AS ?n)
                  WHERE {{ {pattern} {filters} {extra} }} GROUP BY {var}""")
              for name, (var, extra) in facets.items()}
    if "speaker" in counts:  # a speaker's side: the organisations and countries they hold a role in
        counts["side"] = _sides(store, counts["speaker"])
    names = labels(store, {v for values in counts.values() for v, _n in values})
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    order = {"status": lambda f: rank.get(f[0], 9), "year": lambda f: f[0]}
    shown = {}
    for name, values in counts.items():
        kept = sorted(values, key=order[name], reverse=name == "year") if name in order else \
            sorted(values, key=lambda f: (-f[1], names.get(f[0], f[0])))[:20]
        shown[name] = [{"value": v, "label": names.get(v, v), "n": n} for v, n in kept]
    return Page(rows, total, page, shown)


def _counts(store: ox.Store, query: str) -> list[tuple[str, int]]:
    return [(r["value"], int(r["n"])) for r in select(store, query) if r["value"] is not None]


def _sides(store: ox.Store, speakers: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Statements by side, from the statements by speaker: each speaker's count goes to every
    organisation or country they hold a role in (a statement has one speaker)."""
    said = dict(speakers)
    if not said:
        return []
    sides: dict[str, int] = {}
    for r in select(store, f"""SELECT DISTINCT ?x ?org WHERE {{ VALUES ?x {{ {iris(said)} }}
            ?m org:member ?x ; org:organization ?org }}"""):
        sides[r["org"]] = sides.get(r["org"], 0) + said[r["x"]]
    return list(sides.items())


def labels(store: ox.Store, values: set[str]) -> dict[str, str]:
    """The names of the IRIs among these values."""
    found = {v for v in values if v.startswith(("http://", "https://"))}
    if not found:
        return {}
    return {r["x"]: r["n"] for r in select(store, f"""SELECT ?x (SAMPLE(?name) AS ?n) WHERE {{
        VALUES ?x {{ {iris(found)} }} ?x schema:name ?name }} GROUP BY ?x""")}
