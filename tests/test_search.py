"""Full-text search (kg.stores.search): what it finds in the committed fixture graph, how it reads
the user's words, that every ingest keeps it in step with the articles, and the /search pages."""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import Config
from kg.ingest import ingest
from kg.stores.search import FILE, SearchIndex, match_expression
from tests.conftest import fixture_store


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    config = Config.load(env={}, store=str(tmp_path_factory.mktemp("search") / "store"))
    store = fixture_store(config)
    index = SearchIndex.beside(store)
    assert index.new and index.rebuild(store.ox) > 100
    return store, index


@pytest.mark.parametrize("text, expr", [
    ("Alaska summit", '"Alaska" "summit"'),
    ('"spoke by phone" Putin', '"spoke by phone" "Putin"'),
    ("Zelensk*", '"Zelensk"*'),
    ('a:b -c ( "unclosed', '"a" "b" "c" "unclosed"'),  # FTS5 syntax is read as words, never as syntax
    ("  ", ""),
])
def test_search_reads_the_users_words(text, expr):
    assert match_expression(text) == expr


def test_search_finds_a_phrase_in_evidence_and_marks_it(seeds):
    store, index = seeds
    hits, total, counts = index.search('"spoke by phone"')
    assert total == 1 and counts == {"meeting": 1}
    hit = hits[0]
    assert hit.kind == "meeting" and "Donald Trump" in hit.label and "Vladimir Putin" in hit.label
    assert "Putin <mark>spoke by phone</mark> for" in hit.snippet
    assert any(True for _ in store.ox.quads_for_pattern(ox.NamedNode(hit.iri), None, None, ox.NamedNode(hit.article)))


def test_search_gives_a_name_once_with_the_articles_that_give_it(seeds):
    _store, index = seeds
    hits, _total, counts = index.search("Peskov", kind="person")
    assert [(h.label, h.kind) for h in hits] == [("Dmitry Peskov", "person")] and hits[0].articles >= 3
    assert counts["statement"] > 10  # his statements are found by his name too
    everything, total, _ = index.search("Peskov")
    assert total == sum(counts.values()) and len({h.iri for h in everything}) == len(everything)


def test_search_escapes_what_it_shows():
    from kg.stores.search import _marked
    assert _marked("<b>x</b> \x02y\x03") == "&lt;b&gt;x&lt;/b&gt; <mark>y</mark>"


def test_search_forgets_an_article_that_is_gone(tmp_path):
    config = Config.load(env={}, store=str(tmp_path / "store"))
    store = fixture_store(config)
    index = SearchIndex.beside(store)
    index.rebuild(store.ox)
    hit = index.search('"spoke by phone"')[0][0]
    store.drop_graph(ox.NamedNode(hit.article))
    assert index.update(store.ox, [hit.article]) == 0
    assert index.search('"spoke by phone"')[1] == 0


def test_search_is_kept_in_step_by_every_ingest(tmp_path):
    folder, config = tmp_path / "in", Config.load(env={}, store=str(tmp_path / "store"))
    folder.mkdir()
    article = folder / "talks.txt"
    article.write_text("Russian President Vladimir Putin met French President Emmanuel Macron in Geneva on Friday.")
    ingest([str(folder)], config)
    found = lambda words: SearchIndex(Path(config.store) / FILE).search(words)[1]  # noqa: E731
    assert found("Geneva") >= 1 and found("Vienna") == 0
    article.write_text("Russian President Vladimir Putin met French President Emmanuel Macron in Vienna on Friday.")
    ingest([str(folder)], config)  # a changed article: its rows are read again
    assert found("Geneva") == 0 and found("Vienna") >= 1
    # a store whose index is missing (made before search, or restored) gets a whole one at the next ingest
    (Path(config.store) / FILE).unlink()
    (folder / "other.txt").write_text("Peskov said the Kremlin was open to talks with Paris.")
    ingest([str(folder)], config)
    assert found("Vienna") >= 1 and found("Kremlin") >= 1


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from kg.serve.app import create_app
    config = Config.load(env={"KG_UPDATE_TOKEN": "s3cret"}, store=str(tmp_path_factory.mktemp("web") / "store"))
    app = create_app(config, store=fixture_store(config))
    yield app.test_client()
    app.extensions["kg"].pool.close()


def test_search_page_json_and_csv(client):
    page = client.get("/search", query_string={"q": "Alaska"}).get_data(as_text=True)
    assert "<mark>Alaska</mark>" in page and 'href="/newskg/id/' in page and "hits" in page
    data = client.get("/search.json", query_string={"q": "Alaska", "kind": "meeting"}).get_json()
    assert data["total"] == data["kinds"]["meeting"] == len(data["hits"]) and data["hits"]
    assert all(h["kind"] == "meeting" for h in data["hits"])
    csv = client.get("/search.csv", query_string={"q": "Alaska"}).get_data(as_text=True).splitlines()
    assert csv[0].startswith("kind,iri,article,label") and len(csv) - 1 == client.get(
        "/search.json", query_string={"q": "Alaska"}).get_json()["total"]
    assert client.get("/search", query_string={"q": "x", "kind": "nonsense"}).status_code == 400
    assert client.get("/search", query_string={"q": "x", "page": "0"}).status_code == 400


def test_search_says_when_a_direct_write_made_it_stale(client):
    assert 'class="notice"' not in client.get("/search", query_string={"q": "Alaska"}).get_data(as_text=True)
    assert client.post("/update", data="INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/b> 'Alaska' } }",
                       content_type="application/sparql-update",
                       headers={"Authorization": "Bearer s3cret"}).status_code == 204
    assert 'class="notice"' in client.get("/search", query_string={"q": "Alaska"}).get_data(as_text=True)
    assert json.loads(client.get("/search.json", query_string={"q": "Alaska"}).data)["total"] >= 1


def test_search_from_the_command_line_says_when_it_cuts(seeds, capsys):
    from kg.cli import main
    store, _index = seeds
    assert main(["search", "--store", str(store.path), "--limit", "2", "Peskov"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("(the first 2 of ") and "statement" in out[-1]
    assert sum(1 for line in out if line.startswith(("person", "statement", "meeting"))) == 2
    assert main(["search", "--store", str(store.path), "--kind", "place", "nosuchwordanywhere"]) == 0
    assert capsys.readouterr().out.strip() == "(no hits)"


def test_search_from_sparql_with_kg_matches(client, seeds):
    """kg:matches(?x, "words") in a query at the endpoint (run in a query process) and in kg query."""
    query = """SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?a { ?s a kg:Statement } FILTER(kg:matches(?s, "Peskov")) }"""
    answer = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
    n = int(answer.get_json()["results"]["bindings"][0]["n"]["value"])
    assert n == client.get("/search.json", query_string={"q": "Peskov"}).get_json()["kinds"]["statement"] > 10
    store, _index = seeds
    rows = list(store.query(query.replace('"Peskov"', "'\"spoke by phone\"'").replace("kg:Statement", "kg:Meeting")))
    assert int(rows[0]["n"].value) == 1
