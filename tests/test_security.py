"""Probes of an attacker or a failure, as tests: no outbound call by any spelling, no crash on deep
nesting, a memory ceiling per query process. All traffic stays on 127.0.0.1."""
from __future__ import annotations

import multiprocessing as mp
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.config import Config
from kg.serve.confine import Confinement
from tests.conftest import fixture_store, serving
from tests.helpers import Listener, wait_for

TOKEN = "T0k"


def spellings(target: str) -> list[str]:
    """SERVICE calls to `target` that a line-based lexer misread (the probe of issue 30)."""
    return [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX : <http://a/>\nSELECT * WHERE {{ ?s :p\\#x ?o . SERVICE <{target}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ ?s <http://e/\\u0041.#x> ?o . SERVICE <{target}> {{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        f"select * where {{ ?s ?p ?o OPTIONAL {{ service <{target}> {{ ?a ?b ?c }} }} }}",
    ]


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    config = Config.load(env={"KG_QUERY_TIMEOUT": "20", "KG_UPDATE_TOKEN": TOKEN, "KG_QUERY_MEMORY": "400"},
                         store=str(tmp_path_factory.mktemp("sec") / "store"))
    with serving(config, fixture_store(config)) as server:
        yield server


def _get(url: str, query: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url + "/sparql?" + urllib.parse.urlencode({"query": query}), timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _post(url: str, path: str, field: str, text: str, token: str = TOKEN) -> tuple[int, bytes]:
    req = urllib.request.Request(url + path, data=urllib.parse.urlencode({field: text}).encode(),
                                 headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_security_no_service_spelling_calls_out(guarded):
    listener = Listener()
    try:
        for query in spellings(listener.url):
            status, body = _get(guarded.url, query)
            assert status == 400 and (b"not allowed" in body or b"could not be checked" in body), query
            status, body = _post(guarded.url, "/sparql", "query", query)
            assert status == 400, query
        for update in [f"LOAD <{listener.url}data.ttl>",
                       f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"]:
            status, body = _post(guarded.url, "/update", "update", update)
            assert status == 400 and b"not allowed" in body, update
    finally:
        listener.close()
    assert listener.count == 0


def _service_in_confined_process(target: str, queue) -> None:
    import pyoxigraph as ox
    Confinement(network=False).apply()
    try:
        list(ox.Store().query(f"SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"))
        queue.put("answered")
    except Exception as e:  # noqa: BLE001
        queue.put(f"refused: {e}")


def test_security_a_query_process_cannot_open_a_network_socket():
    """Below the parser check: even a SERVICE call it let through cannot leave a query process."""
    listener = Listener()
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    p = ctx.Process(target=_service_in_confined_process, args=(listener.url, queue))
    p.start()
    outcome = queue.get(timeout=60)
    p.join(10)
    listener.close()
    assert outcome.startswith("refused") and listener.count == 0


@pytest.mark.parametrize("query", [
    "SELECT * WHERE " + "{" * 10_000 + "?s ?p ?o" + "}" * 10_000,
    "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 10_000 + "}" * 10_000 + " }",
    "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 100_000 + "1" + ")" * 100_000 + ") }",
])
def test_security_deep_nesting_is_refused_and_nothing_crashes(guarded, query):
    pids = guarded.front.pids()
    status, body = _post(guarded.url, "/sparql", "query", query)
    assert status == 400 and b"nests" in body
    status, _ = _post(guarded.url, "/update", "update", "INSERT { ?s ?p ?o } WHERE " + query[len("SELECT * WHERE "):])
    assert status == 400
    assert guarded.front.pids() == pids


def test_security_a_query_past_the_memory_ceiling_gets_503_and_the_server_goes_on(guarded):
    status, body = _get(guarded.url, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i")
    assert status == 503 and b"memory" in body
    wait_for(guarded.url + "/sparql?query=ASK%7B%7D")
    assert _get(guarded.url, "ASK { ?s ?p ?o }")[0] == 200


# ---------------------------------------------------------------- never destroy a store
@pytest.fixture
def kept(tmp_path, monkeypatch):
    """A store of the five seeds made by `kg ingest` (blank model), KG_STORE pointing at it."""
    from kg.cli import main
    from tests.conftest import SEEDS
    monkeypatch.setenv("KG_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("KG_SPACY_MODEL", "blank")
    assert main(["ingest", str(SEEDS)]) == 0
    return tmp_path / "store"


def _quads(path) -> set:
    import pyoxigraph as ox
    return set(ox.Store.read_only(str(path)))


def _break(store) -> list:
    """The probe of issue 30: CURRENT and the write-ahead log gone."""
    (store / "CURRENT").unlink()
    for log in store.glob("*.log"):
        log.unlink()
    return sorted(p.name for p in store.iterdir())


def test_security_a_damaged_store_is_refused_and_left_as_it_was(kept, capsys):
    from kg.cli import main
    from tests.conftest import SEEDS
    before = _break(kept)
    for argv in (["ingest", str(SEEDS)], ["serve", "--port", "0"], ["query", "ASK {}"], ["export"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "damaged: its CURRENT file is missing" in err and "kg restore" in err and "--salvage" in err, argv
        assert sorted(p.name for p in kept.iterdir()) == before


def test_security_salvage_reads_back_a_damaged_store(kept, tmp_path, capsys):
    from kg.cli import main
    whole = _quads(kept)
    _break(kept)
    out = tmp_path / "saved.nq"
    assert main(["export", "--salvage", "-o", str(out)]) == 0
    import pyoxigraph as ox
    assert set(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS)) == whole


def test_security_backup_and_restore_give_the_same_store(kept, tmp_path, monkeypatch, capsys):
    from kg.cli import main
    whole = _quads(kept)
    assert main(["backup", str(tmp_path / "bk")]) == 0
    assert main(["backup", str(tmp_path / "bk")]) == 2  # never over an existing directory
    monkeypatch.setenv("KG_STORE", str(tmp_path / "restored"))
    assert main(["restore", str(tmp_path / "bk")]) == 0
    assert _quads(tmp_path / "restored") == whole
    assert main(["restore", str(tmp_path / "bk")]) == 2  # never over a store
    assert "not empty" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["ingest", "-"], ["serve", "--port", "0"]])
def test_security_a_directory_that_holds_something_else_is_never_made_a_store(tmp_path, monkeypatch, capsys, argv):
    from kg.cli import main
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("mine")
    monkeypatch.setenv("KG_STORE", str(tmp_path / "docs"))
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("Putin met Trump in Alaska."))
    assert main(argv) == 2
    assert "holds no store" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "docs").iterdir()] == ["notes.txt"]


def test_security_serve_refuses_a_store_path_that_does_not_exist(tmp_path, monkeypatch, capsys):
    from kg.cli import main
    monkeypatch.setenv("KG_STORE", str(tmp_path / "typo"))
    assert main(["serve", "--port", "0"]) == 2
    assert "no store at" in capsys.readouterr().err and not (tmp_path / "typo").exists()


@pytest.mark.parametrize("host, shown", [("evil.example:81", "http://evil.example:81/sparql"),
                                         ("a> ; <x", "http://localhost/sparql"),
                                         ("x\" onmouseover=\"y", "http://localhost/sparql")])
def test_security_a_forged_host_never_reaches_the_service_description(tmp_path, host, shown):
    from kg.serve.app import create_app
    config = Config.load(env={}, store=str(tmp_path / "store"))
    client = create_app(config, store=fixture_store(config)).test_client()
    r = client.get("/sparql", headers={"Accept": "text/turtle", "Host": host})
    assert r.status_code in (200, 400)
    if r.status_code == 200:
        assert f"<{shown}>".encode() in r.data and b"<x>" not in r.data


@pytest.mark.parametrize("path", ["/newskg/id/%00", "/newskg/id/%FF%FE", "/newskg/id/%3Cscript%3E", "/newskg/id/a%20b"])
def test_security_a_path_that_is_no_iri_is_not_found(tmp_path, path):
    from kg.serve.app import create_app
    config = Config.load(env={}, store=str(tmp_path / "store"))
    client = create_app(config, store=fixture_store(config)).test_client()
    for accept in ("text/html", "text/turtle"):
        assert client.get(path, headers={"Accept": accept}).status_code == 404


def test_security_slow_readers_of_dumps_block_no_page_nor_write(tmp_path):
    """Issue 30, probe 5: clients that ask for /dump.nq and never read held the app's threads."""
    import socket
    import time
    import pyoxigraph as ox
    config = Config.load(env={"KG_UPDATE_TOKEN": TOKEN, "KG_QUERY_WORKERS": "2"}, store=str(tmp_path / "store"))
    store = fixture_store(config)
    g = ox.NamedNode("http://example.org/bulk")
    store.ox.bulk_extend(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"),
                                 ox.Literal("x" * 200), g) for i in range(60_000))  # a dump far past socket buffers
    with serving(config, store) as server:

        def timed(fn) -> float:
            t0 = time.monotonic()
            fn()
            return time.monotonic() - t0

        page = lambda: urllib.request.urlopen(server.url + "/", timeout=60).read()  # noqa: E731
        write = lambda: _post(server.url, "/update", "update", "INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/b> 1 } }")  # noqa: E731
        usual = max(timed(page), timed(write))
        host, port = server.url.removeprefix("http://").split(":")
        slow = []
        for _ in range(20):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.connect((host, int(port)))
            s.sendall(f"GET /dump.nq HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            slow.append(s)
        time.sleep(1.0)  # the dumps fill what the sockets buffer and wait
        busy = max(timed(page), timed(write), timed(page))
        assert busy < max(2.0, 5 * usual), f"pages and writes took {busy:.2f} s beside 20 slow readers ({usual:.2f} s alone)"
        assert _post(server.url, "/update", "update", "INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/b> 2 } }")[0] == 204
        for s in slow:
            s.close()


def test_security_an_allowed_endpoints_failure_is_not_relayed(tmp_path):
    import http.server
    import threading
    from kg.serve.app import create_app

    class Secret(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"SECRET-BODY of an internal service")
        do_GET = do_POST  # noqa: N815

        def log_message(self, *args):
            pass
    httpd = http.server.HTTPServer(("127.0.0.1", 0), Secret)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    config = Config.load(env={"KG_SERVICE_ALLOW": url}, store=str(tmp_path / "store"))
    app = create_app(config, store=fixture_store(config))
    try:
        r = app.test_client().get("/sparql", query_string={"query": f"SELECT * {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}"})
        assert r.status_code == 400 and b"SECRET" not in r.data and b"SERVICE call failed" in r.data
    finally:
        app.extensions["kg"].pool.close()
        httpd.shutdown()


def test_security_kill_9_of_kg_serve_leaves_no_process(tmp_path):
    """Every front process and query worker ends when kg serve is killed outright."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from tests.helpers import free_port
    config = Config.load(env={}, store=str(tmp_path / "store"))
    fixture_store(config).flush()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", config.store, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    try:
        wait_for(f"http://127.0.0.1:{port}/health")
        urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", timeout=30).read()

        def family(pid: int) -> list[int]:
            kids = [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()]
            return kids + [g for k in kids for g in family(k)]
        children = family(proc.pid)
        assert len(children) >= 2
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)

    def alive(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/status") as f:
                return "zombie" not in f.read().lower()
        except FileNotFoundError:
            return False
    deadline = time.monotonic() + 15
    while any(alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [c for c in children if alive(c)]
    for c in left:
        os.kill(c, signal.SIGKILL)
    assert not left, f"processes outlived kg serve: {left}"


@pytest.fixture
def tiny_disk(tmp_path):
    """A 6 MB file system of its own (tmpfs; needs root: CI runs as root)."""
    import subprocess
    mount = tmp_path / "tiny"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here (not root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_security_the_server_recovers_by_itself_when_disk_space_returns(tiny_disk):
    """Issue 30, probe 6: after a full disk every write failed until a restart (RocksDB refuses
    writes after the error until the store is opened again)."""
    from kg.serve.app import create_app
    from kg.stores import EmbeddedStore
    config = Config.load(env={"KG_UPDATE_TOKEN": TOKEN, "KG_QUERY_WORKERS": "1"}, store=str(tiny_disk / "store"))
    store = EmbeddedStore(config.store, config.base_iri)
    app = create_app(config, store=store)
    client = app.test_client()
    filler = tiny_disk / "filler"
    filler.write_bytes(b"x" * 2_500_000)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    try:
        statuses = []
        for k in range(400):
            values = " ".join(f'<http://e/{k}/{i}> <http://e/p> "{"y" * 400}" .' for i in range(100))
            r = client.post("/update", data={"update": f"INSERT DATA {{ GRAPH <http://e/g{k}> {{ {values} }} }}"},
                            headers=auth)
            statuses.append(r.status_code)
            if r.status_code == 507:
                assert b"disk is full" in r.data and b"free some space" in r.data
                break
        assert statuses[-1] == 507 and set(statuses[:-1]) <= {204}
        assert client.post("/update", data={"update": "INSERT DATA { GRAPH <http://e/x> { <http://e/a> <http://e/b> 1 } }"},
                           headers=auth).status_code == 507  # still full
        filler.unlink()
        r = client.post("/update", data={"update": "INSERT DATA { GRAPH <http://e/x> { <http://e/a> <http://e/b> 2 } }"},
                        headers=auth)
        assert r.status_code == 204, r.data
        ask = client.get("/sparql", query_string={"query": "ASK { GRAPH <http://e/x> { <http://e/a> <http://e/b> 2 } }"},
                         headers={"Accept": "application/sparql-results+json"})
        assert b"true" in ask.data
    finally:
        app.extensions["kg"].pool.close()
