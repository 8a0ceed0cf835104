"""Ingest throughput against spaCy alone, on the same texts with the same model, in one run.

    python bench/ingest_throughput.py ../shared/corpus/bbc/articles [--limit N] [--workers 1] [--rounds 3]
                                      [--no-baseline]

Runs `--rounds` pairs, each nlp.pipe alone over the cleaned texts (baseline) then a full `kg ingest`
into a fresh store in a child process (process start and model load included), then one more ingest
over the same input (everything unchanged, so skipped). Each ingest is set against the baselines
either side of it (the machine is shared: a lone pair can be off by a third), in wall time and in CPU
time (user + system, which other tenants disturb less; with KG_WORKERS=1 the ingest's is both its
processes', the NLP child's and its own); the medians over the rounds are the result.
Also prints the peak RSS of the ingest and its RSS against articles read (from the child's progress
lines): memory that grows per article shows as growth over the second half.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.read.clean import to_article  # noqa: E402
from kg.config import Config  # noqa: E402
from kg.extract.nlp import load  # noqa: E402
from kg.read.sources import Record, read_inputs  # noqa: E402


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


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def baseline(nlp, docs: list[str], batch_size: int, workers: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of nlp.pipe over the texts."""
    t0, c0 = time.perf_counter(), cpu_seconds()
    for _ in nlp.pipe(docs, batch_size=batch_size, n_process=workers):
        pass
    return time.perf_counter() - t0, cpu_seconds() - c0


def rss_mib(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return int(next(ln for ln in status.splitlines() if ln.startswith("VmRSS")).split()[1]) / 1024


def ingest_child(paths: list[str], store: str, workers: int) -> tuple[float, float, str, list[tuple[int, float]]]:
    """(wall seconds, CPU seconds, summary line, [(articles done, RSS MiB) at each progress line])."""
    env = dict(os.environ, KG_STORE=store, KG_WORKERS=str(workers))
    t0, c0 = time.perf_counter(), cpu_seconds()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "ingest", *paths], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    trace, tail = [], []
    for line in proc.stderr:  # progress every 5 s: "ingest: N read, ..."
        m = re.match(r"ingest: (\d+)(?: of \d+)? read", line)
        if m:
            trace.append((int(m.group(1)), rss_mib(proc.pid)))
        else:
            tail = (tail + [line])[-20:]
    out = proc.stdout.read()
    proc.wait()
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    if proc.returncode not in (0, 1):
        sys.exit(f"ingest failed: {''.join(tail)}")
    return seconds, cpu, out.strip().splitlines()[-1], trace


def memory_report(trace: list[tuple[int, float]]) -> None:
    """RSS against articles read, and its growth over the second half of the run."""
    if len(trace) < 4:
        print("  (too short a run for a memory trace)")
        return
    picks = sorted({int(len(trace) * f) for f in (0.1, 0.25, 0.5, 0.75)} | {len(trace) - 1})
    print("  RSS by articles read: " + ", ".join(f"{trace[i][0]}: {trace[i][1]:.0f} MiB" for i in picks))
    (n1, r1), (n2, r2) = trace[len(trace) // 2], trace[-1]
    print(f"  growth over the second half: {r2 - r1:+.0f} MiB over {n2 - n1} articles "
          f"({1000 * (r2 - r1) / max(n2 - n1, 1):+.1f} MiB per 1,000 articles)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--limit", type=int, help="only the first N articles (baseline only; ingest reads all paths)")
    ap.add_argument("--workers", type=int, default=1,
                    help="KG_WORKERS of the ingest (0: the NLP in the ingesting process); the baseline runs "
                         "nlp.pipe with n_process 1 for 0 and 1")
    ap.add_argument("--rounds", type=int, default=3, help="baseline + ingest pairs (default 3)")
    ap.add_argument("--no-baseline", action="store_true", help="only the ingests (long runs)")
    args = ap.parse_args()
    config = Config.load()
    docs = texts(args.paths, args.limit)
    nlp = None if args.no_baseline else load(config.spacy_model)
    print(f"{len(docs)} articles; workers {args.workers}")
    if nlp:
        print(f"model {nlp.meta.get('name')} {nlp.meta.get('version')}")
    bases: list[tuple[float, float]] = []
    ingests: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            if nlp:
                bases.append(baseline(nlp, docs, config.batch_size, max(1, args.workers)))
                print(f"round {r + 1}: nlp.pipe alone {len(docs) / bases[-1][0]:6.1f} articles/s "
                      f"({bases[-1][0]:.1f} s wall, {bases[-1][1]:.1f} s CPU)")
            store = str(Path(tmp) / f"store{r}")
            seconds, cpu, summary, trace = ingest_child(args.paths, store, args.workers)
            ingests.append((seconds, cpu))
            print(f"round {r + 1}: kg ingest     {len(docs) / seconds:6.1f} articles/s ({seconds:.1f} s wall, "
                  f"{cpu:.1f} s CPU, process start included)")
            if r == 0:
                rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
                print(f"  {summary}")
                print(f"  peak RSS of the ingest process: {rss_mb:.0f} MiB; at the last progress line: "
                      f"{trace[-1][1] if trace else 0:.0f} MiB")
                memory_report(trace)
        if nlp:
            bases.append(baseline(nlp, docs, config.batch_size, max(1, args.workers)))
            print(f"last:    nlp.pipe alone {len(docs) / bases[-1][0]:6.1f} articles/s "
                  f"({bases[-1][0]:.1f} s wall, {bases[-1][1]:.1f} s CPU)")
        again, _cpu, summary2, _ = ingest_child(args.paths, store, args.workers)
        print(f"kg ingest (unchanged): {again:.1f} s wall, {again / ingests[-1][0]:.3f} of the last full run")
        print(f"  {summary2}")
    if nlp:
        for what, k in (("wall", 0), ("CPU", 1)):
            ratios = [ing[k] / statistics.mean([bases[i][k], bases[i + 1][k]]) for i, ing in enumerate(ingests)]
            print(f"ingest time / nlp.pipe time, {what}: median {statistics.median(ratios):.2f} "
                  f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)})")


if __name__ == "__main__":
    main()
