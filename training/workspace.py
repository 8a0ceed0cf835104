"""Lay out annotation batches outside the repository: WORK/<batch>/texts.jsonl for each batch.

    python training/workspace.py --shared ../shared --work /work/annot
"""
from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import sys

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kg.learn.corpus import texts as load  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--work", type=Path, required=True)
    args = ap.parse_args()
    arts = load(args.shared)
    rows = list(csv.DictReader((Path(__file__).with_name("articles.tsv")).open(), delimiter="\t"))
    by_batch: dict[str, list[str]] = {}
    for r in rows:
        for b in (r["batch"], r["batch2"]):
            if b:
                by_batch.setdefault(b, []).append(r["id"])
    for batch, ids in by_batch.items():
        folder = args.work / batch
        (folder / "gold").mkdir(parents=True, exist_ok=True)
        with (folder / "texts.jsonl").open("w", encoding="utf-8") as f:
            for i in ids:
                a = arts[i]
                f.write(json.dumps({k: a[k] for k in ("id", "title", "text", "published", "publisher", "url")},
                                   ensure_ascii=False) + "\n")
    print(f"{len(by_batch)} batches under {args.work}")


if __name__ == "__main__":
    main()
