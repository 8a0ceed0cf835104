"""The Flask app: the SPARQL protocol, the graph store, pages and (when given a pipeline) ingest,
one blueprint each, over the embedded store. Serving imports no NLP."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask

from kg.config import Config
from kg.serve import caching
from kg.serve.common import Services
from kg.serve.confine import Confinement
from kg.serve.engine import QueryPool
from kg.serve.graphstore import graph_store
from kg.serve.ingest import ingest as ingest_blueprint
from kg.serve.pages import pages, resource_page
from kg.serve.protocol import protocol
from kg.stores import EmbeddedStore, open_embedded
from kg.stores.search import SearchIndex

log = logging.getLogger(__name__)


def create_app(config: Config | None = None, *, store: EmbeddedStore | None = None,
               ingest: Callable | None = None, front: bool = False) -> Flask:
    """The app over `store` (default: the one KG_STORE names). `ingest`, when given, is what
    POST /ingest runs: `kg.ingest.ingest_records` or a function of the same shape. With `front`,
    the app is to be served behind `kg.serve.front` (see `serve`), whose processes answer the
    queries: its own query workers then start only if it ever needs one."""
    config = config or Config.load()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_bytes
    store = open_embedded(config) if store is None else store
    pool = QueryPool(store.ox, store.path, workers=config.query_workers, timeout=config.query_timeout,
                     memory_quads=config.memory_quads, front_slots=config.query_workers if front else 0,
                     lazy=front, confinement=Confinement.of(config))
    app.extensions["kg"] = Services(config, store, pool, threading.Lock(), ingest, search=_search_index(store))
    base_path = urlsplit(config.base_iri).path.rstrip("/")
    for blueprint in (protocol, graph_store, ingest_blueprint, pages):
        app.register_blueprint(blueprint)
    app.add_url_rule(base_path + "/<path:rest>", view_func=resource_page)
    services = app.extensions["kg"]
    app.add_url_rule("/health", "health", view_func=lambda: {
        "status": "ok", "query_workers": len((services.workers or pool.worker_pids)())})
    app.context_processor(lambda: {"base_iri": config.base_iri, "base_path": base_path + "/"})
    caching.install(app)
    return app


def _search_index(store: EmbeddedStore) -> SearchIndex | None:
    """The store's search index, built first when the store has none yet (one made before search
    existed, or restored from a backup) or when writes other than ingest made it stale."""
    search = SearchIndex.beside(store)
    if search is not None and (search.new or search.stale):
        log.info("building the search index of %s …", store.path)
        search.keep_up(store.ox, ())
    return search


def serve(app: Flask, *, host: str, port: int, ready: Callable[[str], None] = lambda url: None) -> None:
    """Serve an app made with `front=True` until interrupted: the front processes answer queries
    on (host, port), the app the rest (see kg.serve.front). `ready` is told the URL once it listens."""
    import errno
    from kg.serve.front import Server
    try:
        server = Server(app, host=host, port=port)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise OSError(f"port {port} on {host} is already in use: stop the server there or choose another "
                          "with --port") from None
        raise
    ready(server.url)
    server.run()
