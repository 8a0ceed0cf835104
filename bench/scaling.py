"""Ingest scaling: one process, spaCy's own processes (--workers 2), and a two-worker Dask cluster.

    python bench/scaling.py ../shared/corpus/bbc/articles ../shared/corpus/diplomacy/articles.jsonl

Each run is a full `kg ingest` (model load and process start included) into a fresh store, in a
child process, one after the other on the same machine; prints articles/s, the speed-up over the
single process, and checks that the three stores hold the same quads.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

RUNS = [("one process", []), ("--workers 2", ["--workers", "2"]), ("--cluster local:2", ["--cluster", "local:2"])]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kg-scaling-"))
    rates, dumps = [], []
    for name, extra in RUNS:
        store = tmp / name.replace(" ", "-").strip("-")
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "kg.cli", "ingest", *extra, *args.paths],
                              env=dict(os.environ, KG_STORE=str(store)), capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - t0
        if proc.returncode not in (0, 1):
            sys.exit(f"{name}: ingest failed: {proc.stderr[-2000:]}")
        summary = proc.stdout.strip().splitlines()[-1]
        articles = int(summary.split()[0])
        rates.append(articles / seconds)
        dumps.append(sorted(str(q) for q in ox.Store.read_only(str(store))))
        print(f"{name:20} {seconds:7.1f} s  {rates[-1]:6.2f} articles/s  x{rates[-1] / rates[0]:.2f}  | {summary}",
              flush=True)
    print("the three stores hold the same quads:", dumps[0] == dumps[1] == dumps[2])


if __name__ == "__main__":
    main()
