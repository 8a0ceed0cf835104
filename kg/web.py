"""The Flask app: a SPARQL query endpoint over the store. Thin: the work is in kg.sparql."""
from __future__ import annotations

from flask import Flask, Response, current_app, request

from .config import Config
from .sparql import QueryError, run, serialize
from .store import Store

RESULT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_TYPES = {"turtle": "text/turtle", "ntriples": "application/n-triples", "nquads": "application/n-quads",
               "trig": "application/trig", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}


def create_app(config: Config | None = None, *, store: Store | None = None) -> Flask:
    config = config or Config.load()
    app = Flask(__name__)
    app.extensions["kg.config"] = config
    app.extensions["kg.store"] = Store(config.store, config.base_iri) if store is None else store
    app.add_url_rule("/sparql", view_func=sparql_endpoint, methods=["GET", "POST"])
    app.add_url_rule("/health", view_func=lambda: {"status": "ok"})
    return app


def sparql_endpoint() -> Response:
    if request.method == "POST" and request.mimetype == "application/sparql-query":
        query = request.get_data(as_text=True)
    else:
        query = request.values.get("query")
    if not query:
        return Response("missing 'query' parameter\n", status=400, mimetype="text/plain")
    store: Store = current_app.extensions["kg.store"]
    try:
        result = run(store.ox, query, default_graph=request.values.getlist("default-graph-uri"),
                     named_graphs=request.values.getlist("named-graph-uri"))
        graph = type(result).__name__ == "QueryTriples"
        fmt = _negotiate(GRAPH_TYPES if graph else RESULT_TYPES, "turtle" if graph else "json")
        if fmt is None:
            return Response("no acceptable result format\n", status=406, mimetype="text/plain")
        body = serialize(result, fmt)
    except QueryError as e:
        return Response(f"bad query: {e}\n", status=400, mimetype="text/plain")
    types = GRAPH_TYPES if graph else RESULT_TYPES
    return Response(body, mimetype=types[fmt], headers={"Vary": "Accept"})


def _negotiate(types: dict[str, str], default: str) -> str | None:
    """The `format` parameter, else the best Accept match, else the default; None when nothing fits."""
    if fmt := request.values.get("format"):
        return fmt if fmt in types else None
    if not request.accept_mimetypes or request.accept_mimetypes.best in (None, "*/*"):
        return default
    by_type = {v: k for k, v in types.items()}
    best = request.accept_mimetypes.best_match(list(by_type))
    return by_type.get(best) if best else None


def serve(app: Flask, *, host: str, port: int, threads: int = 8) -> None:
    """A production WSGI server with threads: pyoxigraph releases the GIL while it evaluates."""
    from waitress import serve as waitress_serve
    waitress_serve(app, host=host, port=port, threads=threads)

