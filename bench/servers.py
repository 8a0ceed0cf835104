"""kg serve, `oxigraph serve` and OpenLink Virtuoso on the same data, side by side, in one run.

    apt-get install wrk virtuoso-opensource; pip install oxigraph     # the tools compared against
    python bench/servers.py STORE_DIR [--seconds 15] [--repeat 9]

STORE_DIR is an ingested store (say the 417 BBC politics articles); its quads are exported once
and loaded into a fresh kg store (served by `kg serve` with its settings from the environment:
KG_MEMORY_QUADS=0 measures it on disk), `oxigraph serve`
(union default graph) and Virtuoso (bulk loader; its default graph is every graph), all on
127.0.0.1, and into an in-memory pyoxigraph Store in this process. Then, for each server:
1. point lookup `SELECT ?n { <iri> schema:name ?n }` (the most mentioned person) under wrk, 2
   threads and 8 connections for --seconds: requests/s and p99;
2. the same lookup one request at a time on one kept-alive connection: median ms;
3. every shipped query, median of --repeat over HTTP (SPARQL JSON), each followed by the same query
   on the in-memory store (serialised to JSON), so that both see the same moment of a noisy machine;
   the geometric mean of HTTP over in-memory for the queries that take over 1 ms in memory. The
   in-memory column shows the median of those baselines over the three servers. No validator is
   ever sent, so no answer comes from HTTP caching.
"""
from __future__ import annotations

import argparse
import http.client
import io
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.rdf.queries import examples  # noqa: E402
from kg.rdf.vocab import PREFIXES, SPARQL_PROLOGUE  # noqa: E402
from tests.helpers import free_port, oxigraph_server, virtuoso_server, wait_for  # noqa: E402

JSON = "application/sparql-results+json"


def most_mentioned(store: ox.Store) -> str:
    row = next(iter(store.query(SPARQL_PROLOGUE + """SELECT ?e (COUNT(?a) AS ?n) WHERE {
        GRAPH ?a { ?a schema:mentions ?e } ?e a kg:Person } GROUP BY ?e ORDER BY DESC(?n) LIMIT 1""",
                                use_default_graph_as_union=True)))
    return row["e"].value


def wrk(url: str, seconds: float) -> tuple[float, float]:
    """(requests/s, p99 ms) of wrk with 2 threads and 8 connections."""
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds:g}s", "--latency", "-H", f"Accept: {JSON}", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"  wrk: {errors.group(1)} answers were errors", file=sys.stderr)
    return rps, p99


def one_at_a_time(url: str, n: int = 400) -> float:
    """Median ms of n sequential GETs on one kept-alive connection."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    path = parts.path + "?" + parts.query
    times = []
    for _ in range(n):
        t = time.perf_counter()
        conn.request("GET", path, headers={"Accept": JSON})
        r = conn.getresponse()
        r.read()
        times.append(time.perf_counter() - t)
        assert r.status == 200, r.status
    conn.close()
    return 1000 * statistics.median(times[n // 10:])


def over_http(endpoint: str, query: str, repeat: int) -> float | None:
    """Median seconds of a POSTed query (None when the server refuses it)."""
    parts = urllib.parse.urlsplit(endpoint)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
    body = urllib.parse.urlencode({"query": query})
    times = []
    for _ in range(repeat + 1):
        t = time.perf_counter()
        conn.request("POST", parts.path, body=body, headers={
            "Accept": JSON, "Content-Type": "application/x-www-form-urlencoded"})
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            return None
        times.append(time.perf_counter() - t)
    conn.close()
    return statistics.median(times[1:])


def in_memory(store: ox.Store, query: str, repeat: int) -> float:
    times = []
    for _ in range(repeat + 1):
        t = time.perf_counter()
        out = io.BytesIO()
        store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES).serialize(out, ox.QueryResultsFormat.JSON)
        times.append(time.perf_counter() - t)
    return statistics.median(times[1:])


def kg_server(directory: Path, dump: Path):
    store = ox.Store(str(directory))
    store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    del store
    port = free_port()
    env = dict(os.environ, KG_STORE=str(directory), KG_QUERY_TIMEOUT="60")
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/sparql?query=ASK%7B%7D", 120)
    return proc, base + "/sparql"


def virtuoso_loaded(directory: Path, dump: Path):
    proc, base = virtuoso_server(directory)
    shutil.copy(dump, directory / "dump.nq")
    ini = (directory / "virtuoso.ini").read_text()
    sql = re.search(r"(?m)^ServerPort\s*=\s*127\.0\.0\.1:(\d+)", ini).group(1)
    script = f"ld_dir('{directory}', 'dump.nq', 'urn:kg:default');\nrdf_loader_run();\ncheckpoint;\n"
    subprocess.run(["isql-vt", sql, "dba", "dba"], input=script, text=True, check=True, capture_output=True)
    return proc, base + "/sparql"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store")
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--repeat", type=int, default=9)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kg-servers-"))
    dump = tmp / "dump.nq"
    source = ox.Store.read_only(args.store)
    with open(dump, "wb") as out:
        ox.serialize(source.quads_for_pattern(None, None, None, None), out, ox.RdfFormat.N_QUADS)
    person = most_mentioned(source)
    del source
    memory = ox.Store()
    memory.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    print(f"{len(memory):,} quads; point lookup of <{person}>")
    point = f"SELECT ?n WHERE {{ <{person}> <https://schema.org/name> ?n }}"
    queries = {name: q.text for name, q in examples().items()}
    starters = {"kg serve": lambda: kg_server(tmp / "kg", dump),
                "oxigraph serve": lambda: oxigraph_server(tmp / "oxigraph", load=str(dump)),
                "Virtuoso": lambda: virtuoso_loaded(tmp / "virtuoso", dump)}
    rows: dict[str, dict] = {}
    for name, start in starters.items():
        proc, endpoint = start()
        if name == "oxigraph serve":
            endpoint += "/query"
        try:
            url = endpoint + "?" + urllib.parse.urlencode({"query": point})
            one_at_a_time(url)  # warm up (kg serve's workers copy the store into memory meanwhile)
            time.sleep(3)
            rps, p99 = wrk(url, args.seconds)
            single = one_at_a_time(url)
            times, baseline = {}, {}
            for q, text in queries.items():
                times[q] = over_http(endpoint, text, args.repeat)
                baseline[q] = in_memory(memory, text, args.repeat)
            rows[name] = {"rps": rps, "p99": p99, "single": single, "times": times, "memory": baseline}
            print(f"{name}: {rps:,.0f} req/s, p99 {p99:.1f} ms, one at a time {single:.2f} ms", flush=True)
        finally:
            proc.terminate()
            proc.wait(30)
    print()
    print(f"{'':22} {'point lookup, 8 connections':>30} {'one at a time':>14} {'queries / in-memory':>20}")
    for name, r in rows.items():
        ratios = [r["times"][q] / r["memory"][q] for q in queries if r["times"][q] and r["memory"][q] > 0.001]
        gmean = math.exp(statistics.fmean(math.log(x) for x in ratios)) if ratios else float("nan")
        refused = sum(1 for q in queries if r["times"][q] is None)
        print(f"{name:22} {r['rps']:>14,.0f} req/s, p99 {r['p99']:5.1f} ms {r['single']:>11.2f} ms "
              f"{gmean:>13.2f} ({len(ratios)} q{', ' + str(refused) + ' refused' if refused else ''})")
    print()
    print(f"{'query':36} {'in-memory ms':>12} " + " ".join(f"{n:>16}" for n in rows))
    for q in queries:
        memory_ms = 1000 * statistics.median(r["memory"][q] for r in rows.values())
        cells = " ".join(f"{1000 * r['times'][q]:>13.1f} ms" if r["times"][q] else f"{'refused':>16}"
                         for r in rows.values())
        print(f"{q:36} {memory_ms:>12.2f} {cells}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
