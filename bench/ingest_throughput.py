"""Ingest throughput against spaCy alone, on the same texts with the same model, in one run.

    python bench/ingest_throughput.py ../shared/corpus/bbc/articles [--limit N] [--workers 1]

Runs, in order: nlp.pipe alone over the cleaned texts (baseline), a full `kg ingest` into a fresh
store in a child process (its peak RSS is the child's), the baseline again, and a second ingest
over the same input (everything unchanged, so skipped). Prints articles/s for each, the ratio of
ingest to the median baseline, and the peak RSS of the ingest.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.clean import to_article  # noqa: E402
from kg.config import Config  # noqa: E402
from kg.nlp import load  # noqa: E402
from kg.sources import Record, read_inputs  # noqa: E402


def texts(paths: list[str], limit: int | None) -> list[str]:
    out = []
    for item in read_inputs(paths, max_bytes=20_000_000):
        if isinstance(item, Record):
            try:
                out.append(to_article(item).text)
            except ValueError:
                continue
        if limit and len(out) >= limit:
            break
    return out


def baseline(nlp, docs: list[str], batch_size: int, workers: int) -> float:
    t0 = time.perf_counter()
    for _ in nlp.pipe(docs, batch_size=batch_size, n_process=workers):
        pass
    return len(docs) / (time.perf_counter() - t0)


def ingest_child(paths: list[str], store: str, workers: int) -> tuple[float, str]:
    env = dict(os.environ, KG_STORE=store, KG_WORKERS=str(workers))
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "ingest", *paths], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(f"ingest failed: {proc.stderr[-2000:]}")
    return seconds, proc.stdout.strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--limit", type=int, help="only the first N articles (baseline only; ingest reads all paths)")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    config = Config.load()
    nlp = load(config.spacy_model)
    docs = texts(args.paths, args.limit)
    print(f"model {nlp.meta.get('name')} {nlp.meta.get('version')}; {len(docs)} articles; workers {args.workers}")
    b1 = baseline(nlp, docs, config.batch_size, args.workers)
    print(f"nlp.pipe alone:        {b1:6.1f} articles/s")
    with tempfile.TemporaryDirectory() as tmp:
        store = str(Path(tmp) / "store")
        seconds, summary = ingest_child(args.paths, store, args.workers)
        rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rate = len(docs) / seconds
        print(f"kg ingest (full):      {rate:6.1f} articles/s  ({seconds:.1f} s wall, process start included)")
        print(f"  {summary}")
        print(f"  peak RSS of the ingest process: {rss_mb:.0f} MiB")
        b2 = baseline(nlp, docs, config.batch_size, args.workers)
        print(f"nlp.pipe alone again:  {b2:6.1f} articles/s")
        again, summary2 = ingest_child(args.paths, store, args.workers)
        print(f"kg ingest (unchanged): {again:.1f} s wall, {again / seconds:.3f} of the first run")
        print(f"  {summary2}")
    base = statistics.median([b1, b2])
    print(f"ratio ingest / nlp.pipe (median of both baselines): {rate / base:.2f}")


if __name__ == "__main__":
    main()
