"""Draw the training corpus from ../shared/corpus and ../shared/eval/dev-2025, seeded.

Writes training/articles.tsv: id, source, part (train | heldout), annotation batch, and whether the
article is annotated twice. No article text is written: the texts stay in ../shared.
Lines 1201-1800 of diplomacy/articles.jsonl (kept for outside audits) and every dev-news article are
never drawn.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import re
from pathlib import Path

SEED = 2026
MEETING_CUE = re.compile(r"\b(met|meet|meets|meeting|summit|talks|phone call|spoke by phone|visit|visited)\b", re.I)
AUDIT_LINES = range(1200, 1800)          # 0-based indexes of lines 1201-1800
PLAN = {"dev2025": 60, "bbc_politics": 50, "bbc_business": 20, "diplomacy": 190}
HELDOUT_SHARE = 0.25
DOUBLE_SHARE = 0.10
BATCH = 10


def _diplomacy(shared: Path, exclude: set[str], rng: random.Random, n: int) -> list[str]:
    rows = (shared / "corpus/diplomacy/articles.jsonl").read_text(encoding="utf-8").splitlines()
    cued, plain, titles = [], [], set()
    for i, line in enumerate(rows):
        if i in AUDIT_LINES:
            continue
        art = json.loads(line)
        if art["id"] in exclude or art["title"] in titles or not 800 <= len(art["text"]) <= 12000:
            continue
        titles.add(art["title"])
        (cued if MEETING_CUE.search(art["text"]) else plain).append(art)
    return _spread(cued, rng, round(n * 0.7)) + _spread(plain, rng, n - round(n * 0.7))


def _spread(arts: list[dict], rng: random.Random, n: int, per_publisher: int = 8) -> list[str]:
    """n articles in random order, no publisher more than per_publisher times."""
    arts = sorted(arts, key=lambda a: a["id"])
    rng.shuffle(arts)
    count: dict[str, int] = {}
    out = []
    for art in arts:
        if count.get(art["publisher"], 0) < per_publisher and len(out) < n:
            count[art["publisher"]] = count.get(art["publisher"], 0) + 1
            out.append(art["id"])
    return out


def _bbc(shared: Path, exclude: set[str], rng: random.Random, category: str, n: int) -> list[str]:
    dups = {line.split("\t")[1] for line in (shared / "corpus/bbc/duplicates.tsv").read_text().splitlines()[1:]}
    files = sorted(p for p in (shared / "corpus/bbc/articles").glob(f"bbc_{category}_*.txt")
                   if p.name not in exclude and p.name not in dups)
    cued = [p.name for p in files if MEETING_CUE.search(p.read_text(encoding="utf-8", errors="replace"))]
    plain = [p.name for p in files if p.name not in cued]
    rng.shuffle(cued)
    rng.shuffle(plain)
    k = round(n * 0.7)
    return [f.removesuffix(".txt") for f in cued[:k] + plain[: n - k]]


def draw(shared: Path) -> list[dict]:
    rng = random.Random(SEED)
    devnews = shared / "eval/dev-news/text"
    exclude = {json.loads(line)["id"] for line in (devnews / "diplomacy.jsonl").read_text().splitlines()}
    exclude |= {p.name for p in devnews.glob("*.txt")}
    d25 = [json.loads(line)["id"] for line in
           (shared / "eval/dev-2025/text/articles.jsonl").read_text(encoding="utf-8").splitlines()]
    picked = [("dev2025", i) for i in d25]
    picked += [("bbc", i) for i in _bbc(shared, exclude, rng, "politics", PLAN["bbc_politics"])]
    picked += [("bbc", i) for i in _bbc(shared, exclude, rng, "business", PLAN["bbc_business"])]
    picked += [("diplomacy", i) for i in _diplomacy(shared, exclude, rng, PLAN["diplomacy"])]
    rows = []
    for source in ("dev2025", "bbc", "diplomacy"):
        ids = [i for s, i in picked if s == source]
        rng.shuffle(ids)
        held = set(ids[: round(len(ids) * HELDOUT_SHARE)])
        double = set(rng.sample(ids, round(len(ids) * DOUBLE_SHARE)))
        rows += [{"id": i, "source": source, "part": "heldout" if i in held else "train",
                  "double": int(i in double)} for i in sorted(ids)]
    return rows


def batches(rows: list[dict]) -> list[dict]:
    """Batches of at most BATCH articles of one source; every double article also in a second batch."""
    out = []
    for source in ("dev2025", "bbc", "diplomacy"):
        ids = [r for r in rows if r["source"] == source]
        for k in range(0, len(ids), BATCH):
            for r in ids[k:k + BATCH]:
                r["batch"] = f"{source}-{k // BATCH + 1:02d}"
    doubles = [r for r in rows if r["double"]]
    for k in range(0, len(doubles), BATCH):
        for r in doubles[k:k + BATCH]:
            r["batch2"] = f"double-{k // BATCH + 1:02d}"
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("-o", type=Path, default=Path(__file__).with_name("articles.tsv"))
    args = ap.parse_args()
    rows = batches(draw(args.shared))
    with args.o.open("w", newline="") as f:
        w = csv.DictWriter(f, ["id", "source", "part", "batch", "double", "batch2"], delimiter="\t",
                           lineterminator="\n")
        w.writeheader()
        w.writerows({**r, "batch2": r.get("batch2", "")} for r in rows)
    print(f"{len(rows)} articles, {sum(r['part'] == 'heldout' for r in rows)} held apart, "
          f"{sum(r['double'] for r in rows)} annotated twice -> {args.o}")


if __name__ == "__main__":
    main()
