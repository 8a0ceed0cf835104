"""The embedded store: one named graph per article plus one shared graph, in a persistent Oxigraph
store on disk.

Every write of an article is one atomic Oxigraph operation (`extend` for a new article, a single
SPARQL update when something must also be removed or renamed), so a reader or a crash never
sees half an article. A graph replaced through the Graph Store protocol is loaded into a staging
graph first and moved over the old one in one operation.
"""
from __future__ import annotations

import errno
from collections.abc import Iterable
from itertools import chain
from pathlib import Path

import pyoxigraph as ox
import rdflib

from kg.rdf.sparql import quad_data, run
from kg.rdf.vocab import KG
from kg.stores.base import Store, StoreError
from kg.stores.directory import damaged, is_store
from kg.stores.search import functions, index_of

PENDING = "kg-fusion-pending"  # a file beside the database's own while a batch is not yet fused
STAGING = ox.NamedNode("urn:kg:staging")  # a graph that replaces another, until it is moved there
REPLACES = ox.NamedNode("urn:kg:replaces")  # the staging graph's mark: the graph it replaces
FLUSH_QUADS = 50_000  # Oxigraph keeps written quads in memory (~0.9 MB per 1,000) until a flush


class EmbeddedStore(Store):
    def __init__(self, path: str | Path | None, base_iri: str, *, read_only: bool = False,
                 create: bool = True) -> None:
        """The store at `path` (in memory for None). A directory that holds anything but a whole
        store is refused before Oxigraph sees it; a new store is made only with `create`."""
        super().__init__(base_iri)
        if path is None:
            self.ox = ox.Store()
        else:
            self.ox = _open(Path(path), read_only=read_only, create=create)
        self.path, self.read_only = path, read_only
        self._unflushed = 0
        self._pending = False

    # ------------------------------------------------------------ reading
    def content_hash(self, article_iri: ox.NamedNode) -> str | None:
        for q in self.ox.quads_for_pattern(article_iri, ox.NamedNode(str(KG.contentHash)), None, article_iri):
            return q.object.value
        return None

    def query(self, text: str):
        """`text` over the union of all graphs; kg:matches reads the search index beside the store
        (looked for only when the text names it: linking and fusion query the store thousands of
        times an ingest)."""
        return run(self.ox, text, functions=functions(index_of(self.path)) if "matches" in text else None)

    def as_rdflib(self) -> rdflib.Dataset:
        """The same store as an rdflib Dataset through oxrdflib, for code written against rdflib.
        Its default graph is the union of all graphs; a plain query string runs on Oxigraph's own
        engine (a prepared query or extra arguments fall back to rdflib's, far slower)."""
        from oxrdflib import OxigraphStore
        return rdflib.Dataset(store=OxigraphStore(store=self.ox), default_union=True)

    def _all_quads(self) -> Iterable[ox.Quad]:
        return self.ox.quads_for_pattern(None, None, None, None)

    def __len__(self) -> int:
        return len(self.ox)

    # ------------------------------------------------------------ writing
    def write_article(self, article: ox.NamedNode, own: list[ox.Quad], shared: list[ox.Quad], *,
                      renames: list[tuple[str, str]] = (), names: dict[str, str] | None = None) -> None:
        self._unflushed += len(own) + len(shared)
        if self._unflushed >= FLUSH_QUADS:  # memory stays flat over a long ingest
            self.flush()
        replace = self.ox.contains_named_graph(article)
        if not replace and not renames and not names:
            self.ox.extend(own + shared)
            return
        ops = [f"DROP SILENT GRAPH {article}"] if replace else []
        ops += self._rename_ops(renames, names)
        ops.append(f"INSERT DATA {{ {quad_data(own + shared)} }}")
        try:
            self.ox.update(" ;\n".join(ops))
        except (OSError, SyntaxError) as e:
            raise StoreError(f"writing {article.value} failed: {e}") from None

    def update(self, update: str) -> None:
        try:
            self.ox.update(update)
        except (OSError, SyntaxError) as e:
            raise StoreError(f"update failed: {e}") from None

    def add_shared(self, quads: list[ox.Quad]) -> None:
        self.ox.extend(quads)
        self.flush()

    # ------------------------------------------------------------ graph store protocol
    def graph_exists(self, graph: ox.NamedNode | ox.DefaultGraph) -> bool:
        return isinstance(graph, ox.DefaultGraph) or self.ox.contains_named_graph(graph)

    def graph_triples(self, graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Triple]:
        return [q.triple for q in self.ox.quads_for_pattern(None, None, None, graph)]

    def put_graph(self, graph: ox.NamedNode | ox.DefaultGraph, triples: Iterable[ox.Triple], *, replace: bool) -> bool:
        """Replace (or add to) a graph, all or nothing; `triples` may be a parser's lazy output, and a
        SyntaxError it raises leaves the store as it was. A graph that is replaced is first loaded
        whole into a staging graph, with a mark naming its target in the same transaction, then
        moved (`_finish_replacement`, which the next opening of the store completes after a crash).
        Returns whether the graph is new."""
        self.set_fusion_pending(True)
        new = not self.graph_exists(graph)
        into = STAGING if replace and not new else graph
        staged = (ox.Quad(t.subject, t.predicate, t.object, into) for t in triples)
        self.ox.extend(chain(staged, [_mark(graph)]) if into == STAGING else staged)
        if into == STAGING:
            _finish_replacement(self.ox)
        if not isinstance(graph, ox.DefaultGraph):
            self.ox.add_graph(graph)  # an empty graph put is a graph that exists
        return new

    def drop_graph(self, graph: ox.NamedNode | ox.DefaultGraph) -> bool:
        """Remove a graph; False when there was none."""
        if isinstance(graph, ox.DefaultGraph):
            self.ox.update("CLEAR DEFAULT")
            return True
        if not self.ox.contains_named_graph(graph):
            return False
        self.set_fusion_pending(True)
        self.ox.remove_graph(graph)
        return True

    def flush(self) -> None:
        self.ox.flush()
        self._unflushed = 0

    def fusion_pending(self) -> bool:
        return self._pending if self.path is None else (Path(self.path) / PENDING).exists()

    def set_fusion_pending(self, pending: bool) -> None:
        self._pending = pending
        if self.path is None or self.read_only or (Path(self.path) / PENDING).exists() == pending:
            return
        if pending:
            (Path(self.path) / PENDING).touch()
        else:
            (Path(self.path) / PENDING).unlink(missing_ok=True)

    def reopen(self) -> None:
        """Open the store again: after a full disk RocksDB refuses every write until then. Raises
        StoreError while something else still holds the old one (it then stays closed to writes)."""
        import gc
        self.ox = None  # type: ignore[assignment]
        gc.collect()
        self.ox = _open(Path(self.path), read_only=self.read_only, create=False)

    def backup(self, target: str | Path) -> None:
        """A consistent copy of the store in `target` (a new directory), taken while it stays open."""
        target = Path(target)
        if target.exists():
            raise StoreError(f"{target} already exists: name a new directory for the backup")
        if not self.read_only:
            self.flush()
        try:
            self.ox.backup(str(target))
        except OSError as e:
            raise StoreError(f"the backup to {target} failed: {e}") from None


def disk_full(e: BaseException) -> bool:
    """Did a write fail because the store's disk is full?"""
    return getattr(e, "errno", None) == errno.ENOSPC or "no space left" in str(e).lower()


def _open(path: Path, *, read_only: bool, create: bool) -> ox.Store:
    if not is_store(path):
        if read_only or not create:
            raise StoreError(f"no store at {path.resolve()}: ingest articles first, or name the store with "
                             "--store or KG_STORE" + ("" if read_only else " (kg serve --create makes an empty one)"))
        path.mkdir(parents=True, exist_ok=True)
    try:
        store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        if not read_only and store.contains_named_graph(STAGING):
            _finish_replacement(store)  # a crash came between loading a replacement and moving it
        return store
    except OSError as e:
        message = str(e)
        if "lock" in message.lower():
            raise StoreError(f"another process holds the store at {path} (a running kg serve or kg ingest); while "
                             "kg serve holds it, ingest with kg ingest --server URL") from None
        if "corruption" in message.lower():
            raise StoreError(damaged(path, message)) from None
        raise StoreError(f"cannot open the store at {path}: {message}") from None


def _mark(graph: ox.NamedNode | ox.DefaultGraph) -> ox.Quad:
    target = ox.Literal("default") if isinstance(graph, ox.DefaultGraph) else graph
    return ox.Quad(STAGING, REPLACES, target, STAGING)


def _finish_replacement(store: ox.Store) -> None:
    """Move the staged graph over the graph its mark names: clear the target, copy the staged
    triples into it, drop the staging graph. Each step may be done again, so a crash anywhere is
    finished the same way when the store opens next. A staging graph without its mark (never the
    case: the mark is loaded with the triples) is dropped."""
    marks = list(store.quads_for_pattern(STAGING, REPLACES, None, STAGING))
    if marks:
        mark = marks[0]
        target = ox.DefaultGraph() if isinstance(mark.object, ox.Literal) else mark.object
        store.clear_graph(target)
        store.extend(ox.Quad(q.subject, q.predicate, q.object, target)
                     for q in store.quads_for_pattern(None, None, None, STAGING) if q != mark)
    store.remove_graph(STAGING)
