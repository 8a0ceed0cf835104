"""The committed fixture graph (tests/fixtures/seeds.trig) that the web and store tests run on is
what a model ingest of the seeds gives today. When extraction changes on purpose, write it again:

    kg ingest --store /tmp/fx examples/seeds && kg export --store /tmp/fx --format trig -o tests/fixtures/seeds.trig
"""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.config import Config
from kg.ingest import ingest
from kg.stores import EmbeddedStore

from .conftest import FIXTURE, SEEDS


@pytest.mark.model
def test_fixture_equals_a_fresh_model_ingest_of_the_seeds(model_nlp, tmp_path):
    config = Config.load(env={}, store=str(tmp_path / "store"))
    store = EmbeddedStore(config.store, config.base_iri)
    assert ingest([str(SEEDS)], config, nlp=model_nlp, store=store).articles == 5
    fresh = set(store.sorted_quads())
    committed = set(ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TRIG))
    missing, extra = sorted(map(str, committed - fresh))[:10], sorted(map(str, fresh - committed))[:10]
    assert fresh == committed, f"the fixture is stale: {len(committed - fresh)} quads gone, " \
                               f"{len(fresh - committed)} new; e.g. gone {missing}, new {extra}"
