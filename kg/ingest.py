"""Paths -> articles -> facts -> the store, one atomic write per article; errors per item."""
from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from spacy.language import Language

from .clean import to_article
from .config import Config
from .linker import EntityIndex
from .model import Article
from .pipeline import extract
from .sources import InputError, read_inputs
from .store import Store
from .triples import article_quads, entity_quads


MAX_CHARS = 1_000_000  # spaCy's nlp.max_length


@dataclass
class Summary:
    articles: int = 0
    skipped: int = 0
    failed: int = 0
    quads: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        rate = self.articles / self.seconds if self.seconds else 0.0
        return (f"{self.articles} articles ingested, {self.skipped} unchanged and skipped, {self.failed} failed; "
                f"{self.quads} quads in the store; {self.seconds:.1f} s ({rate:.1f} articles/s)")


def ingest(paths: Iterable[str], config: Config, *, nlp: Language | None = None, store: Store | None = None,
           progress: Callable[[str], None] | None = None) -> Summary:
    """Ingest every article under `paths` into the store. One bad article is reported and skipped."""
    t0 = time.perf_counter()
    summary = Summary()
    store = Store(config.store, config.base_iri) if store is None else store
    index = store.entity_index()

    def fail(message: str) -> None:
        summary.failed += 1
        summary.errors.append(message)
        print(f"error: {message}", file=sys.stderr)

    def articles() -> Iterator[tuple[str, Article]]:
        for item in read_inputs(paths, max_bytes=config.max_bytes):
            if isinstance(item, InputError):
                fail(str(item))
                continue
            try:
                article = to_article(item)
            except ValueError as e:
                fail(f"{item.source}: {e}")
                continue
            if len(article.text) >= MAX_CHARS:
                fail(f"{item.source}: article text is {len(article.text):,} characters, over spaCy's "
                     f"limit of {MAX_CHARS:,}; split it into several articles")
                continue
            if store.content_hash(store.minter.article(article.id)) == article.content_hash:
                summary.skipped += 1
                continue
            yield article.text, article

    last_report = time.perf_counter()
    todo = articles()
    first = next(todo, None)  # the model is loaded only when some article needs it
    if first is not None and nlp is None:
        from .nlp import load
        nlp = load(config.spacy_model)
    docs = nlp.pipe(itertools.chain([first], todo), as_tuples=True, batch_size=config.batch_size,
                    n_process=config.workers) if first is not None else iter(())
    for doc, article in docs:
        try:
            _store_article(store, index, doc, article)
            summary.articles += 1
        except Exception as e:  # one article's failure must not stop the batch
            fail(f"{article.source}: extraction failed ({type(e).__name__}: {e})")
            index = store.entity_index()
        if progress and time.perf_counter() - last_report > 5:
            last_report = time.perf_counter()
            done = summary.articles + summary.skipped + summary.failed
            progress(f"ingest: {done} read, {summary.articles} ingested, {summary.skipped} skipped, "
                     f"{summary.failed} failed ({summary.articles / (last_report - t0):.1f} articles/s)")
    store.flush()
    summary.quads = len(store)
    summary.seconds = time.perf_counter() - t0
    return summary


def _store_article(store: Store, index: EntityIndex, doc, article: Article) -> None:
    facts = extract(doc, article)
    link = index.link([e for e in facts.entities if e.type != "Agent"])
    own, shared = article_quads(facts, store.minter, link.iris)
    for iri in sorted(set(link.iris.values())):
        k = index.known[iri]
        shared += entity_quads(store.minter, iri, k.type, k.name, k.names)
    names = {new: index.known[new].name for _old, new in link.renames if new in index.known}
    store.write_article(store.minter.article(article.id), own, shared, renames=link.renames, names=names)
