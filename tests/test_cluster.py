"""Extraction on a real Dask LocalCluster of two worker processes gives the same graph as a local
ingest of the same articles, and keeps the per-article error handling and idempotence."""
from __future__ import annotations

import json

import pytest

from kg.config import Config
from kg.ingest import ingest
from kg.stores import EmbeddedStore
from kg.stores.base import Store

from .conftest import SEEDS, SHARED


def _ingest(paths, tmp_path, name, **settings) -> tuple[Store, object]:
    config = Config.load(env={}, store=str(tmp_path / name), batch_size="3", **settings)
    store = EmbeddedStore(config.store, config.base_iri)
    return store, ingest([str(p) for p in paths], config, store=store)


def _articles(tmp_path, bbc: int) -> list:
    """The seeds, a broken record, and `bbc` BBC articles when the shared corpus is there."""
    extra = tmp_path / "extra.jsonl"
    lines = ['{"id": "broken"}']
    bbc_dir = SHARED / "corpus" / "bbc" / "articles"
    if bbc and bbc_dir.is_dir():
        for p in sorted(bbc_dir.rglob("*.txt"))[:bbc]:
            lines.append(json.dumps({"id": f"bbc-{p.parent.name}-{p.stem}", "text": p.read_text(errors="replace")}))
    extra.write_text("\n".join(lines) + "\n")
    return [SEEDS, extra]


def test_cluster_blank_pipeline_graph_equals_local(tmp_path):
    paths = _articles(tmp_path, 0)
    local, s1 = _ingest(paths, tmp_path, "local", spacy_model="blank")
    dist, s2 = _ingest(paths, tmp_path, "dist", spacy_model="blank", cluster="local:2")
    assert (s2.articles, s2.failed) == (s1.articles, s1.failed) == (5, 1)
    assert dist.sorted_quads() == local.sorted_quads()
    assert any("/event/" in q.subject.value for q in dist.sorted_quads())  # the same events, fused alike
    assert s2.errors == s1.errors and "extra.jsonl:1" in s2.errors[0]
    again = ingest([str(p) for p in paths], Config.load(env={}, store=str(tmp_path / "dist"), spacy_model="blank",
                                                        cluster="local:2"), store=dist)
    assert (again.articles, again.skipped) == (0, 5)


@pytest.mark.model
def test_cluster_model_graph_equals_local_with_entities_across_workers(tmp_path):
    """Batches of 3 articles over two workers: the same person found by different workers is one IRI."""
    paths = _articles(tmp_path, 25)
    local, s1 = _ingest(paths, tmp_path, "local", spacy_model="auto")
    dist, s2 = _ingest(paths, tmp_path, "dist", spacy_model="auto", cluster="local:2")
    assert s2.articles == s1.articles >= 5
    assert dist.sorted_quads() == local.sorted_quads()
    assert any("/event/" in q.subject.value for q in dist.sorted_quads())  # the same events, fused alike
    putin = [q for q in dist.sorted_quads() if q.subject.value.endswith("/person/vladimir-putin")]
    assert putin, "one IRI for Putin, whichever worker read the article"
