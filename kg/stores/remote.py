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

import urllib.parse
from collections.abc import Iterable

import pyoxigraph as ox

from kg.http import Client, HTTPFailure
from kg.rdf.vocab import KG, SPARQL_PROLOGUE
from kg.stores.base import Store, StoreError

TIMEOUT = 300


class RemoteStore(Store):
    def __init__(self, url: str, base_iri: str, *, update_url: str = "", gsp_url: str = "", auth: str = "") -> None:
        """`url`: the store's SPARQL query endpoint (without the sparql+ prefix)."""
        super().__init__(base_iri)
        self.path = None
        self.query_url = url
        head = url.rsplit("/", 1)[0]
        self.update_url = update_url or head + "/update"
        self.gsp_url = gsp_url or head + "/store"
        self._http = Client(auth=auth, urls=(self.query_url, self.update_url, self.gsp_url), timeout=TIMEOUT)

    def _send(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None,
              accept: str | None = None) -> bytes:
        try:
            return self._http.send(method, url, body, content_type=content_type, accept=accept)
        except HTTPFailure as e:
            raise StoreError(str(e)) from None

    def query(self, text: str):
        """The query on the store's endpoint (prefixes predeclared): solutions or a boolean as
        pyoxigraph parses them, or a list of triples for CONSTRUCT/DESCRIBE."""
        try:
            body = self._http.post_form(self.query_url, {"query": SPARQL_PROLOGUE + text},
                                        accept="application/sparql-results+json, application/n-triples;q=0.9")
        except HTTPFailure as e:
            raise StoreError(str(e)) from None
        if body.lstrip()[:1] == b"{":
            return ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        return [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]

    def update(self, update: str) -> None:
        try:
            self._http.post_form(self.update_url, {"update": update})
        except HTTPFailure as e:
            raise StoreError(str(e)) from None

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
            self.update(" ;\n".join(ops))
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
