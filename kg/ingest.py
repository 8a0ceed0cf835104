"""A batch: read -> clean -> extract -> link -> write, one atomic write per article; errors per item.

Importing this module loads no NLP: the model and the extractors are imported when the first
article that needs them arrives, so a server that never ingests never maps spaCy."""
from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.config import Config
from kg.link import fusion_store
from kg.link.fusion_store import Changes, acted_for
from kg.link.linker import EntityIndex, consolidate
from kg.link.shared import articles_mentioning, membership_pairs, mentioned_by, refresh
from kg.link.outlinks import Outlinks, place_quads, same_as_quads
from kg.link.places import senses
from kg.model import Article, ArticleFacts, Entity
from kg.rdf.triples import PUBLISHER, article_quads, entity_quads
from kg.rdf.vocab import SCHEMA
from kg.read.clean import to_article
from kg.read.sources import InputError, Record, read_inputs
from kg.stores import Store, disk_full, open_store
from kg.stores.search import SearchIndex

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)


MAX_CHARS = 1_000_000  # spaCy's nlp.max_length
SETTLE_ROUNDS = 3  # linking decided again until nothing moves (a move changes the evidence of others)


@dataclass
class Summary:
    articles: int = 0
    skipped: int = 0
    failed: int = 0
    quads: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    entities: int = 0  # people, organisations and places the store has now that it had not before
    meetings: int = 0  # meetings and statements in the articles ingested
    statements: int = 0
    stopped: bool = False  # the batch stopped early (the disk is full)

    @property
    def done(self) -> int:
        return self.articles + self.skipped + self.failed

    def line(self) -> str:
        rate = self.articles / self.seconds if self.seconds else 0.0
        return (f"{self.articles} articles ingested, {self.skipped} unchanged and skipped, {self.failed} failed; "
                f"{self.entities} new entities, {self.meetings} meetings, {self.statements} statements; "
                f"{self.quads} quads in the store; {self.seconds:.1f} s ({rate:.1f} articles/s)")


ENTITY_COUNT = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ?t VALUES ?t { kg:Person kg:Organisation kg:Place } }"


def entity_count(store: Store) -> int:
    return int(next(iter(store.query(ENTITY_COUNT)))["n"].value)


def ingest(paths: Iterable[str], config: Config, *, nlp: Language | None = None, store: Store | None = None,
           progress: Callable[[Summary], None] | None = None) -> Summary:
    """Ingest every article under `paths` into the store. One bad article is reported and skipped.
    `progress` is called with the summary so far after each article."""
    return ingest_records(read_inputs(paths, max_bytes=config.max_bytes), config, nlp=nlp, store=store,
                          progress=progress)


def ingest_records(items: Iterable[Record | InputError], config: Config, *, nlp: Language | None = None,
                   store: Store | None = None, progress: Callable[[Summary], None] | None = None) -> Summary:
    """Ingest records (from kg.read.sources) into the store, one atomic write per article."""
    t0 = time.perf_counter()
    summary = Summary()
    store = open_store(config) if store is None else store
    index = EntityIndex.of_store(store)
    outlinks = Outlinks.from_config(config)
    entities_before = entity_count(store)

    def report() -> None:
        if progress:
            summary.seconds = time.perf_counter() - t0
            progress(summary)

    seen: dict[str, str] = {}  # article id -> the input it first came from in this batch

    def articles() -> Iterator[tuple[str, Article]]:
        for item in items:
            if isinstance(item, InputError):
                fail(summary, str(item))
                report()
                continue
            try:
                article = to_article(item)
            except ValueError as e:
                fail(summary, f"{item.source}: {e}")
                report()
                continue
            if article.id in seen:
                fail(summary, f"{item.source}: the id {article.id!r} is also {seen[article.id]}'s in this batch; "
                     "only the first is ingested (give each article its own id)")
                report()
                continue
            seen[article.id] = item.source
            if len(article.text) >= MAX_CHARS:
                fail(summary, f"{item.source}: article text is {len(article.text):,} characters, over spaCy's "
                     f"limit of {MAX_CHARS:,}; split it into several articles")
                report()
                continue
            if store.content_hash(store.minter.article(article.id)) == article.content_hash:
                summary.skipped += 1
                report()
                continue
            yield article.text, article

    changes = Changes()  # what fusion must decide again
    settle = store.fusion_pending()  # an earlier batch stopped before fusion, or a graph was written otherwise
    if config.cluster:
        from kg.extract.cluster import extract_on_cluster
        results = extract_on_cluster(config.cluster, (a for _text, a in articles()), config)
    else:
        results = _extract_here(articles(), nlp, config)
    for article, facts in results:
        if isinstance(facts, str):
            fail(summary, f"{article.source}: {facts}")
        else:
            try:
                if not changes:  # a batch that stops before fusion leaves its mark
                    store.set_fusion_pending(True)
                if _store_facts(store, index, outlinks, facts, changes):
                    index = EntityIndex.of_store(store)
                summary.articles += 1
                summary.meetings += len(facts.meetings)
                summary.statements += len(facts.statements)
            except Exception as e:  # noqa: BLE001 — one article's failure must not stop the batch
                if disk_full(e):  # every later write would fail too: stop now, say so once
                    fail(summary, f"the disk of the store is full: stopped after {summary.articles} articles, "
                         "every one of them stored whole; free some space and ingest again (stored articles are "
                         "skipped)")
                    summary.stopped = True
                    break
                fail(summary, f"{article.source}: writing failed ({type(e).__name__}: {e})")
                index = EntityIndex.of_store(store)
        report()
    if summary.stopped:
        summary.quads = len(store)
        summary.seconds = time.perf_counter() - t0
        return summary
    for _ in range(SETTLE_ROUNDS if summary.articles else 0):  # the whole store's evidence, not the order of arrival, decides
        if not (moved := consolidate(store)):
            break
        changes |= moved
    fusion_store.update(store, changes, settle=settle)
    if (search := SearchIndex.beside(store)) is not None:
        search.keep_up(store.ox, changes.articles)
    store.flush()
    summary.quads = len(store)
    summary.entities = max(0, entity_count(store) - entities_before)
    summary.seconds = time.perf_counter() - t0
    return summary


def fail(summary: Summary, message: str) -> None:
    """Count and report one article or input that could not be ingested."""
    summary.failed += 1
    summary.errors.append(message)
    log.error("%s", message)


def _extract_here(todo: Iterator[tuple[str, Article]], nlp: Language | None,
                  config: Config) -> Iterator[tuple[Article, ArticleFacts | str]]:
    """Extraction in this process; the NLP in KG_WORKERS processes beside it (kg.extract.nlp.parse)."""
    first = next(todo, None)  # the model is loaded only when some article needs it
    if first is None:
        return
    from kg.extract.nlp import load, parse
    from kg.extract.pipeline import extract_docs
    nlp = nlp or load(config.spacy_model)
    yield from extract_docs(parse(nlp, itertools.chain([first], todo), batch_size=config.batch_size,
                                  workers=config.workers))


def _store_facts(store: Store, index: EntityIndex, outlinks: Outlinks, facts: ArticleFacts,
                 changes: Changes) -> bool:
    """Link the article's entities to the store's, mint its quads and write them atomically; a
    re-ingested article's old support is refreshed. Adds to `changes` what fusion must decide
    again: this article and what it held before, the articles whose reports linking moved or whose
    meetings' memberships came or went. True when the index must be read again."""
    article = facts.article
    places = senses(facts)
    titles: dict[str, set[str]] = {}
    for role in facts.roles:
        titles.setdefault(role.member, set()).add(role.label)
    entities = [e for e in facts.entities if e.type != "Agent"]
    if article.publisher:  # one entity with the organisation of that name in the texts
        entities.append(Entity(PUBLISHER, "Organisation", article.publisher, (), (), strong=True))
    link = index.link(entities, {key: s.feature.geonameid for key, s in places.items() if s.by_context}, titles)
    own, shared = article_quads(facts, store.minter, link.iris)
    for iri in sorted(set(link.iris.values())):
        k = index.known[iri]
        shared += entity_quads(store.minter, iri, k.type, k.name, k.names)
        shared += same_as_quads(store.minter, iri, outlinks.targets(k.type, k.name, k.names))
    for key, sense in sorted(places.items()):
        shared += place_quads(store.minter, link.iris[key], sense.feature)
    names = {new: index.known[new].name for _old, new in link.renames if new in index.known} | link.names
    iri = store.minter.article(article.id)
    before = mentioned_by(store, iri) if store.content_hash(iri) else set()
    mentions = {q.object.value for q in own if q.subject == iri and q.predicate.value == str(SCHEMA.mentions)}
    roles = {x for x in mentions | before if store.minter.is_membership(x)}
    held = membership_pairs(store, roles)
    changes.articles |= {iri.value} | articles_mentioning(store, {old for old, _new in link.renames})
    store.write_article(iri, own, shared, renames=link.renames, names=names)
    changes.previous |= before
    changes.entities |= set(link.names)
    if before and (renames := refresh(store, before)):  # a changed article: what it no longer supports goes
        changes.entities |= {new for _old, new in renames}
        reload = True
    else:
        reload = bool(before)
    changes.articles |= acted_for(store, held, membership_pairs(store, roles))
    return reload
