"""The endpoint over HTTP against the same work in-process, and against `oxigraph serve`.

    pip install oxigraph          # the Rust server, for the comparison only
    python bench/endpoint.py STORE_DIR [--scale 16] [--requests 2000] [--clients 8] [--seconds 60]

On the quads of STORE_DIR (an ingested store), repeated --scale times under renamed graphs to
reach a realistic size, loaded into two fresh stores (one served, one queried in-process), in one run:
1. startup: seconds from `kg serve` to the first answered /health;
2. latency: each shipped query's median over HTTP (JSON results) against the same query run
   in-process on pyoxigraph and serialised to JSON; the ratio of the two;
3. throughput: a bounded run (fixed number of requests and time limit, N concurrent clients,
   127.0.0.1 only) of a point lookup against `kg serve` and against `oxigraph serve` on the same
   data; requests/s, p50/p99 and errors.
"""
from __future__ import annotations

import argparse
import io
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.rdf.vocab import PREFIXES  # noqa: E402

BASE = "https://w3id.org/newskg/id/"
POINT = ("SELECT ?name WHERE { <https://w3id.org/newskg/id/person/tony-blair> "
         "<https://schema.org/name> ?name }")


def _moved(term, k: int):
    if isinstance(term, ox.NamedNode) and term.value.startswith(BASE):
        return ox.NamedNode(f"{BASE}c{k}/{term.value[len(BASE):]}")
    return term


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, limit: float = 60) -> float:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return time.perf_counter() - t0
        except OSError:
            time.sleep(0.02)
    raise SystemExit(f"{url} did not come up in {limit} s")


def get(url: str, query: str) -> bytes:
    req = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.read()


def paired_medians(a, b, repeat: int) -> tuple[float, float]:
    """Median times of `a` and `b`, run alternately so that drift on a shared machine hits both."""
    ta, tb = [], []
    for _ in range(repeat):
        for fn, times in ((a, ta), (b, tb)):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    return statistics.median(ta), statistics.median(tb)


def load(url: str, queries: list[str], requests: int, clients: int, seconds: float) -> dict:
    """A bounded run: `requests` in all (the queries in turn), `clients` threads, stopped after
    `seconds`. Errors are counted by kind: 5xx answers, other HTTP errors, and no answer at all."""
    latencies: list[float] = []
    errors = {"5xx": 0, "4xx": 0, "no answer": 0}
    lock = threading.Lock()
    counter = iter(range(requests))
    deadline = time.perf_counter() + seconds

    def client():
        while time.perf_counter() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            t0 = time.perf_counter()
            kind = None
            try:
                get(url, queries[n % len(queries)])
            except urllib.error.HTTPError as e:
                kind = "5xx" if e.code >= 500 else "4xx"
            except OSError:
                kind = "no answer"
            with lock:
                latencies.append(time.perf_counter() - t0)
                if kind:
                    errors[kind] += 1

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()
    return {"requests": len(latencies), "errors": sum(errors.values()), **errors, "rps": len(latencies) / wall,
            "p50_ms": 1000 * latencies[len(latencies) // 2],
            "p99_ms": 1000 * latencies[max(0, int(len(latencies) * 0.99) - 1)], "latencies": latencies}


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and all its descendants, from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        p, ppid = int(stat.parent.name), int(fields[1])
        if p == pid or ppid == pid or _ancestor(ppid, pid):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _ancestor(ppid: int, pid: int) -> bool:
    for _ in range(5):
        if ppid in (0, 1):
            return False
        if ppid == pid:
            return True
        try:
            ppid = int(Path(f"/proc/{ppid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            return False
    return False


def runaway(url: str, server_pid: int, timeout: float) -> None:
    """A cross product over the whole store: time to the error, and the CPU the server uses after."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    t0 = time.perf_counter()
    try:
        get(url, query)
        status = 200
    except urllib.error.HTTPError as e:
        status = e.code
    took = time.perf_counter() - t0
    c0 = cpu_seconds(server_pid)
    time.sleep(3)
    busy = (cpu_seconds(server_pid) - c0) / 3
    print(f"runaway query: HTTP {status} after {took:.2f} s (timeout {timeout:g} s); "
          f"server CPU in the 3 s after: {100 * busy:.0f} % of one core")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=10, help="KG_QUERY_TIMEOUT of the served endpoint")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    store_dir = tmp / "store"
    dump = tmp / "dump.nq"
    source = ox.Store(args.store)
    with open(dump, "wb") as out:
        for k in range(args.scale):  # copy k: every IRI under the base moved under base + "c<k>/"
            quads = source.quads_for_pattern(None, None, None, None)
            if k:
                quads = (ox.Quad(*(_moved(t, k) for t in (q.subject, q.predicate, q.object, q.graph_name)))
                         for q in quads)
            ox.serialize(quads, out, ox.RdfFormat.N_QUADS)
    del source
    served = ox.Store(str(store_dir))
    served.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    served.backup(str(tmp / "snapshot"))  # the same files, queried in-process like a worker does
    del served
    port = free_port()
    env = dict(os.environ, KG_STORE=str(store_dir), KG_QUERY_WORKERS="2", KG_QUERY_TIMEOUT=str(args.timeout))
    t0 = time.perf_counter()
    kg = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", str(port)], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(f"http://127.0.0.1:{port}/health")
        get(f"http://127.0.0.1:{port}/sparql", "ASK {}")  # a worker answered: really serving
        print(f"startup: {time.perf_counter() - t0:.2f} s to the first answered query")
        url = f"http://127.0.0.1:{port}/sparql"
        local = ox.Store.read_only(str(tmp / "snapshot"))
        print(f"store: {len(local):,} quads")
        print(f"{'query':34} {'in-process ms':>14} {'HTTP ms':>9} {'ratio':>6}")
        for path in sorted((ROOT / "queries").glob("*.rq")):
            q = path.read_text()

            def inproc(q: str = q) -> None:
                out = io.BytesIO()
                local.query(q, use_default_graph_as_union=True, prefixes=PREFIXES).serialize(
                    out, ox.QueryResultsFormat.JSON)

            get(url, q)
            inproc()
            a, b = paired_medians(inproc, lambda q=q: get(url, q), args.repeat)
            print(f"{path.stem:34} {1000 * a:14.2f} {1000 * b:9.2f} {b / a:6.2f}")
        runaway(url, kg.pid, args.timeout)
        res = load(url, [POINT], args.requests, args.clients, args.seconds)
        print(f"kg serve, point lookup, {args.clients} clients: {res['requests']} requests, {res['errors']} errors, "
              f"{res['rps']:.0f} req/s, p50 {res['p50_ms']:.1f} ms, p99 {res['p99_ms']:.1f} ms")
    finally:
        kg.terminate()
        kg.wait(10)
    oxi = shutil.which("oxigraph")
    if not oxi:
        print("oxigraph serve: not installed (pip install oxigraph)")
        return
    oxdir = tmp / "oxigraph"
    subprocess.run([oxi, "load", "--location", str(oxdir), "--file", str(dump)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    oport = free_port()
    srv = subprocess.Popen([oxi, "serve", "--location", str(oxdir), "--bind", f"127.0.0.1:{oport}",
                            "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ourl = f"http://127.0.0.1:{oport}/query"
        wait_ready(ourl + "?query=ASK%7B%7D")
        res = load(ourl, [POINT], args.requests, args.clients, args.seconds)
        print(f"oxigraph serve, point lookup, {args.clients} clients: {res['requests']} requests, {res['errors']} "
              f"errors, {res['rps']:.0f} req/s, p50 {res['p50_ms']:.1f} ms, p99 {res['p99_ms']:.1f} ms")
    finally:
        srv.terminate()
        srv.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
