"""What the pages show about one resource, read from the store: plain dicts for the templates,
and the resource's triples for RDF clients; plus the service description with its VoID counts."""
from __future__ import annotations

import json

import pyoxigraph as ox

from kg.rdf.ids import short_hash
from kg.rdf.sparql import bind_values, iris
from kg.rdf.vocab import KG, ORG, OWL, SCHEMA, SPARQL_PROLOGUE, VOID
from kg.rdf.formats import FORMATS

ENTITY_CLASSES = {str(KG.Person): "Person", str(KG.Organisation): "Organisation", str(KG.Place): "Place"}
LIST = 100  # rows per page of each list on a resource's page; every list says where it stands
LISTS = ("events", "meetings", "said", "about", "articles", "incoming")  # each paged by ?NAME=K


def select(store: ox.Store, query: str, **bind: str | None) -> list[dict[str, str | None]]:
    """Rows of `query`, with each ?name in `bind` bound to that IRI (kg.rdf.sparql.bind_values)."""
    res = store.query(SPARQL_PROLOGUE + bind_values(query, **bind), use_default_graph_as_union=True)
    names = [v.value for v in res.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in res]


def exists(store: ox.Store, iri: str) -> bool:
    node = ox.NamedNode(iri)
    return any(True for _ in store.quads_for_pattern(node, None, None, None)) or store.contains_named_graph(node)


def listed(store: ox.Store, query: str, count: str, page: int, **bind: str | None) -> dict:
    """One page of a list (LIST rows of `query`, which orders them) and where it stands: rows
    `first`–`last` of `total` (`count` binds ?n), on page `page` of `pages`."""
    offset = (page - 1) * LIST
    rows = select(store, f"{query} LIMIT {LIST} OFFSET {offset}", **bind)
    found = select(store, count, **bind)
    total = int(found[0]["n"]) if found and found[0]["n"] is not None else 0
    return {"rows": rows, "total": total, "page": page, "pages": max(1, -(-total // LIST)),
            "first": offset + 1 if rows else 0, "last": offset + len(rows)}


def resource(store: ox.Store, iri: str, pages: dict[str, int] | None = None) -> dict:
    """Everything a page about `iri` shows. 'kind' picks the template: entity, article or resource.
    `pages`: the page of each long list to show (LISTS; 1 when not given)."""
    at = {name: (pages or {}).get(name, 1) for name in LISTS}
    types = {r["t"] for r in select(store, "SELECT DISTINCT ?t WHERE { ?x a ?t }", x=iri)}
    names = select(store, "SELECT ?n ?alt WHERE { OPTIONAL { ?x schema:name ?n } OPTIONAL { ?x schema:alternateName ?alt } }",
                  x=iri)
    view = {"iri": iri, "types": sorted(types), "name": next((r["n"] for r in names if r["n"]), None),
            "aliases": sorted({r["alt"] for r in names if r["alt"]})}
    if types & set(ENTITY_CLASSES):
        view["kind"] = "entity"
        view["type"] = next(ENTITY_CLASSES[t] for t in sorted(types) if t in ENTITY_CLASSES)
        view.update(_entity(store, iri, at))
    elif types & {str(KG.Event), str(KG.Quotation)}:
        view["kind"] = "event"
        view.update(_fused(store, iri))
    elif types & {str(KG.Meeting), str(KG.Statement)}:
        view["kind"] = "fact"
        view.update(_fact(store, iri, statement=str(KG.Statement) in types))
    elif str(KG.Article) in types:
        view["kind"] = "article"
        view.update(_article(store, iri))
    else:
        view["kind"] = "resource"
        view["properties"] = select(store, """SELECT ?p ?o ?oname ?g WHERE { GRAPH ?g { ?x ?p ?o }
            OPTIONAL { ?o schema:name ?oname } } ORDER BY ?p ?o""", x=iri)
        view["incoming"] = listed(store, """SELECT DISTINCT ?s ?sname ?p WHERE { ?s ?p ?x FILTER(?p != schema:mentions)
            OPTIONAL { ?s schema:name ?sname } } ORDER BY ?p ?s""", """SELECT (COUNT(*) AS ?n) WHERE {
            SELECT DISTINCT ?s ?p WHERE { ?s ?p ?x FILTER(?p != schema:mentions) } }""", at["incoming"], x=iri)
    return view


def _entity(store: ox.Store, iri: str, at: dict[str, int]) -> dict:
    """An entity's roles, members, events, meetings, statements by and about it, and articles;
    the last five lists a page at a time (`at`: list -> page)."""
    roles = select(store, f"""SELECT ?role ?org ?orgname (SAMPLE(?s) AS ?sentence) (SAMPLE(?a) AS ?article) WHERE {{
        ?m <{ORG.member}> ?x ; <{ORG.role}>/rdfs:label ?role .
        OPTIONAL {{ ?m <{ORG.organization}> ?org . OPTIONAL {{ ?org schema:name ?orgname }} }}
        OPTIONAL {{ GRAPH ?a {{ ?m kg:evidence ?ev . ?ev kg:sentence ?s }} }} }} GROUP BY ?role ?org ?orgname ORDER BY ?role""", x=iri)
    members = select(store, f"""SELECT DISTINCT ?person ?pname ?role WHERE {{ ?m <{ORG.organization}> ?x ;
        <{ORG.member}> ?person ; <{ORG.role}>/rdfs:label ?role . ?person schema:name ?pname }} ORDER BY ?pname""", x=iri)
    meetings = listed(store, """SELECT DISTINCT ?m WHERE { GRAPH ?a { ?m a kg:Meeting ; kg:participant ?x
        OPTIONAL { ?m kg:date ?date } OPTIONAL { ?a schema:datePublished ?published } } }
        ORDER BY DESC(COALESCE(?date, ?published)) ?m""", """SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {
        GRAPH ?a { ?m a kg:Meeting ; kg:participant ?x } }""", at["meetings"], x=iri)
    order = {r["m"]: i for i, r in enumerate(meetings["rows"])}
    meetings["rows"] = sorted(_meetings(store, f"VALUES ?m {{ {iris(order)} }}"), key=lambda m: order[m["iri"]]) \
        if order else []
    events = listed(store, """SELECT ?e ?status ?asof ?date ?placename (COUNT(DISTINCT ?a) AS ?articles)
        (GROUP_CONCAT(DISTINCT ?other; separator=", ") AS ?with) WHERE {
        ?e a kg:Event ; kg:participant ?x ; kg:status ?s ; kg:report ?m . GRAPH ?a { ?m a kg:Meeting }
        OPTIONAL { ?e kg:statusAsOf ?asof } OPTIONAL { ?e kg:date ?date }
        OPTIONAL { ?e kg:location ?pl . ?pl schema:name ?placename }
        OPTIONAL { ?e kg:participant ?o FILTER(?o != ?x) ?o schema:name ?other }
        BIND(REPLACE(STR(?s), "^.*#", "") AS ?status) }
        GROUP BY ?e ?status ?asof ?date ?placename ORDER BY DESC(?date) ?e""",
        "SELECT (COUNT(?e) AS ?n) WHERE { ?e a kg:Event ; kg:participant ?x }", at["events"], x=iri)
    history = _histories(store, "?e kg:participant ?x .", x=iri)
    for e in events["rows"]:
        e["history"] = " → ".join(history.get(e["e"], []))
    said = _statements(store, "?st kg:speaker ?x .", at["said"], x=iri)
    about = _statements(store, "?st kg:about ?x .", at["about"], x=iri)
    articles = listed(store, """SELECT ?a ?headline ?date WHERE { GRAPH ?a { ?a schema:mentions ?x }
        OPTIONAL { GRAPH ?a { ?a schema:headline ?headline } } OPTIONAL { GRAPH ?a { ?a schema:datePublished ?date } } }
        ORDER BY DESC(?date) ?a""", "SELECT (COUNT(?a) AS ?n) WHERE { GRAPH ?a { ?a schema:mentions ?x } }",
        at["articles"], x=iri)
    return {"roles": roles, "members": members, "meetings": meetings, "events": events, "said": said, "about": about,
            "articles": articles, "timeline": _timeline(iri, meetings["rows"], said["rows"])}


def _fused(store: ox.Store, iri: str) -> dict:
    """An event or a quotation: who, when, where, its status, and every report in publication
    order with the status or words its article gave, the outlet and the evidence sentence."""
    facts = select(store, """SELECT ?date ?status ?asof ?first ?outlet ?placename ?place ?text WHERE {
        OPTIONAL { ?x kg:date ?date } OPTIONAL { ?x kg:status ?s BIND(LCASE(REPLACE(STR(?s), "^.*#", "")) AS ?status) }
        OPTIONAL { ?x kg:statusAsOf ?asof } OPTIONAL { ?x kg:firstReported ?first } OPTIONAL { ?x kg:text ?text }
        OPTIONAL { ?x kg:firstOutlet ?o . ?o schema:name ?outlet }
        OPTIONAL { ?x kg:location ?place . ?place schema:name ?placename } } LIMIT 1""", x=iri)
    who = select(store, """SELECT DISTINCT ?p ?name WHERE { { ?x kg:participant ?p } UNION { ?x kg:speaker ?p }
        OPTIONAL { ?p schema:name ?name } } ORDER BY ?name""", x=iri)
    reports = select(store, """SELECT ?r ?a ?published ?status ?words ?headline ?outlet (MIN(?sentence) AS ?evidence) WHERE {
        ?x kg:report ?r .
        GRAPH ?a { ?r kg:evidence ?ev . ?ev kg:sentence ?sentence
                   OPTIONAL { ?r kg:status ?s BIND(LCASE(REPLACE(STR(?s), "^.*#", "")) AS ?status) }
                   OPTIONAL { ?r kg:text ?words }
                   OPTIONAL { ?a schema:datePublished ?published } OPTIONAL { ?a schema:headline ?headline }
                   }
        OPTIONAL { GRAPH ?a { ?a schema:publisher ?pub } ?pub schema:name ?outlet } }
        GROUP BY ?r ?a ?published ?status ?words ?headline ?outlet ORDER BY ?published ?a ?r""", x=iri)
    fact = facts[0] if facts else {}
    return {**fact, "title": _who_and_when(who, fact.get("date")), "who": who, "reports": reports}


def _who_and_when(who: list[dict], date: str | None) -> str:
    """'Donald Trump and Vladimir Putin, 2025-08': the participants' names, then the date."""
    names = [w["name"] or w["p"] for w in who]
    title = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    return title + (f", {date}" if date else "")


def _fact(store: ox.Store, iri: str, *, statement: bool) -> dict:
    """A meeting or a statement as one article reports it: who, when, where, its status or words,
    the evidence sentences (anchored in the article's text), the article, and the event or
    quotation it is a report of, with the other reports of it."""
    facts = select(store, """SELECT ?a ?headline ?published ?outlet ?status ?date ?place ?placename ?call ?trigger
            ?speaker ?spname ?text ?direct ?verb ?fused WHERE {
        GRAPH ?a { ?x a ?c FILTER(?c IN (kg:Meeting, kg:Statement))
          OPTIONAL { ?a schema:headline ?headline } OPTIONAL { ?a schema:datePublished ?published }
          OPTIONAL { ?x kg:status ?s BIND(LCASE(REPLACE(STR(?s), "^.*#", "")) AS ?status) } OPTIONAL { ?x kg:date ?date }
          OPTIONAL { ?x a ?k FILTER(?k IN (kg:PhoneCall, kg:VideoCall)) BIND(LCASE(REPLACE(STR(?k), "^.*#", "")) AS ?call) }
          OPTIONAL { ?x kg:trigger ?trigger } OPTIONAL { ?x kg:text ?text } OPTIONAL { ?x kg:direct ?direct }
          OPTIONAL { ?x kg:reportingVerb ?verb } }
        OPTIONAL { GRAPH ?a { ?a schema:publisher ?pub } OPTIONAL { ?pub schema:name ?outlet } }
        OPTIONAL { GRAPH ?a { ?x kg:location ?place } OPTIONAL { ?place schema:name ?placename } }
        OPTIONAL { GRAPH ?a { ?x kg:speaker ?speaker } OPTIONAL { ?speaker schema:name ?spname } }
        OPTIONAL { ?fused kg:report ?x } } LIMIT 1""", x=iri)
    fact = facts[0] if facts else {}
    who = select(store, """SELECT DISTINCT ?p ?name WHERE { GRAPH ?a { ?x kg:participant|kg:about ?p }
        OPTIONAL { ?p schema:name ?name } } ORDER BY ?name ?p""", x=iri)
    evidence = select(store, """SELECT ?sentence ?b ?e WHERE { GRAPH ?a { ?x kg:evidence ?ev .
        ?ev kg:sentence ?sentence ; kg:beginIndex ?b ; kg:endIndex ?e } } ORDER BY ?b""", x=iri)
    if statement:
        words = fact.get("text") or ""
        title = f"{fact.get('spname') or 'A source'}: “{words[:90]}{'…' if len(words) > 90 else ''}”"
    else:
        title = _who_and_when(who, fact.get("date")) if who else "A meeting"
    others = _fused(store, fact["fused"])["reports"] if fact.get("fused") else []
    return {**fact, "title": title, "who": who, "statement": statement, "others": others,
            "evidence": [{"sentence": r["sentence"], "anchor": f"ev-{r['b']}-{r['e']}"} for r in evidence]}


def _histories(store: ox.Store, pattern: str, **bind: str) -> dict[str, list[str]]:
    """event -> "published status" of each of its reports, in publication order (events matching `pattern`)."""
    out: dict[str, list[str]] = {}
    for r in select(store, f"""SELECT DISTINCT ?e ?m ?pub ?status WHERE {{ {pattern} ?e a kg:Event ; kg:report ?m .
            GRAPH ?a {{ ?m kg:status ?s OPTIONAL {{ ?a schema:datePublished ?pub }} }}
            BIND(LCASE(REPLACE(STR(?s), "^.*#", "")) AS ?status) }}""", **bind):
        out.setdefault(r["e"], []).append(f"{r['pub'] or 'undated'} {r['status']}")
    return {e: sorted(h) for e, h in out.items()}


def _timeline(iri: str, meetings: list[dict], said: list[dict]) -> list[dict]:
    """Meetings and statements in date order, each with its evidence sentence and article, for the
    timeline on an entity's page. A fact the article gives no date is placed on the day the article
    was published ("reported 7 May 2025"); only one whose article has no date either is undated."""
    items = [{"date": m["date"], "reported": m["published"], "kind": "call" if m["call"] else "meeting",
              "status": m["status"],
              "title": ", ".join(n for p, n in sorted(m["participants"].items(), key=lambda kv: kv[1]) if p != iri),
              "evidence": " … ".join(m["sentences"]), "article": m["article"], "iri": m["iri"]} for m in meetings]
    items += [{"date": s["date"], "reported": s["published"], "kind": "statement", "status": None, "title": s["text"],
               "evidence": s["sentence"], "article": s["a"], "iri": s["st"]} for s in said]
    when = lambda i: i["date"] or i["reported"]  # noqa: E731
    return sorted(items, key=lambda i: (when(i) is None, (when(i) or "")[:10], i["iri"]))


def _article(store: ox.Store, iri: str) -> dict:
    meta = select(store, """SELECT ?id ?headline ?date ?url ?pubname ?body WHERE { GRAPH ?x { ?x schema:identifier ?id ;
        schema:articleBody ?body OPTIONAL { ?x schema:headline ?headline } OPTIONAL { ?x schema:datePublished ?date }
        OPTIONAL { ?x schema:url ?url } }
        OPTIONAL { GRAPH ?x { ?x schema:publisher ?pub } OPTIONAL { ?pub schema:name ?pubname } } }""", x=iri)
    entities = select(store, """SELECT ?e ?name ?type WHERE { GRAPH ?x { ?x schema:mentions ?e }
        ?e a ?t ; schema:name ?name . VALUES ?t { kg:Person kg:Organisation kg:Place }
        BIND(REPLACE(STR(?t), "^.*#", "") AS ?type) } ORDER BY ?type ?name""", x=iri)
    spans = [(int(r["b"]), int(r["e"])) for r in select(store, """SELECT DISTINCT ?b ?e WHERE { GRAPH ?x {
        ?f kg:evidence ?ev . ?ev kg:beginIndex ?b ; kg:endIndex ?e } }""", x=iri)]
    meetings = sorted(_meetings(store, "", graph=iri), key=lambda m: (m["begin"], m["iri"]))
    said = sorted(select(store, STATEMENTS.format(pattern=""), a=iri), key=lambda st: (int(st["begin"] or 0), st["st"]))
    article = meta[0] if meta else {}
    return {**article, "entities": entities, "meetings": meetings, "said": said,
            "paragraphs": marked(article.get("body") or "", spans)}


def marked(body: str, spans: list[tuple[int, int]]) -> list[list[tuple[str, str | None]]]:
    """The article's paragraphs as pieces of text, each with the anchor of the evidence sentence it
    belongs to ("ev-784-913", as in the evidence IRI) or None; overlapping sentences join the first."""
    merged: list[list[int]] = []
    for b, e in sorted(spans):
        if merged and b < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([b, e])
    out, pos = [], 0
    for part in body.split("\n\n"):
        start, end, pieces, at = pos, pos + len(part), [], pos
        for b, e in merged:
            if e <= start or b >= end:
                continue
            if b > at:
                pieces.append((body[at:b], None))
            lo = max(b, at)
            pieces.append((body[lo:min(e, end)], f"ev-{b}-{e}"))
            at = min(e, end)
        if at < end:
            pieces.append((body[at:end], None))
        out.append(pieces)
        pos = end + 2
    return out


def _meetings(store: ox.Store, pattern: str, *, graph: str | None = None, **bind: str) -> list[dict]:
    g = "?a"
    rows = select(store, f"""SELECT ?m ?a ?status ?date ?published ?place ?placename ?call ?sentence ?begin ?p ?pname WHERE {{
        GRAPH {g} {{ ?m a kg:Meeting ; kg:status ?s ; kg:participant ?p . {pattern} }}
        OPTIONAL {{ GRAPH {g} {{ ?m kg:date ?date }} }}
        OPTIONAL {{ GRAPH {g} {{ {g} schema:datePublished ?published }} }}
        OPTIONAL {{ GRAPH {g} {{ ?m kg:location ?place }} OPTIONAL {{ ?place schema:name ?placename }} }}
        OPTIONAL {{ GRAPH {g} {{ ?m a kg:PhoneCall }} BIND(true AS ?call) }}
        OPTIONAL {{ GRAPH {g} {{ ?m kg:evidence ?ev . ?ev kg:sentence ?sentence ; kg:beginIndex ?begin }} }}
        OPTIONAL {{ ?p schema:name ?pname }}
        BIND(REPLACE(STR(?s), "^.*#", "") AS ?status) }} ORDER BY ?date ?m""", a=graph, **bind)
    out: dict[str, dict] = {}
    for r in rows:
        m = out.setdefault(r["m"], {"iri": r["m"], "article": r["a"], "status": r["status"], "date": r["date"],
                                    "published": r["published"], "place": r["place"], "placename": r["placename"],
                                    "call": bool(r["call"]), "sentences": [], "participants": {}, "begin": 1 << 62})
        if r["begin"] is not None:
            m["begin"] = min(m["begin"], int(r["begin"]))
        if r["sentence"] and r["sentence"] not in m["sentences"]:
            m["sentences"].append(r["sentence"])
        m["participants"][r["p"]] = r["pname"] or r["p"]
    return list(out.values())


STATEMENTS = """SELECT ?st ?a ?speaker ?spname ?text ?direct ?verb ?date ?published ?begin ?sentence WHERE {{
    GRAPH ?a {{ ?st a kg:Statement ; kg:speaker ?speaker ; kg:text ?text ; kg:direct ?direct ;
      kg:reportingVerb ?verb ; kg:evidence ?ev . ?ev kg:sentence ?sentence . {pattern} }}
    OPTIONAL {{ GRAPH ?a {{ ?st kg:date ?date }} }} OPTIONAL {{ GRAPH ?a {{ ?st kg:beginIndex ?begin }} }}
    OPTIONAL {{ GRAPH ?a {{ ?a schema:datePublished ?published }} }}
    OPTIONAL {{ ?speaker schema:name ?spname }} }}"""


def _statements(store: ox.Store, pattern: str, page: int, **bind: str) -> dict:
    """A page of the statements matching `pattern`, newest article first."""
    return listed(store, STATEMENTS.format(pattern=pattern) + " ORDER BY DESC(?published) ?a ?st",
                  f"SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE {{ GRAPH ?a {{ ?st a kg:Statement . {pattern} }} }}",
                  page, **bind)


def triples(store: ox.Store, iri: str, fmt: str) -> bytes:
    """The resource's own triples and the links to it, for RDF clients."""
    x = str(ox.NamedNode(iri))
    res = store.query(f"CONSTRUCT {{ {x} ?p ?o . ?s ?q {x} }} WHERE {{ {{ {x} ?p ?o }} UNION {{ ?s ?q {x} }} }}",
                      use_default_graph_as_union=True)
    return ox.serialize(res, format=FORMATS.get(fmt).ox, prefixes={"kg": str(KG), "schema": str(SCHEMA)})


STATUS_ORDER = ("Held", "Planned", "Proposed", "Postponed", "Cancelled")


def network(store: ox.Store, *, entity: str | None = None, start: str | None = None, end: str | None = None,
            limit: int = 3000) -> dict:
    """Who met whom, for the network picture: people, organisations and places as nodes, one edge
    per event (kg:Event, however many articles report it) and pair of its participants, with its
    current status, date, number of reports and status history. `entity`: only the events it took
    part in; `start`/`end` (YYYY, YYYY-MM or YYYY-MM-DD): only events whose date overlaps that span
    (undated events are then left out). At most `limit` edges, newest first."""
    pattern = "?e kg:participant ?entity ." if entity else ""
    bind = {"entity": entity} if entity else {}
    rows = select(store, f"""SELECT ?e ?x ?y ?status ?date (COUNT(DISTINCT ?m) AS ?reports) WHERE {{
        {pattern} ?e a kg:Event ; kg:status ?s ; kg:participant ?x, ?y ; kg:report ?m
        FILTER(STR(?x) < STR(?y))
        OPTIONAL {{ ?e kg:date ?date }}
        BIND(REPLACE(STR(?s), "^.*#", "") AS ?status) }} GROUP BY ?e ?x ?y ?status ?date""", **bind)
    history = _histories(store, pattern, **bind)
    lo, hi = _span(start)[0] if start else None, _span(end)[1] if end else None
    kept = [r for r in rows if (lo is None and hi is None) or
            (r["date"] and (lo is None or _span(r["date"])[1] >= lo) and (hi is None or _span(r["date"])[0] <= hi))]
    kept.sort(key=lambda r: (r["date"] or "", r["e"], r["x"], r["y"]), reverse=True)
    edges = [{"id": f"{r['e']} {r['x']} {r['y']}", "source": r["x"], "target": r["y"], "event": r["e"],
              "status": r["status"], "date": r["date"], "reports": int(r["reports"]),
              "history": history.get(r["e"], [])} for r in kept[:limit]]
    ends = sorted({e["source"] for e in edges} | {e["target"] for e in edges} | ({entity} if entity else set()))
    nodes = []
    if ends:
        values = " ".join(str(ox.NamedNode(i)) for i in ends)
        described = {r["n"]: r for r in select(store, f"""SELECT ?n (SAMPLE(?nm) AS ?name) (SAMPLE(?t) AS ?type) WHERE {{
            VALUES ?n {{ {values} }} OPTIONAL {{ ?n schema:name ?nm }}
            OPTIONAL {{ ?n a ?c FILTER(?c IN (kg:Person, kg:Organisation, kg:Place, kg:Agent))
                        BIND(REPLACE(STR(?c), "^.*#", "") AS ?t) }} }} GROUP BY ?n""")}
        degree: dict[str, int] = {}
        for e in edges:
            degree[e["source"]] = degree.get(e["source"], 0) + 1
            degree[e["target"]] = degree.get(e["target"], 0) + 1
        nodes = [{"id": i, "name": (described.get(i) or {}).get("name") or i.rsplit("/", 1)[-1],
                  "type": (described.get(i) or {}).get("type") or "Agent", "degree": degree.get(i, 0)} for i in ends]
    return {"nodes": nodes, "edges": edges, "truncated": len(kept) > limit, "statuses": list(STATUS_ORDER)}


def _span(value: str) -> tuple[str, str]:
    """The first and last day of a date, month or year, as YYYY-MM-DD strings."""
    parts = value.split("-")
    if len(parts) == 1:
        return f"{parts[0]}-01-01", f"{parts[0]}-12-31"
    if len(parts) == 2:
        return f"{value}-01", f"{value}-31"
    return value[:10], value[:10]


def _linksets(endpoint: str, linksets: list[dict]) -> str:
    """One void:Linkset per target namespace (GeoNames, Wikidata, ...) of the owl:sameAs links."""
    out = []
    for r in linksets:
        target = f"<{endpoint}#target-{short_hash(r['space'], length=8)}>"
        out.append(f"""<{endpoint}#dataset> void:subset <{endpoint}#links-{short_hash(r['space'], length=8)}> .
<{endpoint}#links-{short_hash(r['space'], length=8)}> a void:Linkset ;
    void:linkPredicate <{OWL.sameAs}> ;
    void:subjectsTarget <{endpoint}#dataset> ;
    void:objectsTarget {target} ;
    void:triples {r['n']} .
{target} a void:Dataset ; void:uriSpace {json.dumps(r['space'])} .
""")
    return "\n".join(out)


def service_description(store: ox.Store, endpoint: str, *, update: bool, federation: bool) -> str:
    """The sd:Service of the endpoint with a VoID description of its dataset, as Turtle."""
    counts = select(store, """SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }""")[0]
    entities = select(store, """SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {
        VALUES ?t { kg:Person kg:Organisation kg:Place } ?e a ?t }""")[0]
    articles = select(store, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }")[0]
    linksets = select(store, """SELECT ?space (COUNT(*) AS ?n) WHERE { ?s owl:sameAs ?o FILTER(isIRI(?o))
        BIND(REPLACE(STR(?o), "[^/#]+/?$", "") AS ?space) } GROUP BY ?space ORDER BY ?space""")
    formats = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
               "Turtle", "N-Triples", "N-Quads", "TriG", "JSON-LD", "RDF_XML"]
    features = ["sd:UnionDefaultGraph"] + (["sd:BasicFederatedQuery"] if federation else [])
    languages = ["sd:SPARQL11Query"] + (["sd:SPARQL11Update"] if update else [])
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <{VOID}> .
@prefix format: <http://www.w3.org/ns/formats/> .
@prefix kg: <{KG}> .

<{endpoint}#service> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage {", ".join(languages)} ;
    sd:feature {", ".join(features)} ;
    sd:resultFormat {", ".join("format:" + f for f in formats)} ;
    sd:defaultDataset <{endpoint}#dataset> .

<{endpoint}#dataset> a sd:Dataset, void:Dataset ;
    sd:defaultGraph <{endpoint}#union> ;
    void:sparqlEndpoint <{endpoint}> ;
    void:vocabulary kg: ;
    void:triples {counts["triples"]} ;
    void:entities {entities["n"]} ;
    void:documents {articles["n"]} .
{_linksets(endpoint, linksets)}
<{endpoint}#union> a sd:Graph, void:Dataset ;
    void:triples {counts["triples"]} .
"""
