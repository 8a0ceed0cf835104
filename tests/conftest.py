"""Shared fixtures. Unit tests use a blank pipeline with an entity ruler; tests marked `model`
load the statistical model (they run in CI too)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import os

import pytest
from hypothesis import settings

from kg.config import Config
from kg.extract.nlp import blank
from kg.stores import EmbeddedStore
from tests.helpers import wait_for

# CI replays the same examples every run (a failure there is reproducible); locally they vary
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
SHARED = ROOT.parent / "shared"
FIXTURE = ROOT / "tests" / "fixtures" / "seeds.trig"  # the seeds as the model reads them (test_fixture.py)

PEOPLE = ["Vladimir Putin", "Putin", "Dmitry Peskov", "Peskov", "Donald Trump", "Trump", "Steve Witkoff",
          "Witkoff", "Karoline Leavitt", "Leavitt", "Kirill Dmitriev", "Rustem Umerov", "Umerov", "Yuri Ushakov",
          "Ushakov", "Marco Rubio", "Sergey Lavrov", "Pavel Zarubin", "Joe Biden", "Angela Merkel", "Merkel",
          "Emmanuel Macron", "Macron", "Xi Jinping", "Musharraf", "Clinton", "Hillary Clinton", "Martin Indyk",
          "Volodymyr Zelensky", "Zelensky"]
ORGS = ["National Defense and Security Council", "BBC", "Interfax", "Foreign Ministry"]
PLACES = ["St. Petersburg", "Istanbul", "Washington", "Budapest", "Moscow", "Kyiv", "Geneva", "Paris", "Beijing",
          "Riyadh", "Helsinki", "Alaska"]


@pytest.fixture(scope="session")
def nlp():
    """spaCy without a statistical model: sentences, the gazetteer and these names."""
    patterns = [{"label": "PERSON", "pattern": p} for p in PEOPLE]
    patterns += [{"label": "ORG", "pattern": o} for o in ORGS]
    patterns += [{"label": "GPE", "pattern": p} for p in PLACES]
    patterns += [{"label": "NORP", "pattern": n} for n in ("Russian", "American", "Ukrainian", "French", "Chinese")]
    return blank(patterns)


@pytest.fixture(scope="session")
def model_nlp():
    from kg.extract.nlp import load
    return load("auto")


@pytest.fixture
def config(tmp_path) -> Config:
    return Config.load(env={}, store=str(tmp_path / "store"))


@pytest.fixture
def store(config) -> EmbeddedStore:
    return EmbeddedStore(config.store, config.base_iri)


def fixture_store(config: Config) -> EmbeddedStore:
    """The store `config` names, holding the committed fixture graph: web and store tests do not
    depend on what extraction finds today."""
    import pyoxigraph as ox
    store = EmbeddedStore(config.store, config.base_iri)
    store.ox.bulk_load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return store


def front_server(config: Config, store: EmbeddedStore | None = None, **kwargs):
    """The app behind its real front (kg.serve.front: query processes on a port of 127.0.0.1, the app
    on a Unix socket), started; close it with `.close()` and the app's pool with `.pool.close()`."""
    from kg.serve.app import create_app
    from kg.serve.front import Server
    app = create_app(config, store=store, front=True, **kwargs)
    server = Server(app, host="127.0.0.1", port=0).start()
    server.pool = app.extensions["kg"].pool
    server.app = app
    return server


@contextmanager
def serving(config: Config, store: EmbeddedStore | None = None, **kwargs) -> Iterator:
    """`front_server`, answering, for the block; closed with its pool after it."""
    server = front_server(config, store, **kwargs)
    try:
        wait_for(server.url + "/sparql?query=ASK%7B%7D")
        yield server
    finally:
        server.close()
        server.pool.close()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """`kg serve` as it runs (front processes and the app), over the fixture graph."""
    config = Config.load(env={"KG_QUERY_TIMEOUT": "10"}, store=str(tmp_path_factory.mktemp("live") / "store"))
    with serving(config, fixture_store(config)) as server:
        yield server.url
