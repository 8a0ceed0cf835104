"""Collect the annotators' gold files into the repository, without article text.

    python training/collect.py --work /work/annot [--shared ../shared]

Reads WORK/<batch>/gold/<id>.json for every article of training/articles.tsv and writes
training/corpus/<source>/<id>.json (the first annotation) and <id>.b.json (the second, for the
articles annotated twice). What is the article's own text is stored as offsets into it: a
statement's words become "text_span" [start, end] (the scorer's gold "text" is read back from the
corpus), the title and the annotators' notes are left out. Entity names, roles and places stay
as names (facts, not text).
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kg.learn.corpus import texts as load  # noqa: E402

HERE = Path(__file__).resolve().parent
QUOTE_CHARS = "\"“”„«»"
_WORD = re.compile(r"\w+")


def _norm_map(text: str) -> tuple[str, list[int]]:
    """The text with quote marks dropped, apostrophes straightened and whitespace squashed, and
    for each of its characters the offset in `text` it came from."""
    out, where = [], []
    space = False
    for i, ch in enumerate(text):
        if ch in QUOTE_CHARS:
            continue
        ch = "'" if ch in "‘’" else ch
        if ch.isspace():
            if not space and out:
                out.append(" ")
                where.append(i)
            space = True
            continue
        space = False
        out.append(ch)
        where.append(i)
    return "".join(out), where


def locate(quote: str, text: str, near: int | None = None) -> tuple[int, int] | None:
    """Where the statement's words are in the text: exactly (up to quote marks and spacing; the
    parts of a split quote joined by '...' from the first part's start to the last one's end), or
    the window of the text with the most of its words around its evidence; None below 60 %."""
    body, where = _norm_map(text)
    parts = [p for p in (_norm_map(x)[0].strip(" ,.") for x in re.split(r"\.\.\.|…", quote)) if p]
    if not parts:
        return None
    spans = []
    start_at = 0
    for p in parts:
        candidates = [m.start() for m in re.finditer(re.escape(p), body)]
        after = [c for c in candidates if c >= start_at]
        if not after:
            spans = []
            break
        k = min(after, key=lambda c: abs(where[c] - near)) if near is not None and len(spans) == 0 else after[0]
        spans.append((k, k + len(p)))
        start_at = k + len(p)
    if spans:
        return where[spans[0][0]], where[spans[-1][1] - 1] + 1
    return _fuzzy(quote, text, near)


def _fuzzy(quote: str, text: str, near: int | None) -> tuple[int, int] | None:
    want = [w.lower() for w in _WORD.findall(quote)]
    if len(want) < 3:
        return None
    toks = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]
    n = len(want)
    best, best_score = None, 0.0
    wanted = set(want)
    for i in range(len(toks)):
        window = toks[i:i + n]
        if not window or window[0][2] not in wanted:
            continue
        score = len(wanted & {w for _, _, w in window}) / len(wanted)
        if near is not None:
            score -= 1e-6 * abs(window[0][0] - near)
        if score > best_score:
            best, best_score = (window[0][0], window[-1][1]), score
    return best if best_score >= 0.6 else None


def strip(gold: dict, text: str) -> dict:
    out = {k: gold.get(k) for k in ("id", "published", "publisher")}
    out["entities"] = [{k: v for k, v in e.items() if k != "note"} for e in gold.get("entities", [])]
    out["meetings"] = [{k: v for k, v in m.items() if k != "note"} for m in gold.get("meetings", [])]
    statements = []
    for s in gold.get("statements", []):
        st = {k: v for k, v in s.items() if k not in ("note", "text")}
        ev = s.get("evidence")
        st["text_span"] = locate(s.get("text") or "", text, ev[0] if isinstance(ev, list) else None)
        statements.append(st)
    out["statements"] = statements
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    args = ap.parse_args()
    arts = load(args.shared)
    rows = list(csv.DictReader((HERE / "articles.tsv").open(), delimiter="\t"))
    done = missing = unlocated = total = 0
    for r in rows:
        for batch, suffix in ((r["batch"], ""), (r["batch2"], ".b")):
            if not batch:
                continue
            src = args.work / batch / "gold" / f"{r['id']}.json"
            if not src.exists() or not (args.work / batch / "notes.md").exists():  # a batch still in work
                missing += 1
                continue
            gold = strip(json.loads(src.read_text(encoding="utf-8")), arts[r["id"]]["text"])
            gold["annotator"] = batch
            total += len(gold["statements"])
            unlocated += sum(s["text_span"] is None for s in gold["statements"])
            dest = HERE / "corpus" / r["source"] / f"{r['id']}{suffix}.json"
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(json.dumps(gold, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            done += 1
    print(f"{done} annotations collected, {missing} not yet there; {unlocated} of {total} statements' words "
          "not found in their text")


if __name__ == "__main__":
    main()
