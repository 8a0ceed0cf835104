"""Ingest while serving: articles sent to the server's /ingest (as `kg ingest --server` does) are
written while clients query; no query fails and none sees part of an article."""
from __future__ import annotations

import functools

import json
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from waitress import create_server

from kg.cli import main
from kg.config import Config
from kg.client import ingest_via_server
from kg.ingest import ingest, ingest_records
from kg.stores import EmbeddedStore
from kg.serve.app import create_app

from .conftest import SEEDS

TOKEN = "s3cret"
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@pytest.fixture
def server(nlp, tmp_path):
    config = Config.load(env={"KG_UPDATE_TOKEN": TOKEN}, store=str(tmp_path / "served"))
    store = EmbeddedStore(config.store, config.base_iri)
    app = create_app(config, store=store, ingest=functools.partial(ingest_records, nlp=nlp))
    srv = create_server(app, host="127.0.0.1", port=0, threads=8)
    threading.Thread(target=srv.run, daemon=True).start()
    yield f"http://127.0.0.1:{srv.effective_port}", config
    srv.close()
    app.extensions["kg"].pool.close()


@pytest.fixture
def corpus(tmp_path):
    """40 articles: the seeds under new ids, each with a sentence of its own."""
    path = tmp_path / "many.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for copy in range(8):
            for seed in sorted(SEEDS.iterdir()):
                text = seed.read_text(encoding="utf-8") + f"\n\nThis is copy {copy} of the story."
                out.write(json.dumps({"id": f"{seed.stem}-{copy}", "text": text}) + "\n")
    return path


def _per_graph(url: str) -> tuple[int, dict[str, int]]:
    req = urllib.request.Request(url + "/sparql?" + urllib.parse.urlencode({"query": PER_GRAPH}),
                                 headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            rows = json.load(resp)["results"]["bindings"]
            return resp.status, {r["g"]["value"]: int(r["n"]["value"]) for r in rows}
    except urllib.error.HTTPError as e:
        return e.code, {}


def test_queries_during_ingest_see_whole_articles_only(server, corpus, nlp, tmp_path):
    url, config = server
    client_config = Config.load(env={"KG_UPDATE_TOKEN": TOKEN}, store=str(tmp_path / "unused"))
    seen: list[tuple[int, dict[str, int]]] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            seen.append(_per_graph(url))

    readers = [threading.Thread(target=reader) for _ in range(3)]
    for t in readers:
        t.start()
    try:
        summary = ingest_via_server([str(corpus)], client_config, url, batch=3)
    finally:
        done.set()
        for t in readers:
            t.join()
    assert (summary.articles, summary.failed) == (40, 0)
    status, final = _per_graph(url)
    assert status == 200
    assert sum(1 for g in final if "/article/" in g) == 40

    assert seen and all(status == 200 for status, _ in seen)
    article_counts = [{g: n for g, n in graphs.items() if "/article/" in g} for _, graphs in seen]
    for graphs in article_counts:  # every article a reader saw was already whole
        assert all(n == final[g] for g, n in graphs.items())
    assert len({len(graphs) for graphs in article_counts}) > 2, "the readers should have run during the ingest"

    # the server's graph is the one a local ingest of the same articles gives
    local = EmbeddedStore(str(tmp_path / "local"), config.base_iri)
    ingest([str(corpus)], config, nlp=nlp, store=local)
    served = EmbeddedStore(config.store, config.base_iri, read_only=True)  # a second handle, read-only
    assert served.sorted_quads() == local.sorted_quads()

    again = ingest_via_server([str(corpus)], client_config, url, batch=50)
    assert (again.articles, again.skipped) == (0, 40)


def test_server_ingest_reports_bad_records_by_source_and_keeps_the_rest(server, tmp_path, capsys):
    url, _ = server
    good = SEEDS / sorted(p.name for p in SEEDS.iterdir())[0]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "text": "Vladimir Putin met Donald Trump in Helsinki."}\n{"id": "x"}\nnot json\n')
    summary = ingest_via_server([str(good), str(bad)], Config.load(env={"KG_UPDATE_TOKEN": TOKEN}), url)
    assert (summary.articles, summary.failed) == (2, 2)
    assert any(e.startswith(f"{bad}:2: ") and "neither 'text' nor 'html'" in e for e in summary.errors)
    assert any(e.startswith(f"{bad}:3: ") and "malformed JSON" in e for e in summary.errors)


def test_server_ingest_needs_the_token(server, tmp_path):
    url, _ = server
    req = urllib.request.Request(url + "/ingest", data=b"Vladimir Putin met Donald Trump.", method="POST",
                                 headers={"Content-Type": "text/plain"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=10)
    assert e.value.code == 401
    req.add_header("Authorization", "Bearer wrong")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=10)
    assert e.value.code == 403
    assert _per_graph(url)[1] == {}


def test_server_ingest_of_one_text_article_and_of_uploaded_files(server):
    url, _ = server
    req = urllib.request.Request(url + "/ingest?id=note-1", data=b"Vladimir Putin met Donald Trump in Helsinki.",
                                 method="POST", headers={"Content-Type": "text/plain",
                                                         "Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert json.load(resp)["ingested"] == 1
    _, graphs = _per_graph(url)
    assert any(g.endswith("/article/note-1") for g in graphs)

    import requests  # multipart upload as a browser form or curl -F sends it
    files = [("file", (p.name, p.read_bytes(), "text/plain")) for p in sorted(SEEDS.iterdir())[:2]]
    answer = requests.post(url + "/ingest", files=files, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    assert answer.status_code == 200 and answer.json()["ingested"] == 2
    _, graphs = _per_graph(url)
    assert {g.rsplit("/", 1)[1] for g in graphs} >= {p.stem for p in sorted(SEEDS.iterdir())[:2]}

    nothing = requests.post(url + "/ingest", data=b"\x00\x01\x02", headers={"Authorization": f"Bearer {TOKEN}"})
    assert nothing.status_code == 400 and "binary" in nothing.json()["errors"][0]


def test_cli_ingest_with_server(server, monkeypatch, capsys):
    url, _ = server
    monkeypatch.setenv("KG_UPDATE_TOKEN", TOKEN)
    assert main(["ingest", "--server", url, str(SEEDS)]) == 0
    assert "5 articles ingested" in capsys.readouterr().out
    monkeypatch.setenv("KG_UPDATE_TOKEN", "wrong")
    assert main(["ingest", "--server", url, str(SEEDS)]) == 2
    assert "refused the write (403): set KG_UPDATE_TOKEN" in capsys.readouterr().err


def test_bounded_load_32_clients_get_the_same_answers_as_one(live_server):
    """320 requests of the shipped queries from 32 threads (bounded by count and a 60 s cap):
    no error of any kind, and every answer equals the answer to the same query asked alone."""
    import concurrent.futures
    import time

    from kg.rdf.queries import examples
    queries = [q.text for q in examples().values()]

    def ask(q: str) -> tuple[int, bytes]:
        req = urllib.request.Request(live_server + "/sparql?" + urllib.parse.urlencode({"query": q}),
                                     headers={"Accept": "text/csv"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    alone = {q: ask(q) for q in queries}
    assert all(status == 200 for status, _ in alone.values())
    deadline = time.monotonic() + 60
    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        futures = {pool.submit(ask, queries[i % len(queries)]): queries[i % len(queries)] for i in range(320)}
        for f in concurrent.futures.as_completed(futures, timeout=max(1.0, deadline - time.monotonic())):
            assert f.result() == alone[futures[f]]


@pytest.mark.parametrize("token", ["", "wrong"])
def test_ingest_via_server_says_what_to_do_about_the_token(server, corpus, tmp_path, token):
    url, _config = server
    client_config = Config.load(env={"KG_UPDATE_TOKEN": token}, store=str(tmp_path / "unused"))
    with pytest.raises(RuntimeError, match="set KG_UPDATE_TOKEN here to the token the server was started with"):
        ingest_via_server([str(corpus)], client_config, url, batch=3)
