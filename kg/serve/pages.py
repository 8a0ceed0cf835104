"""Pages for people and plain files for tools: the home page, a page (or RDF) per IRI under the
base, the network picture and its JSON, CSV tables and whole-store dumps."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
from flask import Blueprint, Response, abort, redirect, render_template, request

from kg.calendar import MONTHS
from kg.rdf.formats import FORMATS
from kg.rdf.queries import spreadsheet_safe, table_query, tables
from kg.rdf.vocab import SPARQL_PROLOGUE
from kg.serve import browse, changes, describe, geomap
from kg.serve.common import CORS, host_url, services, text
from kg.serve.engine import Job, QueryTimeout
from kg.serve.negotiate import choose, has_accept, wants_html
from kg.serve.protocol import service_page
from kg.stores.search import KINDS, index_of

pages = Blueprint("pages", __name__)


@pages.route("/", methods=["GET", "POST"])
def home() -> Response:
    """The home page for browsers (and clients that name no format); a query sent here goes to
    the endpoint (307 keeps the method and body); RDF clients get the service description."""
    if request.method == "POST" or "query" in request.args:
        return redirect("/sparql" + (f"?{request.query_string.decode()}" if request.query_string else ""), 307)
    if wants_html() or not has_accept() or choose("rdf", "turtle") is None:
        return Response(render_template("home.html", v=browse.home(services().store.ox)), headers={"Vary": "Accept"})
    return service_page()


INDEXES = {"article_index": ("Articles", browse.articles, ("outlet", "year")),
           "entity_index": ("Entities", browse.entities, ("type", "q")),
           "meeting_index": ("Meetings", browse.meetings, browse.MEETING_FILTERS),
           "statement_index": ("Statements", browse.statements, browse.STATEMENT_FILTERS)}
VIEWS = {"meetings": (browse.MEETING_FILTERS, browse.meetings_query),  # views exported whole and as SPARQL
         "statements": (browse.STATEMENT_FILTERS, browse.statements_query)}


@pages.route("/articles", endpoint="article_index")
@pages.route("/entities", endpoint="entity_index")
@pages.route("/meetings", endpoint="meeting_index")
@pages.route("/statements", endpoint="statement_index")
def index() -> Response:
    """A paged list with facets: ?page=N and the filters each index takes (unknown ones ignored)."""
    name = request.endpoint.split(".")[-1]
    title, lister, filters = INDEXES[name]
    args = {k: request.args[k] for k in filters if request.args.get(k)}
    try:
        page = int(request.args.get("page", "1"))
        if page < 1:
            raise ValueError("page must be 1 or more")
        extra = {"search": services().search} if name == "statement_index" else {}
        listed = lister(services().store.ox, args=args, page=page, **extra)
    except ValueError as e:
        return text(f"bad request: {e}", 400)
    if name == "entity_index" and args.get("type"):
        title = {"Person": "People", "Organisation": "Organisations", "Place": "Places"}[args["type"]]
    view = name.removesuffix("_index") + "s"
    sparql = VIEWS[view][1](args) if view in VIEWS else None
    return Response(render_template("index.html", title=title, page=listed, args=args, endpoint="pages." + name,
                                    view=view, sparql=sparql, names=_names(services().store.ox, args)))


def _names(store: ox.Store, args: dict[str, str]) -> dict[str, str]:
    """Each filter's value as the page shows it: the name of an IRI (a participant, a place)."""
    try:
        named = browse.labels(store, set(args.values()))
    except ValueError:  # words that look like an IRI but are none (?q=)
        named = {}
    return {name: named.get(value, value) for name, value in args.items()}


@pages.route("/<any(meetings, statements):view>.<any(csv, json):fmt>", endpoint="view_export")
def view_export(view: str, fmt: str) -> Response:
    """A filtered view whole, as CSV or SPARQL JSON: the page's own query, under the query
    timeout and row limit (a cut answer says so in X-KG-Truncated)."""
    filters, query_of = VIEWS[view]
    args = {k: request.args[k] for k in filters if request.args.get(k)}
    try:
        query = query_of(args)
    except ValueError as e:
        return text(f"bad request: {e}", 400)
    return _answer(SPARQL_PROLOGUE + query, fmt, view)


SEARCH_PAGE = 50  # hits per page of /search


@pages.route("/search", endpoint="search_page")
@pages.route("/search.json", endpoint="search_json")
@pages.route("/search.csv", endpoint="search_csv")
def search() -> Response:
    """Full-text search in headlines, evidence sentences, statements and names (kg.stores.search):
    ?q=words ("a phrase", prefix*), ?kind= one of its kinds, ?page=N; the same hits as JSON or CSV."""
    svc = services()
    q, kind = request.args.get("q", "").strip(), request.args.get("kind") or None
    if svc.search is None:
        return text("this server's store has no search index (a store in memory)", 404)
    try:
        page = int(request.args.get("page", "1"))
        if page < 1 or (kind is not None and kind not in KINDS):
            raise ValueError(f"page counts from 1; kind is one of {', '.join(KINDS)}")
        hits, total, counts = svc.search.search(q, kind=kind, limit=SEARCH_PAGE, offset=(page - 1) * SEARCH_PAGE)
    except ValueError as e:
        return text(f"bad request: {e}", 400)
    rows = [{"kind": h.kind, "iri": h.iri, "article": h.article, "label": h.label, "articles": h.articles,
             "snippet": h.snippet} for h in hits]
    if request.endpoint.endswith("search_json"):
        return Response(json.dumps({"query": q, "kind": kind, "total": total, "kinds": counts, "page": page,
                                    "hits": rows}), mimetype="application/json", headers=CORS)
    if request.endpoint.endswith("search_csv"):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["kind", "iri"])
        writer.writeheader()
        writer.writerows(rows)
        return Response(spreadsheet_safe(out.getvalue().encode()), mimetype="text/csv",
                        headers={**CORS, "Content-Disposition": "attachment; filename=newskg-search.csv"})
    return Response(render_template("search.html", q=q, kind=kind, hits=rows, total=total, counts=counts,
                                    page=page, pages=max(1, -(-total // SEARCH_PAGE)), stale=svc.search.stale))


def resource_page(rest: str) -> Response:
    svc = services()
    iri = svc.config.base_iri + rest
    try:
        found = describe.exists(svc.store.ox, iri)
    except ValueError:  # not an IRI at all ("%00", "%3Cscript%3E", a space): nothing is there
        found = False
    if not found:
        abort(404)
    if wants_html() or not has_accept():
        try:
            at = {name: int(request.args[name]) for name in describe.LISTS if name in request.args}
        except ValueError:
            return text(f"bad request: the page of a list ({', '.join(describe.LISTS)}) is a number", 400)
        if any(k < 1 for k in at.values()):
            return text("bad request: pages count from 1", 400)
        view = describe.resource(svc.store.ox, iri, at)
        return Response(render_template(f"{view['kind']}.html", v=view), headers={"Vary": "Accept"})
    fmt = choose("rdf", "turtle")
    if fmt is None:
        return text("no acceptable format", 406)
    return Response(describe.triples(svc.store.ox, iri, fmt.name), content_type=fmt.content_type,
                    headers={**CORS, "Vary": "Accept"})


@pages.app_context_processor
def _helpers() -> dict:
    return {"local": _local, "with_args": _with_args}


def _with_args(**changes: object) -> str:
    """This request's query string with some arguments changed (a list's page, a filter)."""
    args = {k: v for k, v in request.args.items() if k not in changes}
    args.update({k: str(v) for k, v in changes.items() if v is not None})
    return urlencode(args)


@pages.app_template_filter("day")
def _day(value: str) -> str:
    """"2025-05-07…" as "7 May 2025" (a month or a year as it is)."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    return f"{int(m.group(3))} {list(MONTHS)[int(m.group(2)) - 1].title()} {m.group(1)}" if m else (value or "")


def _local(iri: str | None) -> str:
    """A link to the page of an IRI under the base, on this server; other IRIs as they are."""
    base = services().config.base_iri
    if iri and iri.startswith(base):
        return urlsplit(base).path.rstrip("/") + "/" + iri[len(base):]
    return iri or ""


@pages.route("/changes", endpoint="changes_page")
@pages.route("/changes.atom", endpoint="changes_feed")
def what_changed() -> Response:
    """Events whose status changed after ?since=YYYY-MM-DD (default: 30 days before the newest
    article), newest first, as a page or as an Atom feed for feed readers."""
    store = services().store.ox
    try:
        since = date.fromisoformat(request.args["since"]) if request.args.get("since") else _month_before(store)
    except ValueError:
        return text("bad request: since must be a day, YYYY-MM-DD", 400)
    found = changes.changes(store, since)
    if request.endpoint.endswith("changes_feed"):
        base = host_url().rstrip("/")
        feed = changes.atom(found, feed_url=f"{base}/changes.atom?since={since}", page_url=f"{base}/changes?since={since}",
                            local=lambda iri: base + _local(iri))
        return Response(feed, mimetype="application/atom+xml", headers=CORS)
    return Response(render_template("changes.html", changes=found, since=since.isoformat()))


def _month_before(store: ox.Store) -> date:
    rows = list(store.query("SELECT (MAX(?d) AS ?last) WHERE { ?a <https://schema.org/datePublished> ?d }",
                            use_default_graph_as_union=True))
    last = rows[0]["last"] if rows and rows[0]["last"] is not None else None
    newest = date.fromisoformat(last.value[:10]) if last is not None else date.today()
    return newest - timedelta(days=30)


@pages.route("/favicon.ico")
def favicon() -> Response:
    return Response(status=204)


@pages.route("/map")
def map_page() -> Response:
    """Where the meetings were (kg.serve.geomap), with the meetings view's filters."""
    args = {k: request.args[k] for k in browse.MEETING_FILTERS if request.args.get(k) and k != "sort"}
    try:
        found = geomap.places(services().store.ox, args)
    except ValueError as e:
        return text(f"bad request: {e}", 400)
    return Response(render_template("map.html", args=args, names=_names(services().store.ox, args), places=found,
                                    land=geomap.land_path()))


@pages.route("/network")
def network_page() -> Response:
    return Response(render_template("network.html", start=request.args.get("from"), end=request.args.get("to")))


DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@pages.route("/network.json")
def network_json() -> Response:
    """Nodes and edges of who met whom (kg.describe.network), for the network picture."""
    start, end, entity = request.args.get("from") or None, request.args.get("to") or None, request.args.get("entity")
    for name, value in (("from", start), ("to", end)):
        if value and not DATE.fullmatch(value):
            return text(f"{name} must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}", 400)
    if entity is not None:
        try:
            ox.NamedNode(entity)
        except ValueError as e:
            return text(f"entity is not an IRI: {e}", 400)
    data = describe.network(services().store.ox, entity=entity, start=start, end=end)
    return Response(json.dumps(data), mimetype="application/json", headers=CORS)


@pages.route("/table/<name>.csv")
def table_csv(name: str) -> Response:
    """Meetings, statements or people as CSV for spreadsheets (kg/queries/tables), under the query timeout."""
    if name not in tables():
        return text(f"no table {name!r}; there are {', '.join(sorted(tables()))}", 404)
    return _answer(table_query(name), "csv", name)


def _answer(query: str, fmt: str, name: str) -> Response:
    """A table's or a view's whole answer as CSV for spreadsheets or as SPARQL JSON, run in the
    query processes under the timeout and row limit (a cut answer says so in X-KG-Truncated)."""
    svc = services()
    try:
        answer = svc.pool.run(Job(query=query, results_format=fmt, graph_format=None, limit=svc.config.result_limit,
                                  base_iri=request.base_url, search=index_of(svc.config.store)))
    except QueryTimeout as e:
        return text(str(e), 503, **{"Retry-After": "5"})
    headers = dict(CORS)
    if answer.truncated:
        headers["X-KG-Truncated"] = f"rows cut at {svc.config.result_limit} (KG_RESULT_LIMIT)"
    body = b"".join(answer.chunks)
    if fmt == "csv":
        headers["Content-Disposition"] = f"attachment; filename=newskg-{name}.csv"
        return Response(spreadsheet_safe(body), mimetype="text/csv", headers=headers)
    return Response(body, mimetype="application/sparql-results+json", headers=headers)


@pages.route("/dump.nq", defaults={"name": "nquads"}, endpoint="dump_nquads")
@pages.route("/dump.trig", defaults={"name": "trig"}, endpoint="dump_trig")
def dump(name: str) -> Response:
    store = services().store.ox
    fmt = FORMATS.get(name)

    def chunks():
        batch: list[ox.Quad] = []
        for q in store.quads_for_pattern(None, None, None, None):
            batch.append(q)
            if len(batch) == 20000:
                yield ox.serialize(batch, format=fmt.rdf)
                batch = []
        if batch:
            yield ox.serialize(batch, format=fmt.rdf)
    return Response(chunks(), content_type=fmt.content_type,
                    headers={"Content-Disposition": f"attachment; filename=newskg.{fmt.ox.file_extension}"})
