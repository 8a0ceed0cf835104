"""Who is who after a real corpus ingest (the first diplomacy articles, with the model): namesakes
keep their own articles, spellings of one name are one person, names that are not names are no
one, and the most-mentioned person's count is close to the articles that name them. The same
checks as `python bench/identity.py` prints for a whole store."""
from __future__ import annotations

import json
import re

import pytest

from bench.identity import duplicates, namesakes, people
from kg.config import Config
from kg.extract.names import not_a_name
from kg.ingest import ingest
from kg.stores import EmbeddedStore

from .conftest import SHARED

CORPUS = SHARED / "corpus" / "diplomacy" / "articles.jsonl"
ARTICLES = 150


@pytest.fixture(scope="module")
def corpus_store(model_nlp, tmp_path_factory):
    if not CORPUS.exists():
        pytest.skip("needs ../shared/corpus/diplomacy")
    lines = CORPUS.read_text().splitlines()[:ARTICLES]
    path = tmp_path_factory.mktemp("corpus") / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n")
    config = Config.load(env={}, store=str(tmp_path_factory.mktemp("corpus-store")))
    store = EmbeddedStore(config.store, config.base_iri)
    assert ingest([str(path)], config, nlp=model_nlp, store=store).articles >= ARTICLES - 5
    texts = {r["id"]: r.get("text", "") for r in map(json.loads, lines)}
    return store, people(store), texts


@pytest.mark.model
def test_corpus_namesakes_keep_to_the_articles_that_name_them(corpus_store):
    _store, persons, texts = corpus_store
    found = namesakes(persons, texts)
    assert found, "the corpus has namesakes (the Trumps, the Clintons, the Bushes)"
    assert [(name, n, share) for name, n, share in found if share < 0.9] == []


@pytest.mark.model
def test_corpus_one_name_one_person_and_no_names_that_are_not_names(corpus_store):
    store, persons, _texts = corpus_store
    assert duplicates(persons, least=2) == []
    twice = list(store.query(f"""SELECT ?e WHERE {{ GRAPH {store.minter.shared_graph} {{ ?e schema:name ?n }} }}
                                 GROUP BY ?e HAVING (COUNT(?n) > 1)"""))
    assert twice == [], "one canonical name per entity"
    assert [p["name"] for p in persons.values() if not_a_name(p["name"])] == []


@pytest.mark.model
def test_corpus_the_most_mentioned_person_is_counted_right(corpus_store):
    _store, persons, texts = corpus_store
    top = max(persons.values(), key=lambda p: len(p["articles"]))
    last = top["name"].split()[-1]
    naming = sum(1 for t in texts.values() if re.search(rf"\b{re.escape(last)}\b", t))
    assert abs(len(top["articles"]) - naming) <= 0.1 * naming, (top["name"], len(top["articles"]), naming)
