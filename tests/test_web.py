"""The SPARQL endpoint: GET and POST, formats by Accept or parameter, 400 with the parser's message."""
from __future__ import annotations

import pytest

from kg.config import Config
from kg.ingest import ingest
from kg.store import Store
from kg.web import create_app
from tests.conftest import SEEDS

COUNT = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }"


@pytest.fixture(scope="module")
def client(nlp, tmp_path_factory):
    config = Config.load(env={}, store=str(tmp_path_factory.mktemp("web") / "store"))
    store = Store(config.store, config.base_iri)
    ingest([str(SEEDS)], config, nlp=nlp, store=store)
    app = create_app(config, store=store)
    app.config["TESTING"] = True
    return app.test_client()


@pytest.mark.parametrize("method", ["get", "form", "direct"])
def test_web_query_methods(client, method):
    if method == "get":
        r = client.get("/sparql", query_string={"query": COUNT})
    elif method == "form":
        r = client.post("/sparql", data={"query": COUNT})
    else:
        r = client.post("/sparql", data=COUNT, content_type="application/sparql-query")
    assert r.status_code == 200 and r.mimetype == "application/sparql-results+json"
    assert r.get_json()["results"]["bindings"][0]["n"]["value"] == "5"


@pytest.mark.parametrize("accept, fmt, mimetype", [
    ("text/csv", None, "text/csv"),
    ("application/sparql-results+xml", None, "application/sparql-results+xml"),
    (None, "tsv", "text/tab-separated-values"),
])
def test_web_select_formats(client, accept, fmt, mimetype):
    r = client.get("/sparql", query_string={"query": COUNT, **({"format": fmt} if fmt else {})},
                   headers={"Accept": accept} if accept else {})
    assert r.status_code == 200 and r.mimetype == mimetype


def test_web_construct_is_turtle_by_default(client):
    r = client.get("/sparql", query_string={"query": "CONSTRUCT { ?a a kg:Article } WHERE { ?a a kg:Article }"})
    assert r.status_code == 200 and r.mimetype == "text/turtle" and b"NewsArticle" not in r.data
    assert r.data.count(b"ns#Article") == 5


def test_web_bad_query_is_400_with_the_parser_message(client):
    r = client.get("/sparql", query_string={"query": "SELECT WHERE {"})
    assert r.status_code == 400 and b"bad query" in r.data and b"error" in r.data


def test_web_unacceptable_format_is_406(client):
    r = client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": "image/png"})
    assert r.status_code == 406
