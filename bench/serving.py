"""The server under load, and while it ingests.

    python bench/serving.py STORE_DIR ARTICLES.jsonl [--requests 400] [--seconds 120] [--articles 200]

On a copy of STORE_DIR (an ingested store) served by `kg serve` on 127.0.0.1, in one run:
1. load: the shipped analyst queries in turn at 1, 8 and 32 concurrent clients, a bounded run each
   (--requests in all, stopped after --seconds): requests/s, p50/p99, errors by kind, and the RSS
   of the server with its query workers (sampled every 0.2 s) at the start and end of each run;
2. ingest while serving: the first --articles records of ARTICLES.jsonl sent with
   `kg ingest --server` while no one queries, then the next --articles while 4 clients run the
   query mix: articles/s of each half, the queries' p50/p99 and errors during the ingest, and a
   count of article graphs seen by the clients that were not whole (always 0 if writes are atomic).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.endpoint import free_port, get, load, wait_ready  # noqa: E402

TOKEN = "bench-token"
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and its children (the query workers), from /proc."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if status.parent.name == str(pid) or fields.get("PPid", "").strip() == str(pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total / 1024


class Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.samples, self.stop = pid, [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append(tree_rss_mib(self.pid))
            time.sleep(0.2)


def measured(pid: int, fn):
    s = Sampler(pid)
    s.start()
    try:
        result = fn()
    finally:
        s.stop.set()
        s.join()
    return result, s.samples


def kg_ingest(url: str, path: Path) -> tuple[float, str]:
    env = dict(os.environ, KG_UPDATE_TOKEN=TOKEN)
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "kg.cli", "ingest", "--server", url, str(path)], env=env,
                       capture_output=True, text=True, check=False)
    if p.returncode not in (0, 1):
        raise SystemExit(f"ingest failed: {p.stderr[-2000:]}")
    return time.perf_counter() - t0, p.stdout.strip().splitlines()[-1]


def watch_whole(url: str, stop: threading.Event, seen: list[dict[str, int]]) -> None:
    while not stop.is_set():
        body = json.loads(get(url, PER_GRAPH))
        seen.append({b["g"]["value"]: int(b["n"]["value"]) for b in body["results"]["bindings"]
                     if "/article/" in b["g"]["value"]})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store")
    ap.add_argument("jsonl", help="a JSON Lines file of articles not yet in the store")
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--articles", type=int, default=200)
    args = ap.parse_args()
    queries = [p.read_text() for p in sorted((ROOT / "queries").glob("*.rq"))]
    tmp = Path(tempfile.mkdtemp(prefix="kg-serving-"))
    ox.Store.read_only(args.store).backup(str(tmp / "store"))
    lines = Path(args.jsonl).read_text(encoding="utf-8").splitlines()
    halves = [tmp / "quiet.jsonl", tmp / "busy.jsonl"]
    halves[0].write_text("\n".join(lines[:args.articles]) + "\n", encoding="utf-8")
    halves[1].write_text("\n".join(lines[args.articles:2 * args.articles]) + "\n", encoding="utf-8")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, KG_STORE=str(tmp / "store"), KG_UPDATE_TOKEN=TOKEN, KG_QUERY_WORKERS="2")
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(base + "/health")
        url = base + "/sparql"
        for q in queries:
            get(url, q)  # warm: every query once
        print(f"{len(queries)} shipped queries in turn; server RSS with its query workers")
        print(f"{'clients':>7} {'requests':>8} {'req/s':>6} {'p50 ms':>7} {'p99 ms':>8} {'5xx':>4} {'4xx':>4} "
              f"{'no answer':>9} {'RSS start':>9} {'RSS peak':>8} {'RSS end':>7}")
        for clients in (1, 8, 32):
            res, rss = measured(server.pid, lambda c=clients: load(url, queries, args.requests, c, args.seconds))
            print(f"{clients:7} {res['requests']:8} {res['rps']:6.1f} {res['p50_ms']:7.1f} {res['p99_ms']:8.1f} "
                  f"{res['5xx']:4} {res['4xx']:4} {res['no answer']:9} {rss[0]:8.0f}M {max(rss):7.0f}M {rss[-1]:6.0f}M")

        quiet, rss = measured(server.pid, lambda: kg_ingest(base, halves[0]))
        print(f"ingest, no queries: {quiet[1]} | {args.articles / quiet[0]:.2f} articles/s; "
              f"RSS {rss[0]:.0f} -> {max(rss):.0f} MiB (the model loads on the first request)")
        before = load(url, queries, args.requests // 2, 4, args.seconds)
        stop, seen, during, busy = threading.Event(), [], [], {}

        def ingest_busy() -> None:
            busy["took"], busy["line"] = kg_ingest(base, halves[1])
            stop.set()

        def queries_during() -> None:  # bounded runs of 40 requests, one after another, until the ingest ends
            while not stop.is_set():
                during.append(load(url, queries, 40, 4, 60))

        def together() -> None:
            threads = [threading.Thread(target=f) for f in (ingest_busy, queries_during)]
            threads.append(threading.Thread(target=watch_whole, args=(url, stop, seen)))
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        _, rss = measured(server.pid, together)
        runs = during
        n = sum(r["requests"] for r in runs)
        errors = {k: sum(r[k] for r in runs) for k in ("5xx", "4xx", "no answer")}
        final = json.loads(get(url, PER_GRAPH))["results"]["bindings"]
        final = {b["g"]["value"]: int(b["n"]["value"]) for b in final}
        partial = sum(1 for graphs in seen for g, c in graphs.items() if c != final.get(g))
        print(f"ingest, 4 clients querying: {busy['line']} | {args.articles / busy['took']:.2f} articles/s "
              f"({args.articles / busy['took'] / (args.articles / quiet[0]):.2f} of the quiet rate); "
              f"RSS {rss[0]:.0f} -> {max(rss):.0f} -> {rss[-1]:.0f} MiB")
        print(f"queries before the ingest (4 clients): p50 {before['p50_ms']:.1f} ms, p99 {before['p99_ms']:.1f} ms")
        lat = sorted(t for r in runs for t in r["latencies"])
        print(f"queries during the ingest (4 clients): {n} requests, errors {errors}, "
              f"p50 {1000 * lat[len(lat) // 2]:.1f} ms, p99 {1000 * lat[max(0, int(len(lat) * 0.99) - 1)]:.1f} ms; "
              f"{len(seen)} per-graph snapshots read, {partial} partial article graphs seen")
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
