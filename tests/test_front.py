"""`kg serve`'s front (kg.serve.front): HTTP/1.1 framing, queries answered in the front processes,
everything else by the app behind them, writes seen by the next query, validators, and a runaway
query stopped by ending its process while the other processes go on."""
from __future__ import annotations

import http.client
import json
import os
import socket
import threading
import time
import urllib.parse

import pytest

from kg.config import Config
from kg.serve.front import BadRequest, Reader
from tests.conftest import fixture_store, serving

COUNT = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
JSON = "application/sparql-results+json"


def _read(raw: bytes, max_bytes: int = 1000) -> list:
    a, b = socket.socketpair()
    with a, b:
        a.sendall(raw)
        a.shutdown(socket.SHUT_WR)
        reader, out = Reader(b, max_bytes), []
        while (request := reader.next()) is not None:
            out.append((request.method, request.target, request.fields.get("host"), request.body))
        return out


def test_reader_frames_pipelined_requests_with_lengths_and_chunks():
    raw = (b"GET /a?x=1 HTTP/1.1\r\nHost: h\r\n\r\n"
           b"POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
           b"\r\nPOST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nT: x\r\n\r\n")
    assert _read(raw) == [("GET", "/a?x=1", "h", b""), ("POST", "/b", "h", b"hello"), ("POST", "/c", "h", b"abcde")]


@pytest.mark.parametrize("raw, status", [
    (b"NONSENSE\r\n\r\n", 400),
    (b"GET / HTTP/2\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nno colon here\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nContent-Length: 12x\r\n\r\n", 400),
    (b"POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\n", 413),
    (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
    (b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
    (b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort", 400),
    (b"GET / HTTP/1.1\r\nX: " + b"y" * 70000, 431),
])
def test_reader_refuses_malformed_requests(raw, status):
    with pytest.raises(BadRequest) as e:
        _read(raw)
    assert e.value.status == status


def test_reader_answers_expect_100_continue_before_the_body():
    a, b = socket.socketpair()
    with a, b:
        a.sendall(b"POST /sparql HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n")
        got = {}
        t = threading.Thread(target=lambda: got.update(r=Reader(b, 100).next()))
        t.start()
        assert a.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        a.sendall(b"abc")
        t.join(5)
        assert got["r"].body == b"abc"


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    config = Config.load(env={"KG_QUERY_TIMEOUT": "2", "KG_UPDATE_TOKEN": "T", "KG_MEMORY_QUADS": "1000000"},
                         store=str(tmp_path_factory.mktemp("front") / "store"))
    with serving(config, fixture_store(config)) as server:
        yield server


def _get(conn: http.client.HTTPConnection, query: str, **headers: str) -> http.client.HTTPResponse:
    conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}), headers={"Accept": JSON, **headers})
    r = conn.getresponse()
    r.body = r.read()
    return r


def _count(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def _conn(server) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", int(server.url.rsplit(":", 1)[1]), timeout=30)


def test_front_answers_as_the_app_does_on_one_kept_alive_connection(front):
    client = front.app.test_client()
    conn = _conn(front)
    for query in (COUNT, "ASK { ?s a kg:Meeting }", "SELECT ?n WHERE { ?p schema:name ?n } ORDER BY ?n LIMIT 3"):
        r = _get(conn, query)
        expected = client.get("/sparql", query_string={"query": query}, headers={"Accept": JSON})
        assert r.status == 200 and r.getheader("Content-Type") == expected.content_type
        assert json.loads(r.body) == expected.get_json()
        assert r.getheader("Access-Control-Allow-Origin") == "*" and r.getheader("Vary") == "Accept"
    for body, ctype in ((urllib.parse.urlencode({"query": COUNT}), "application/x-www-form-urlencoded"),
                        (COUNT, "application/sparql-query")):
        conn.request("POST", "/sparql", body=body, headers={"Content-Type": ctype, "Accept": JSON})
        r = conn.getresponse()
        assert r.status == 200 and _count(r.read()) == 5
    conn.close()


@pytest.mark.parametrize("params, status, words", [
    ({"query": "SELECT ?x WHERE { ?x ?y }"}, 400, b"bad query: error at 1:"),
    ({"query": "SELECT * WHERE { SERVICE <http://elsewhere/sparql> { ?s ?p ?o } }"}, 400, b"not allowed"),
    ({"query": "ASK {}", "format": "csv"}, 406, b"boolean"),
    ({"update": "CLEAR ALL"}, 400, b"/update"),
])
def test_front_refuses_bad_queries_with_the_apps_words(front, params, status, words):
    conn = _conn(front)
    conn.request("GET", "/sparql?" + urllib.parse.urlencode(params))
    r = conn.getresponse()
    assert r.status == status and words in r.read()


def test_front_passes_pages_and_the_service_description_to_the_app(front):
    conn = _conn(front)
    conn.request("GET", "/newskg/id/person/vladimir-putin", headers={"Accept": "text/html"})
    r = conn.getresponse()
    assert r.status == 200 and b"Vladimir Putin" in r.read()
    conn = _conn(front)
    conn.request("GET", "/sparql", headers={"Accept": "text/turtle"})
    r = conn.getresponse()
    assert r.status == 200 and b"sparql-service-description#Service>" in r.read()
    conn = _conn(front)
    conn.request("GET", "/health")
    assert json.loads(conn.getresponse().read()) == {"status": "ok", "query_workers": 2}


def test_front_validators_and_a_write_seen_by_the_next_query(front):
    conn = _conn(front)
    first = _get(conn, COUNT)
    tag = first.getheader("ETag")
    assert tag and first.getheader("Last-Modified") and first.getheader("Cache-Control") == "no-cache"
    again = _get(conn, COUNT, **{"If-None-Match": tag})
    assert again.status == 304 and again.body == b""
    write = _conn(front)
    write.request("POST", "/update", body=urllib.parse.urlencode(
        {"update": "INSERT DATA { GRAPH <http://x/g> { <http://x/a> a <https://w3id.org/newskg/ns#Article> } }"}),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": "Bearer T"})
    assert write.getresponse().status == 204
    after = [_get(_conn(front), COUNT, **{"If-None-Match": tag}) for _ in range(4)]  # whichever process answers
    assert all(r.status == 200 and _count(r.body) == 6 and r.getheader("ETag") != tag for r in after)
    write = _conn(front)
    write.request("DELETE", "/store?graph=http%3A%2F%2Fx%2Fg", headers={"Authorization": "Bearer T"})
    assert write.getresponse().status == 204
    assert _count(_get(_conn(front), COUNT).body) == 5


def test_front_stops_a_runaway_query_by_ending_its_process_and_others_are_answered(front):
    before = set(front.front.pids())
    assert len(before) == 2
    out: dict = {}

    def runaway():
        t0 = time.monotonic()
        r = _get(_conn(front), RUNAWAY)
        out["status"], out["seconds"], out["body"] = r.status, time.monotonic() - t0, r.body

    t = threading.Thread(target=runaway)
    t.start()
    time.sleep(0.5)
    t0 = time.monotonic()
    quick = _get(_conn(front), COUNT)
    quick_seconds = time.monotonic() - t0
    t.join(15)
    assert quick.status == 200 and quick_seconds < 1.5
    assert out["status"] == 503 and b"timeout" in out["body"] and out["seconds"] < 2 + 1.5
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (len(front.front.pids()) < 2 or before <= set(front.front.pids())):
        time.sleep(0.05)
    killed = before - set(front.front.pids())
    assert len(killed) == 1 and len(front.front.pids()) == 2
    for pid in killed:  # the runaway's process is gone: its CPU is free
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert _count(_get(_conn(front), COUNT).body) == 5
