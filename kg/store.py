"""The merged persistent store: one named graph per article plus one shared graph, on Oxigraph.

Every write of an article is one atomic Oxigraph operation (`extend` for a new article, a single
SPARQL update when something must also be removed or renamed), so a reader or a crash never
sees half an article.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .linker import EntityIndex
from .namespaces import KG, ORG, PREFIXES, SCHEMA
from .sparql import run
from .triples import Minter

FLUSH_QUADS = 50_000  # Oxigraph keeps written quads in memory (~0.9 MB per 1,000) until a flush
FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE,
           "ntriples": ox.RdfFormat.N_TRIPLES}


class StoreError(RuntimeError):
    pass


class Store:
    def __init__(self, path: str | Path | None, base_iri: str, *, read_only: bool = False) -> None:
        self.minter = Minter(base_iri)
        if str(path).startswith("sparql+"):
            raise StoreError(f"{path}: this needs the embedded store (a directory), not a remote SPARQL store")
        try:
            if path is None:
                self.ox = ox.Store()
            else:
                Path(path).mkdir(parents=True, exist_ok=True)
                self.ox = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except OSError as e:
            raise StoreError(f"cannot open the store at {path}: {e} "
                             "(is another kg process writing to it?)") from None
        self.path = path
        self._unflushed = 0

    # ------------------------------------------------------------ reading
    def content_hash(self, article_iri: ox.NamedNode) -> str | None:
        for q in self.ox.quads_for_pattern(article_iri, ox.NamedNode(str(KG.contentHash)), None, article_iri):
            return q.object.value
        return None

    def entity_index(self) -> EntityIndex:
        """The names of every entity in the store, for linking new articles to them."""
        index = EntityIndex(self.minter)
        g = self.minter.shared_graph
        rows = self.query(f"""SELECT ?e ?t ?n ?alt WHERE {{ GRAPH <{g.value}> {{
            ?e a ?t ; <{SCHEMA.name}> ?n . FILTER(?t IN (<{KG.Person}>, <{KG.Organisation}>, <{KG.Place}>))
            OPTIONAL {{ ?e <{SCHEMA.alternateName}> ?alt }} }} }}""")
        types = {str(KG.Person): "Person", str(KG.Organisation): "Organisation", str(KG.Place): "Place"}
        for r in rows:
            alt = {r["alt"].value} if r["alt"] is not None else set()
            iri = r["e"].value
            index.add(iri, types[r["t"].value], r["n"].value, alt, findable=not self.minter.has_sense(iri))
        return index

    def query(self, text: str):
        """A SPARQL query over the union of all graphs, with the vocabulary's prefixes predeclared."""
        return run(self.ox, text)

    def _all_quads(self) -> Iterable[ox.Quad]:
        return self.ox.quads_for_pattern(None, None, None, None)

    def __len__(self) -> int:
        return len(self.ox)

    def article_count(self) -> int:
        return sum(1 for g in self.ox.named_graphs() if g != self.minter.shared_graph)

    # ------------------------------------------------------------ writing
    def write_article(self, article: ox.NamedNode, own: list[ox.Quad], shared: list[ox.Quad], *,
                      renames: list[tuple[str, str]] = (), names: dict[str, str] | None = None) -> None:
        """Replace the article's graph and add its shared facts, in one atomic operation.
        `renames` moves store entities to new IRIs first; `names` fixes the canonical name of
        entities that gained a more complete one (the old name becomes an alternate)."""
        self._unflushed += len(own) + len(shared)
        if self._unflushed >= FLUSH_QUADS:  # memory stays flat over a long ingest
            self.flush()
        replace = self.ox.contains_named_graph(article)
        if not replace and not renames:
            self.ox.extend(own + shared)
            return
        ops = [f"DROP SILENT GRAPH {article}"] if replace else []
        ops += self._rename_ops(renames, names)
        ops.append("INSERT DATA { " + " ".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}"
                                               for q in own + shared) + " }")
        try:
            self.ox.update(" ;\n".join(ops))
        except (OSError, SyntaxError) as e:
            raise StoreError(f"writing {article.value} failed: {e}") from None

    def add_shared(self, quads: list[ox.Quad]) -> None:
        """Add facts to the shared graph (links, for instance), in one write."""
        self.ox.extend(quads)
        self.flush()

    def _rename_ops(self, renames: list[tuple[str, str]], names: dict[str, str] | None) -> list[str]:
        """Update operations that move renamed entities (and their memberships) to their new IRIs
        and make their new canonical names the schema:name."""
        ops = []
        for old, new in [*renames, *self._membership_renames(renames)]:
            ops += _rename(old, new)
        g = self.minter.shared_graph
        for iri, name in sorted((names or {}).items()):
            lit = ox.Literal(name)
            ops.append(f"DELETE {{ GRAPH {g} {{ <{iri}> <{SCHEMA.name}> ?n }} }} "
                       f"INSERT {{ GRAPH {g} {{ <{iri}> <{SCHEMA.alternateName}> ?n }} }} "
                       f"WHERE {{ GRAPH {g} {{ <{iri}> <{SCHEMA.name}> ?n FILTER(?n != {lit}) }} }}")
        return ops

    def _membership_renames(self, renames: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Memberships are named after their member and organisation: renaming those renames them."""
        mapping = dict(renames)
        if not mapping:
            return []
        values = " ".join(f"<{o}>" for o in mapping)
        rows = self.query(f"""SELECT DISTINCT ?m ?member ?org ?label WHERE {{
            GRAPH <{self.minter.shared_graph.value}> {{
              ?m <{ORG.member}> ?member ; <{ORG.role}> ?r . ?r <http://www.w3.org/2000/01/rdf-schema#label> ?label
              OPTIONAL {{ ?m <{ORG.organization}> ?org }} }}
            VALUES ?x {{ {values} }} FILTER(?member = ?x || ?org = ?x) }}""")
        out = []
        for r in rows:
            member = mapping.get(r["member"].value, r["member"].value)
            org = r["org"].value if r["org"] is not None else None
            org = mapping.get(org, org) if org else None
            new = self.minter.membership(member, org, r["label"].value).value
            if new != r["m"].value:
                out.append((r["m"].value, new))
        return sorted(set(out))

    # ------------------------------------------------------------ graph store protocol
    def graph_exists(self, graph: ox.NamedNode | ox.DefaultGraph) -> bool:
        return isinstance(graph, ox.DefaultGraph) or self.ox.contains_named_graph(graph)

    def graph_triples(self, graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Triple]:
        return [q.triple for q in self.ox.quads_for_pattern(None, None, None, graph)]

    def put_graph(self, graph: ox.NamedNode | ox.DefaultGraph, triples: list[ox.Triple], *, replace: bool) -> bool:
        """Replace (or add to) a graph in one atomic update. Returns whether the graph is new."""
        new = not self.graph_exists(graph)
        target = "DEFAULT" if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph}"
        ops = [f"DROP SILENT {target}"] if replace else []
        body = " ".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
        wrapped = body if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph} {{ {body} }}"
        ops.append(f"INSERT DATA {{ {wrapped} }}")
        self.ox.update(" ;\n".join(ops))
        if new and not triples and not isinstance(graph, ox.DefaultGraph):
            self.ox.add_graph(graph)
        return new

    def drop_graph(self, graph: ox.NamedNode | ox.DefaultGraph) -> bool:
        """Remove a graph; False when there was none."""
        if isinstance(graph, ox.DefaultGraph):
            self.ox.update("CLEAR DEFAULT")
            return True
        if not self.ox.contains_named_graph(graph):
            return False
        self.ox.remove_graph(graph)
        return True

    # ------------------------------------------------------------ export
    def sorted_quads(self) -> list[ox.Quad]:
        return sorted(self._all_quads(), key=_quad_key)

    def export(self, fmt: str, out: BinaryIO) -> int:
        """Write the whole store deterministically: the same store gives the same bytes. Returns a count."""
        if fmt not in FORMATS:
            raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
        if fmt in ("turtle", "ntriples"):
            triples = sorted({q.triple for q in self._all_quads()}, key=_triple_key)
            ox.serialize(triples, out, FORMATS[fmt], **({"prefixes": PREFIXES} if fmt == "turtle" else {}))
            return len(triples)
        quads = self.sorted_quads()
        ox.serialize(quads, out, FORMATS[fmt], **({"prefixes": PREFIXES} if fmt == "trig" else {}))
        return len(quads)

    def flush(self) -> None:
        self.ox.flush()
        self._unflushed = 0


def open_store(config, *, read_only: bool = False) -> Store:
    """The store KG_STORE names: a directory (embedded Oxigraph), or sparql+http(s)://… for any
    SPARQL 1.1 store (kg.remote)."""
    if config.store.startswith(("sparql+http://", "sparql+https://")):
        from .remote import RemoteStore
        return RemoteStore(config)
    return Store(config.store, config.base_iri, read_only=read_only)


def _rename(old: str, new: str) -> list[str]:
    """Update operations that move every quad naming `old` (as subject or object) to `new`."""
    return [f"DELETE {{ GRAPH ?g {{ <{old}> ?p ?o }} }} INSERT {{ GRAPH ?g {{ <{new}> ?p ?o }} }} "
            f"WHERE {{ GRAPH ?g {{ <{old}> ?p ?o }} }}",
            f"DELETE {{ GRAPH ?g {{ ?s ?p <{old}> }} }} INSERT {{ GRAPH ?g {{ ?s ?p <{new}> }} }} "
            f"WHERE {{ GRAPH ?g {{ ?s ?p <{old}> }} }}"]


def _term_key(t: object) -> tuple:
    return (type(t).__name__, str(t))


def _triple_key(t: ox.Triple) -> tuple:
    return (_term_key(t.subject), _term_key(t.predicate), _term_key(t.object))


def _quad_key(q: ox.Quad) -> tuple:
    return (_term_key(q.graph_name), _term_key(q.subject), _term_key(q.predicate), _term_key(q.object))

