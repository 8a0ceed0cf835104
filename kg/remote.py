"""The graph in any SPARQL 1.1 store: reads through its query endpoint, writes each article's
named graph with the Graph Store HTTP Protocol (PUT replaces it, so a re-ingest leaves no
duplicates), the shared facts with a GSP POST to the shared graph, and entity renames (rare) with
SPARQL Update, in the order the embedded store applies them.

    KG_STORE=sparql+http://127.0.0.1:7878/query          # oxigraph serve: /update and /store guessed
    KG_STORE=sparql+http://127.0.0.1:8890/sparql \\
    KG_STORE_UPDATE=http://127.0.0.1:8890/sparql-auth \\
    KG_STORE_GSP=http://127.0.0.1:8890/sparql-graph-crud-auth KG_STORE_AUTH=dba:dba   # Virtuoso

An article's own graph is written last and carries its content hash: an interrupted ingest
leaves the article absent, and the next run writes it again. The store's default graph must be
the union of its named graphs when queried (Virtuoso: always; `oxigraph serve
--union-default-graph`)."""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

import pyoxigraph as ox

from .namespaces import KG, SPARQL_PROLOGUE
from .store import Store, StoreError
from .triples import Minter

TIMEOUT = 300


class RemoteStore(Store):
    def __init__(self, config) -> None:  # noqa: D107 — no embedded Oxigraph here
        self.minter = Minter(config.base_iri)
        self.path = None
        self.query_url = config.store.removeprefix("sparql+")
        head = self.query_url.rsplit("/", 1)[0]
        self.update_url = config.store_update or head + "/update"
        self.gsp_url = config.store_gsp or head + "/store"
        handlers = []
        if config.store_auth:
            user, _, password = config.store_auth.partition(":")
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (self.query_url, self.update_url, self.gsp_url):
                passwords.add_password(None, url, user, password)
            handlers = [urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
        self._http = urllib.request.build_opener(*handlers)

    # ------------------------------------------------------------ HTTP
    def _send(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None,
              accept: str | None = None) -> bytes:
        headers = {k: v for k, v in (("Content-Type", content_type), ("Accept", accept)) if v}
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with self._http.open(req, timeout=TIMEOUT) as resp:
                return resp.read()
        except urllib.error.HTTPError as e:
            raise StoreError(f"{method} {url}: HTTP {e.code}: {e.read()[:500].decode(errors='replace')}") from None
        except OSError as e:
            raise StoreError(f"{method} {url}: {e}") from None

    def query(self, text: str):
        """The query on the store's endpoint (prefixes predeclared): solutions or a boolean as
        pyoxigraph parses them, or a list of triples for CONSTRUCT/DESCRIBE."""
        body = self._send("POST", self.query_url, urllib.parse.urlencode({"query": SPARQL_PROLOGUE + text}).encode(),
                          "application/x-www-form-urlencoded",
                          "application/sparql-results+json, application/n-triples;q=0.9")
        if body.lstrip()[:1] == b"{":
            return ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        return [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]

    def _update(self, update: str) -> None:
        self._send("POST", self.update_url, urllib.parse.urlencode({"update": update}).encode(),
                   "application/x-www-form-urlencoded")

    def _graph(self, method: str, graph: ox.NamedNode, triples: Iterable[ox.Triple]) -> None:
        body = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
        self._send(method, f"{self.gsp_url}?{urllib.parse.urlencode({'graph': graph.value})}", body,
                   "application/n-triples")

    # ------------------------------------------------------------ the Store interface
    def content_hash(self, article_iri: ox.NamedNode) -> str | None:
        rows = list(self.query(f"SELECT ?h WHERE {{ GRAPH {article_iri} {{ {article_iri} <{KG.contentHash}> ?h }} }}"))
        return rows[0]["h"].value if rows else None

    def write_article(self, article: ox.NamedNode, own: list[ox.Quad], shared: list[ox.Quad], *,
                      renames: list[tuple[str, str]] = (), names: dict[str, str] | None = None) -> None:
        """Renames first (as the embedded store does, so that the memberships they re-mint are the
        same), then the shared facts (a set: writing them twice changes nothing), then the
        article's own graph, replaced in one PUT."""
        ops = self._rename_ops(list(renames), names)
        if ops:
            self._update(" ;\n".join(ops))
        self.add_shared(shared)
        self._graph("PUT", article, (q.triple for q in own))

    def add_shared(self, quads: list[ox.Quad]) -> None:
        if quads:
            self._graph("POST", self.minter.shared_graph, (q.triple for q in quads))

    def _all_quads(self) -> Iterable[ox.Quad]:
        """Every quad in a graph under the base (a store may hold system graphs of its own)."""
        rows = self.query(f"""SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
            FILTER(STRSTARTS(STR(?g), {ox.Literal(self.minter.base)})) }}""")
        return [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]

    def __len__(self) -> int:
        rows = list(self.query(f"""SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
            FILTER(STRSTARTS(STR(?g), {ox.Literal(self.minter.base)})) }}"""))
        return int(rows[0]["n"].value)

    def flush(self) -> None:
        pass  # every write is sent at once
