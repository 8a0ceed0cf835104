"""The one interface every store gives the rest of newskg: read a content hash, run a query,
write an article atomically (with the entity renames linking asked for), add shared facts,
export deterministically. Subclasses supply the primitives; the SPARQL of renames and the
export order live here once."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import BinaryIO

import pyoxigraph as ox

from kg.rdf.formats import FORMATS, FormatError
from kg.rdf.sparql import iri, iris
from kg.rdf.triples import Minter
from kg.rdf.vocab import ORG, PREFIXES, RDFS, SCHEMA


class StoreError(RuntimeError):
    pass


class Store(ABC):
    def __init__(self, base_iri: str) -> None:
        self.minter = Minter(base_iri)

    # ------------------------------------------------------------ primitives
    @abstractmethod
    def content_hash(self, article_iri: ox.NamedNode) -> str | None:
        """The stored article's content hash, None when it is not in the store."""

    @abstractmethod
    def query(self, text: str):
        """A SPARQL query over the union of all graphs, with the vocabulary's prefixes predeclared."""

    @abstractmethod
    def write_article(self, article: ox.NamedNode, own: list[ox.Quad], shared: list[ox.Quad], *,
                      renames: list[tuple[str, str]] = (), names: dict[str, str] | None = None) -> None:
        """Replace the article's graph and add its shared facts. `renames` moves store entities to
        new IRIs first; `names` fixes the canonical name of entities that gained a more complete one
        (the old name becomes an alternate)."""

    @abstractmethod
    def add_shared(self, quads: list[ox.Quad]) -> None:
        """Add facts to the shared graph (links, for instance), in one write."""

    @abstractmethod
    def update(self, update: str) -> None:
        """Run one SPARQL update (several operations joined by ';'), atomically where the store can."""

    @abstractmethod
    def _all_quads(self) -> Iterable[ox.Quad]: ...

    @abstractmethod
    def __len__(self) -> int: ...

    def flush(self) -> None:
        """Make every write durable (a no-op where each write is sent at once)."""

    def fusion_pending(self) -> bool:
        """True when some report may have no event or quotation yet: a batch stopped between writing
        its articles and fusing them, or a graph was written by other means. A store that cannot
        keep the mark says True, and fusion then looks for such reports itself."""
        return True

    def set_fusion_pending(self, pending: bool) -> None:
        """Set the mark before the first article of a batch is written; clear it once fused."""

    def apply_renames(self, renames: list[tuple[str, str]], names: dict[str, str]) -> None:
        """Merge store entities into others (and give these their canonical names), in one update."""
        ops = self._rename_ops(renames, names)
        if ops:
            self.update(" ;\n".join(ops))

    # ------------------------------------------------------------ shared logic
    def _rename_ops(self, renames: list[tuple[str, str]], names: dict[str, str] | None) -> list[str]:
        """Update operations that move renamed entities (and their memberships) to their new IRIs
        and make their new canonical names the schema:name."""
        ops = []
        for old, new in [*renames, *self._membership_renames(renames)]:
            ops += rename_ops(old, new)
        g = self.minter.shared_graph
        for entity, name in sorted((names or {}).items()):
            x, lit = iri(entity), ox.Literal(name)
            ops.append(f"DELETE {{ GRAPH {g} {{ {x} <{SCHEMA.name}> ?n }} }} "
                       f"INSERT {{ GRAPH {g} {{ {x} <{SCHEMA.alternateName}> ?n }} }} "
                       f"WHERE {{ GRAPH {g} {{ {x} <{SCHEMA.name}> ?n FILTER(?n != {lit}) }} }}")
        return ops

    def _membership_renames(self, renames: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Memberships are named after their member and organisation: renaming those renames them."""
        mapping = dict(renames)
        if not mapping:
            return []
        rows = self.query(f"""SELECT DISTINCT ?m ?member ?org ?label WHERE {{
            GRAPH {self.minter.shared_graph} {{
              ?m <{ORG.member}> ?member ; <{ORG.role}> ?r . ?r <{RDFS.label}> ?label
              OPTIONAL {{ ?m <{ORG.organization}> ?org }} }}
            VALUES ?x {{ {iris(mapping)} }} FILTER(?member = ?x || ?org = ?x) }}""")
        out = []
        for r in rows:
            member = mapping.get(r["member"].value, r["member"].value)
            org = r["org"].value if r["org"] is not None else None
            org = mapping.get(org, org) if org else None
            new = self.minter.membership(member, org, r["label"].value).value
            if new != r["m"].value:
                out.append((r["m"].value, new))
        return sorted(set(out))

    def sorted_quads(self) -> list[ox.Quad]:
        return sorted(self._all_quads(), key=_quad_key)

    def export(self, fmt: str, out: BinaryIO) -> int:
        """Write the whole store deterministically: the same store gives the same bytes. Returns a count."""
        try:
            spec = FORMATS.dump(fmt)
        except FormatError as e:
            raise StoreError(str(e)) from None
        prefixes = {"prefixes": PREFIXES} if spec.prefixes else {}
        if not spec.rdf.supports_datasets:
            triples = sorted({q.triple for q in self._all_quads()}, key=_triple_key)
            ox.serialize(triples, out, spec.rdf, **prefixes)
            return len(triples)
        quads = self.sorted_quads()
        ox.serialize(quads, out, spec.rdf, **prefixes)
        return len(quads)


def rename_ops(old: str, new: str, graph: str = "?g") -> list[str]:
    """Update operations that move every quad naming `old` (as subject or object) to `new`, in every
    graph or in the one `graph` (an IRI term)."""
    o, n = iri(old), iri(new)
    return [f"DELETE {{ GRAPH {graph} {{ {o} ?p ?o }} }} INSERT {{ GRAPH {graph} {{ {n} ?p ?o }} }} "
            f"WHERE {{ GRAPH {graph} {{ {o} ?p ?o }} }}",
            f"DELETE {{ GRAPH {graph} {{ ?s ?p {o} }} }} INSERT {{ GRAPH {graph} {{ ?s ?p {n} }} }} "
            f"WHERE {{ GRAPH {graph} {{ ?s ?p {o} }} }}"]


def _term_key(t: object) -> tuple:
    return (type(t).__name__, str(t))


def _triple_key(t: ox.Triple) -> tuple:
    return (_term_key(t.subject), _term_key(t.predicate), _term_key(t.object))


def _quad_key(q: ox.Quad) -> tuple:
    return (_term_key(q.graph_name), _term_key(q.subject), _term_key(q.predicate), _term_key(q.object))
