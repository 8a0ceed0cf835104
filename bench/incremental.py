"""What adding to a grown store costs (issue 31): one article, a batch of 50, a changed article.

    python bench/incremental.py ../shared/corpus/diplomacy/articles.jsonl ../shared/corpus/bbc/articles \
        --steps 250 500 1000 2000 4000 --out docs/incremental.json --svg docs/incremental.svg

The corpora are read in order; the last 50 articles and the first three after the largest step are
kept out of the store. The store grows to each step in one batch; at each step (and at 0, the empty
store, the baseline of the same run) a copy of the store takes, each timed alone in this process with
the model loaded once: (a) one new article, three times with three articles (median); (b) the 50 kept
articles in one batch; (c) an article of the store again with one sentence changed. Prints each
timing and its ratio to the empty store's, fits the slope (seconds per 1,000 stored articles), and
writes the figures as JSON and a line chart as SVG.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.config import Config  # noqa: E402
from kg.extract.nlp import load  # noqa: E402
from kg.ingest import ingest_records  # noqa: E402
from kg.read.sources import Record, read_inputs  # noqa: E402
from kg.stores import EmbeddedStore  # noqa: E402

BATCH = 50
SINGLES = 3


def timed(records: list[Record], store_dir: Path, config: Config, nlp) -> float:
    """Seconds to ingest the records into a copy of the store (the copy is then removed)."""
    with tempfile.TemporaryDirectory(prefix="kg-incr-", dir=store_dir.parent) as tmp:
        copy = Path(tmp) / "store"
        if store_dir.exists():
            shutil.copytree(store_dir, copy)
        store = EmbeddedStore(copy, config.base_iri)
        t0 = time.perf_counter()
        summary = ingest_records(records, config, nlp=nlp, store=store)
        seconds = time.perf_counter() - t0
        if summary.failed or summary.articles != len(records):
            sys.exit(f"timed ingest failed: {summary.line()} {summary.errors[:3]}")
        del store
        return seconds


def changed(record: Record) -> Record:
    return replace(record, body=record.body + "\n\nThe statement was repeated on Friday, officials said.")


def measure(size: int, store_dir: Path, config: Config, nlp, singles: list[Record], batch: list[Record],
            stored: list[Record]) -> dict:
    one = statistics.median(timed([r], store_dir, config, nlp) for r in singles)
    fifty = timed(batch, store_dir, config, nlp)
    again = timed([changed(stored[0])], store_dir, config, nlp) if stored else timed([singles[0]], store_dir, config, nlp)
    row = {"articles": size, "one": round(one, 2), "batch50": round(fifty, 2), "changed": round(again, 2)}
    print(f"{size:6d} stored: one article {one:6.2f} s   batch of {BATCH} {fifty:6.2f} s   changed article {again:6.2f} s",
          flush=True)
    return row


def slope(rows: list[dict], key: str) -> float:
    """Least-squares seconds per 1,000 stored articles."""
    xs, ys = [r["articles"] / 1000 for r in rows], [r[key] for r in rows]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else 0.0


def svg(rows: list[dict], path: Path) -> None:
    """A line chart: seconds against stored articles, one line per timing."""
    w, h, pad = 640, 360, 50
    xmax = max(r["articles"] for r in rows) or 1
    ymax = max(max(r[k] for k in ("one", "batch50", "changed")) for r in rows) * 1.1 or 1
    x = lambda v: pad + (w - 2 * pad) * v / xmax  # noqa: E731
    y = lambda v: h - pad - (h - 2 * pad) * v / ymax  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
             f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="black"/>',
             f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h - pad}" stroke="black"/>',
             f'<text x="{w / 2}" y="{h - 12}" text-anchor="middle">articles in the store</text>',
             f'<text x="14" y="{h / 2}" transform="rotate(-90 14 {h / 2})" text-anchor="middle">seconds</text>']
    for r in rows:
        parts.append(f'<text x="{x(r["articles"])}" y="{h - pad + 16}" text-anchor="middle">{r["articles"]}</text>')
    for i in range(5):
        v = ymax * i / 4
        parts.append(f'<text x="{pad - 6}" y="{y(v) + 4}" text-anchor="end">{v:.0f}</text>')
    for (key, label), colour in zip((("one", "one article"), ("batch50", f"batch of {BATCH}"),
                                     ("changed", "changed article")), ("#1b6ca8", "#c0392b", "#27ae60")):
        points = " ".join(f"{x(r['articles']):.1f},{y(r[key]):.1f}" for r in rows)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        n = len(parts)
        parts.append(f'<text x="{w - pad - 120}" y="{pad + 16 * (n % 3 + 1)}" fill="{colour}">{label}</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--steps", nargs="+", type=int, default=[250, 500, 1000, 2000])
    ap.add_argument("--out", type=Path)
    ap.add_argument("--svg", type=Path)
    args = ap.parse_args()
    records = [r for r in read_inputs(args.paths, max_bytes=20_000_000) if isinstance(r, Record)]
    steps = sorted(args.steps)
    if len(records) < steps[-1] + SINGLES + BATCH:
        sys.exit(f"{len(records)} articles: too few for a step of {steps[-1]} and {SINGLES + BATCH} kept out")
    batch, singles = records[-BATCH:], records[steps[-1]:steps[-1] + SINGLES]
    work = Path(tempfile.mkdtemp(prefix="kg-incremental-"))
    store_dir = work / "store"
    config = Config.load(store=str(store_dir))
    nlp = load(config.spacy_model)
    rows = [measure(0, store_dir, config, nlp, singles, batch, [])]
    size = 0
    for step in steps:
        store = EmbeddedStore(store_dir, config.base_iri)
        t0 = time.perf_counter()
        ingest_records(records[size:step], config, nlp=nlp, store=store)
        print(f"  grew the store to {step} articles in {time.perf_counter() - t0:.0f} s", flush=True)
        del store
        size = step
        rows.append(measure(size, store_dir, config, nlp, singles, batch, records[:size]))
    base = rows[0]
    for key in ("one", "batch50", "changed"):
        ratios = " ".join(f"{r[key] / base[key]:.2f}" for r in rows[1:])
        print(f"{key:8} ratio to the empty store at each step: {ratios}; slope {slope(rows, key):.2f} s per 1,000 articles")
    if args.out:
        args.out.write_text(json.dumps({"rows": rows, "slopes": {k: round(slope(rows, k), 3) for k in ("one", "batch50", "changed")}},
                                       indent=1) + "\n")
    if args.svg:
        svg(rows, args.svg)
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
