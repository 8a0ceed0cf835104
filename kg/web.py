"""The Flask app: SPARQL 1.1 Protocol (/sparql, /update), Graph Store Protocol (/store), pages for
people and linked-data clients (/, the IRIs under the base), dumps and health. Thin: queries run
in kg.engine, descriptions come from kg.describe, graph operations from kg.store."""
from __future__ import annotations

import hmac
import json
import re
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, abort, current_app, render_template, request, stream_with_context
from spacy.language import Language
from werkzeug.datastructures import CombinedMultiDict, MultiDict

from . import describe
from .config import PROJECT_DIR, Config
from .engine import Job, NotAcceptable, QueryPool, QueryTimeout
from .ingest import ingest_records
from .sources import read_bytes
from .sparql import GRAPH_FORMATS, QueryError
from .sparqltext import add_using, declares_dataset, service_targets
from .store import Store
from .tables import TABLES
from .tables import query as table_query

RESULT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_TYPES = {"turtle": "text/turtle", "ntriples": "application/n-triples", "nquads": "application/n-quads",
               "trig": "application/trig", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}
ALIASES = {"application/json": "json", "application/xml": "xml", "text/plain": "ntriples",
           "application/x-turtle": "turtle", "application/json+ld": "jsonld"}
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "X-KG-Truncated, Vary"}


@dataclass
class Services:
    config: Config
    store: Store
    pool: QueryPool
    write_lock: threading.Lock
    nlp: Language | None = None  # loaded by the first ingest request


def create_app(config: Config | None = None, *, store: Store | None = None, nlp: Language | None = None) -> Flask:
    config = config or Config.load()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_bytes
    store = Store(config.store, config.base_iri) if store is None else store
    pool = QueryPool(store.ox, store.path, workers=config.query_workers, timeout=config.query_timeout)
    app.extensions["kg"] = Services(config, store, pool, threading.Lock(), nlp)
    app.register_blueprint(protocol)
    app.register_blueprint(graph_store)
    pages = Blueprint("pages", __name__)
    pages.add_url_rule("/", view_func=home)
    pages.add_url_rule(urlsplit(config.base_iri).path.rstrip("/") + "/<path:rest>", view_func=resource_page)
    pages.add_url_rule("/.well-known/void", view_func=void_description)
    pages.add_url_rule("/network", view_func=network_page)
    pages.add_url_rule("/network.json", view_func=network_json)
    pages.add_url_rule("/table/<name>.csv", view_func=table_csv)
    pages.add_url_rule("/dump.nq", "dump_nquads", view_func=lambda: dump("nquads"))
    pages.add_url_rule("/dump.trig", "dump_trig", view_func=lambda: dump("trig"))
    pages.add_url_rule("/health", "health", view_func=lambda: {"status": "ok", "query_workers": len(pool.worker_pids())})
    app.register_blueprint(pages)
    app.context_processor(lambda: {"base_iri": config.base_iri,
                                   "base_path": urlsplit(config.base_iri).path.rstrip("/") + "/"})
    return app


def _kg() -> Services:
    return current_app.extensions["kg"]


def _text(message: str, status: int, **headers: str) -> Response:
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain", headers={**CORS, **headers})


def _negotiate(types: dict[str, str], default: str) -> str | None:
    """`format=` wins; else the Accept entry with the highest q-value (a media type beats
    type/* beats */*; parameters such as charset are ignored); ties go to the default.
    None when the client accepts none of `types`."""
    fmt = request.values.get("format")
    if fmt:
        return fmt if fmt in types else ALIASES.get(fmt) if ALIASES.get(fmt) in types else None
    ranges = _accept_ranges()
    if not ranges:
        return default
    offered = {**{v: k for k, v in types.items()}, **{a: f for a, f in ALIASES.items() if f in types}}
    best, best_q = None, 0.0
    for mt in [types[default], *offered]:
        q = _quality(mt, ranges)
        if q > best_q:
            best, best_q = offered[mt], q
    return best


def _accept_ranges() -> list[tuple[str, float]]:
    out = []
    for item in request.headers.get("Accept", "").split(","):
        parts = [p.strip() for p in item.split(";")]
        if not parts[0]:
            continue
        q = 1.0
        for p in parts[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        out.append((parts[0].lower(), q))
    return out


def _quality(mediatype: str, ranges: list[tuple[str, float]]) -> float:
    """The q of the most specific range that matches `mediatype`."""
    major = mediatype.split("/")[0]
    for pattern in (mediatype, f"{major}/*", "*/*"):
        qs = [q for r, q in ranges if r == pattern]
        if qs:
            return max(qs)
    return 0.0


def _wants_html() -> bool:
    """A browser: text/html is accepted at least as much as any RDF or results format."""
    if "format" in request.values:
        return False
    ranges = _accept_ranges()
    html = _quality("text/html", ranges) if ranges else 0.0
    others = max((_quality(t, ranges) for t in [*RESULT_TYPES.values(), *GRAPH_TYPES.values()]), default=0.0)
    return html > 0 and html >= others and any(r == "text/html" for r, _q in ranges)


# ---------------------------------------------------------------- SPARQL protocol
protocol = Blueprint("protocol", __name__)


@protocol.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql_query() -> Response:
    if request.method == "OPTIONS":
        return _preflight("GET, POST, OPTIONS")
    params, error = _operation("query", "application/sparql-query")
    if error:
        return error
    queries = params.getlist("query")
    if "update" in params:
        return _text("updates go to /update", 400)
    if not queries:
        if request.method == "GET":
            return service_page()
        return _text("missing 'query' parameter", 400)
    if len(queries) > 1:
        return _text("more than one 'query' parameter", 400)
    query = queries[0]
    svc = _kg()
    allowed = svc.config.service_allow.split()
    for target in service_targets(query):
        if target is None or not any(target.startswith(a) for a in allowed):
            return _text(f"SERVICE {target or '(a variable)'} is not allowed on this endpoint (KG_SERVICE_ALLOW)", 400)
    job = Job(query=query, results_format=_negotiate(RESULT_TYPES, "json"), graph_format=_negotiate(GRAPH_TYPES, "turtle"),
              limit=svc.config.result_limit, default_graph=tuple(params.getlist("default-graph-uri")),
              named_graphs=tuple(params.getlist("named-graph-uri")), base_iri=request.base_url)
    try:
        answer = svc.pool.run(job)
    except QueryError as e:
        return _text(f"bad query: {e}", 400)
    except NotAcceptable as e:
        return _text(str(e), 406)
    except QueryTimeout as e:
        return _text(str(e), 503, **{"Retry-After": "5"})
    types = GRAPH_TYPES if answer.kind == "graph" else RESULT_TYPES
    headers = {**CORS, "Vary": "Accept", "Content-Length": str(answer.size)}
    if answer.truncated:
        headers["X-KG-Truncated"] = f"results cut at {svc.config.result_limit} (KG_RESULT_LIMIT)"
    return Response(stream_with_context(answer.chunks), mimetype=types[answer.format], headers=headers)


@protocol.route("/update", methods=["GET", "POST", "OPTIONS"])
def sparql_update() -> Response:
    if request.method == "OPTIONS":
        return _preflight("POST, OPTIONS")
    if request.method != "POST":
        return _text("updates must be POSTed", 405, Allow="POST, OPTIONS")
    denied = _authorize()
    if denied:
        return denied
    params, error = _operation("update", "application/sparql-update")
    if error:
        return error
    if "query" in params:
        return _text("queries go to /sparql", 400)
    updates = params.getlist("update")
    if len(updates) != 1:
        return _text("exactly one 'update' parameter is needed", 400)
    update = updates[0]
    using, using_named = params.getlist("using-graph-uri"), params.getlist("using-named-graph-uri")
    if using or using_named:
        if declares_dataset(update):
            return _text("using-graph-uri / using-named-graph-uri conflict with USING or WITH in the update", 400)
        update = add_using(update, using, using_named)
    svc = _kg()
    try:
        with svc.write_lock:
            svc.store.ox.update(update, base_iri=request.base_url)
            svc.pool.refresh()
    except (SyntaxError, ValueError, OSError) as e:
        return _text(f"bad update: {e}", 400)
    return Response(status=204, headers=CORS)


@protocol.route("/ingest", methods=["POST", "OPTIONS"])
def ingest_articles() -> Response:
    """Articles in the body (JSON Lines, or one text/HTML article; multipart: one per file) are
    extracted and written, each atomically, while queries go on; the query snapshot is renewed
    once the request's articles are in. Answers the ingest summary as JSON."""
    if request.method == "OPTIONS":
        return _preflight("POST, OPTIONS")
    denied = _authorize()
    if denied:
        return denied
    svc = _kg()
    limit = svc.config.max_bytes
    if request.mimetype == "multipart/form-data":
        items = [item for _name, f in request.files.items(multi=True)
                 for item in read_bytes(f.read(), f.filename or "upload", limit, id=Path(f.filename or "").stem or None)]
    else:
        items = list(read_bytes(request.get_data(), "request", limit, id=request.args.get("id") or None))
    with svc.write_lock:
        if svc.nlp is None:
            from .nlp import load
            svc.nlp = load(svc.config.spacy_model)
        summary = ingest_records(items, svc.config, nlp=svc.nlp, store=svc.store)
        if summary.articles:
            svc.pool.refresh()
    body = {"ingested": summary.articles, "skipped": summary.skipped, "failed": summary.failed,
            "errors": summary.errors, "quads": summary.quads, "seconds": round(summary.seconds, 3)}
    status = 400 if summary.failed and not (summary.articles or summary.skipped) else 200
    return Response(json.dumps(body), status=status, mimetype="application/json", headers=CORS)


def _operation(name: str, direct_type: str):
    """(parameters, None) or (None, error): the protocol's three ways to send an operation."""
    if request.method == "GET":
        return request.args, None
    mimetype = request.mimetype
    if mimetype == "application/x-www-form-urlencoded":
        return CombinedMultiDict([request.args, request.form]), None
    if mimetype == direct_type:
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            return None, _text(f"{direct_type} must be UTF-8, not {charset}", 415)
        if name in request.args:
            return None, _text(f"'{name}' given both in the URL and as the body", 400)
        params = MultiDict(request.args)
        try:
            params.add(name, request.get_data().decode("utf-8"))
        except UnicodeDecodeError:
            return None, _text("the body is not valid UTF-8", 400)
        return params, None
    return None, _text(f"POST {name} as application/x-www-form-urlencoded or {direct_type}, not "
                       f"{mimetype or 'no content type'}", 415)


def _authorize() -> Response | None:
    token = _kg().config.update_token
    if not token:
        return _text("this server is read-only (set KG_UPDATE_TOKEN to allow writes)", 403)
    given = request.headers.get("Authorization", "")
    if not given.startswith("Bearer "):
        return _text("writes need 'Authorization: Bearer <token>'", 401, **{"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given[7:].strip().encode(), token.encode()):
        return _text("wrong token", 403)
    return None


def _preflight(methods: str) -> Response:
    return Response(status=204, headers={**CORS, "Access-Control-Allow-Methods": methods,
                                         "Access-Control-Allow-Headers": "Content-Type, Accept, Authorization",
                                         "Access-Control-Max-Age": "86400"})


def service_page() -> Response:
    svc = _kg()
    if _wants_html():
        return Response(render_template("query.html", examples=_examples(), endpoint=request.base_url,
                                        base=svc.config.base_iri),
                        headers={"Vary": "Accept"})
    return _service_rdf(request.base_url)


def void_description() -> Response:
    """The VoID description (with its linksets) at the well-known place, RDF only."""
    return _service_rdf(request.host_url + "sparql")


def _service_rdf(endpoint: str) -> Response:
    svc = _kg()
    fmt = _negotiate(GRAPH_TYPES, "turtle")
    if fmt is None:
        return _text("no acceptable RDF format for the service description", 406)
    ttl = describe.service_description(svc.store.ox, endpoint, update=bool(svc.config.update_token),
                                       federation=bool(svc.config.service_allow))
    body = ox.serialize(ox.parse(ttl, ox.RdfFormat.TURTLE), format=GRAPH_FORMATS[fmt])
    return Response(body, mimetype=GRAPH_TYPES[fmt], headers={**CORS, "Vary": "Accept"})


def _examples() -> list[dict]:
    out = []
    for path in sorted((PROJECT_DIR / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        head = dict(line[2:].split(": ", 1) for line in text.splitlines()[:2] if ": " in line)
        out.append({"name": path.stem, "title": head.get("title", path.stem),
                    "description": head.get("description", ""), "query": text})
    return out


# ---------------------------------------------------------------- Graph Store Protocol
graph_store = Blueprint("graph_store", __name__)


@graph_store.route("/store", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
@graph_store.route("/store/<path:_rest>", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
def store_graph(_rest: str | None = None) -> Response:
    svc = _kg()
    if request.method in ("PUT", "POST", "DELETE"):
        denied = _authorize()
        if denied:
            return denied
    if "default" in request.args:
        graph: ox.NamedNode | ox.DefaultGraph = ox.DefaultGraph()
    elif "graph" in request.args:
        try:
            graph = ox.NamedNode(request.args["graph"])
        except ValueError as e:
            return _text(f"graph is not an absolute IRI: {e}", 400)
    elif _rest is not None:
        graph = ox.NamedNode(request.base_url)  # direct identification: the URL names the graph
    elif request.method == "POST":
        graph = ox.NamedNode(f"{request.host_url}store/{uuid.uuid4()}")  # a new graph, named by the server
    else:
        return _text("name a graph with ?graph=IRI or ?default", 400)
    if request.method in ("GET", "HEAD"):
        if not svc.store.graph_exists(graph):
            return _text("no such graph", 404)
        fmt = _negotiate(GRAPH_TYPES, "turtle")
        if fmt is None or fmt in ("nquads", "trig"):
            return _text("no acceptable RDF format for a graph", 406)
        body = ox.serialize(svc.store.graph_triples(graph), format=GRAPH_FORMATS[fmt])
        return Response(b"" if request.method == "HEAD" else body, mimetype=GRAPH_TYPES[fmt],
                        headers={"Vary": "Accept", "Content-Length": str(len(body))})
    if request.method == "DELETE":
        with svc.write_lock:
            existed = svc.store.drop_graph(graph)
            svc.pool.refresh()
        return Response(status=204) if existed else _text("no such graph", 404)
    try:
        triples = _request_triples(graph)
    except ValueError as e:
        return _text(str(e), 400)
    except LookupError as e:
        return _text(str(e), 415)
    with svc.write_lock:
        created = svc.store.put_graph(graph, triples, replace=request.method == "PUT")
        svc.pool.refresh()
    if created:
        return Response(status=201, headers={"Location": graph.value if isinstance(graph, ox.NamedNode) else ""})
    return Response(status=204)


def _request_triples(graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Triple]:
    """The RDF in the request body (or in each part of a multipart/form-data body)."""
    base = graph.value if isinstance(graph, ox.NamedNode) else request.base_url
    if request.mimetype == "multipart/form-data":
        out = []
        for _name, part in request.files.items(multi=True):
            out += _parse(part.read(), part.mimetype or "text/turtle", base, part.filename)
        return out
    return _parse(request.get_data(), request.mimetype, base)


def _parse(data: bytes, mimetype: str, base: str, filename: str | None = None) -> list[ox.Triple]:
    fmt = ox.RdfFormat.from_media_type(mimetype) or (ox.RdfFormat.from_extension(filename.rsplit(".", 1)[-1])
                                                      if filename and "." in filename else None)
    if fmt is None or fmt.supports_datasets:
        raise LookupError(f"unsupported RDF media type {mimetype!r} for a graph")
    try:
        return [q.triple for q in ox.parse(data, format=fmt, base_iri=base)]
    except SyntaxError as e:
        raise ValueError(f"cannot parse the {mimetype} body: {e}") from None


# ---------------------------------------------------------------- pages, dumps
def home() -> Response:
    return service_page() if _wants_html() else Response(render_template("home.html"), mimetype="text/html")


def resource_page(rest: str) -> Response:
    svc = _kg()
    iri = svc.config.base_iri + rest
    if not describe.exists(svc.store.ox, iri):
        abort(404)
    if _wants_html() or not _accept_ranges():
        view = describe.resource(svc.store.ox, iri)
        return Response(render_template(f"{view['kind']}.html", v=view, local=_local), headers={"Vary": "Accept"})
    fmt = _negotiate(GRAPH_TYPES, "turtle")
    if fmt is None:
        return _text("no acceptable format", 406)
    return Response(describe.triples(svc.store.ox, iri, fmt), mimetype=GRAPH_TYPES[fmt],
                    headers={**CORS, "Vary": "Accept"})


def _local(iri: str | None) -> str:
    """A link to the page of an IRI under the base, on this server; other IRIs as they are."""
    base = _kg().config.base_iri
    if iri and iri.startswith(base):
        return urlsplit(base).path.rstrip("/") + "/" + iri[len(base):]
    return iri or ""


def network_page() -> Response:
    return Response(render_template("network.html", start=request.args.get("from"), end=request.args.get("to")))


DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def network_json() -> Response:
    """Nodes and edges of who met whom (kg.describe.network), for the network picture."""
    start, end, entity = request.args.get("from") or None, request.args.get("to") or None, request.args.get("entity")
    for name, value in (("from", start), ("to", end)):
        if value and not DATE.fullmatch(value):
            return _text(f"{name} must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}", 400)
    if entity is not None:
        try:
            ox.NamedNode(entity)
        except ValueError as e:
            return _text(f"entity is not an IRI: {e}", 400)
    data = describe.network(_kg().store.ox, entity=entity, start=start, end=end)
    return Response(json.dumps(data), mimetype="application/json", headers=CORS)


def table_csv(name: str) -> Response:
    """Meetings, statements or people as CSV for spreadsheets (kg.tables), under the query timeout."""
    if name not in TABLES:
        return _text(f"no table {name!r}; there are {', '.join(sorted(TABLES))}", 404)
    svc = _kg()
    try:
        answer = svc.pool.run(Job(query=table_query(name), results_format="csv", graph_format=None,
                                  limit=svc.config.result_limit, base_iri=request.base_url))
    except QueryTimeout as e:
        return _text(str(e), 503, **{"Retry-After": "5"})
    headers = {**CORS, "Content-Disposition": f"attachment; filename=newskg-{name}.csv"}
    if answer.truncated:
        headers["X-KG-Truncated"] = f"rows cut at {svc.config.result_limit} (KG_RESULT_LIMIT)"
    return Response(stream_with_context(answer.chunks), mimetype="text/csv", headers=headers)


def dump(fmt: str) -> Response:
    store = _kg().store.ox

    def chunks():
        batch: list[ox.Quad] = []
        for q in store.quads_for_pattern(None, None, None, None):
            batch.append(q)
            if len(batch) == 20000:
                yield ox.serialize(batch, format=GRAPH_FORMATS[fmt])
                batch = []
        if batch:
            yield ox.serialize(batch, format=GRAPH_FORMATS[fmt])
    return Response(stream_with_context(chunks()), mimetype=GRAPH_TYPES[fmt],
                    headers={"Content-Disposition": f"attachment; filename=newskg.{'nq' if fmt == 'nquads' else 'trig'}"})


def serve(app: Flask, *, host: str, port: int, threads: int = 8) -> None:
    """A production WSGI server with threads: pyoxigraph releases the GIL while it evaluates."""
    from waitress import serve as waitress_serve
    waitress_serve(app, host=host, port=port, threads=threads, clear_untrusted_proxy_headers=True)
