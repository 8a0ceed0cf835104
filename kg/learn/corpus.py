"""The annotated training corpus: annotations from training/corpus, texts from ../shared.

No article text is in the repository: an annotation keeps offsets into its corpus text
(`text_span`, `evidence`), and the texts are read from the shared corpora when training. Each
article is cleaned the way `kg ingest` cleans it, and the offsets are moved onto the clean text.
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from kg.learn.gold import norm
from kg.model import Article
from kg.read.clean import to_article
from kg.read.sources import Record

TRAINING = Path(__file__).resolve().parents[2] / "training"


def texts(shared: Path) -> dict[str, dict]:
    """{id: {id, title, text, published, publisher, url, source}} for every article the corpus draws from,
    the text exactly as the corpus gives it."""
    out: dict[str, dict] = {}
    for path, source in ((shared / "corpus/diplomacy/articles.jsonl", "diplomacy"),
                         (shared / "eval/dev-2025/text/articles.jsonl", "dev2025")):
        for line in path.read_text(encoding="utf-8").splitlines():
            art = json.loads(line)
            out[art["id"]] = {**art, "source": source}
    for p in sorted((shared / "corpus/bbc/articles").glob("bbc_*.txt")):
        text = p.read_text(encoding="utf-8", errors="replace")
        out[p.stem] = {"id": p.stem, "title": text.split("\n", 1)[0].strip(), "text": text, "published": "",
                       "publisher": "", "url": "", "source": "bbc"}
    return out


@dataclass(frozen=True)
class Annotated:
    """One annotated article: the article as ingest cleans it, and its gold in the scorer's format,
    with every evidence span and statement text moved onto the clean text (None where it is gone)."""
    id: str
    source: str
    part: str  # "train" or "heldout"
    annotator: str
    article: Article
    gold: dict
    record: Record  # what `kg ingest` reads for it


def rows(root: Path = TRAINING) -> list[dict]:
    with (root / "articles.tsv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def load(shared: Path, root: Path = TRAINING, *, parts: tuple[str, ...] = ("train", "heldout"),
         second: bool = False) -> list[Annotated]:
    """The corpus articles of these parts that are annotated (the second annotation with `second`)."""
    raw = texts(shared)
    out = []
    for r in rows(root):
        path = root / "corpus" / r["source"] / (r["id"] + (".b.json" if second else ".json"))
        if r["part"] not in parts or not path.exists():
            continue
        ann = json.loads(path.read_text(encoding="utf-8"))
        art = raw[r["id"]]
        record = to_record(art)
        article = to_article(record)
        out.append(Annotated(r["id"], r["source"], r["part"], ann.get("annotator", ""), article,
                             to_clean(ann, art["text"], article.text), record))
    return out


def to_record(art: dict) -> Record:
    """The record `kg ingest` reads for a corpus article (a BBC file, a JSON Lines object)."""
    if art["source"] == "bbc":
        return Record(id=art["id"], kind="text", body=art["text"], source=art["id"] + ".txt")
    meta = {k: str(art[k]) for k in ("title", "published", "publisher", "url") if art.get(k)}
    return Record(id=art["id"], kind="text", body=art["text"], source="corpus", meta=meta)


def to_clean(ann: dict, raw: str, text: str) -> dict:
    """The annotation in the scorer's gold format over the clean text: statements get their words back
    ("text"), evidence spans point into the clean text."""
    gold = {k: ann.get(k) for k in ("id", "published", "publisher")}
    gold["entities"] = [{**e, "aliases": [a for a in e.get("aliases") or [] if norm(a)]}
                        for e in ann.get("entities") or [] if norm(e.get("name") or "")]
    gold["meetings"] = [{**m, "evidence": moved(m.get("evidence"), raw, text)} for m in ann.get("meetings", [])]
    statements = []
    for s in ann.get("statements", []):
        span = s.get("text_span")
        words = raw[span[0]:span[1]] if span else ""
        statements.append({**s, "text": " ".join(words.split()), "text_span": moved(span, raw, text),
                           "evidence": moved(s.get("evidence"), raw, text)})
    gold["statements"] = statements
    for e in gold["entities"] or []:
        for role in e.get("roles", []) or []:
            role["evidence"] = moved(role.get("evidence"), raw, text)
    return gold


def moved(span: list[int] | None, raw: str, text: str) -> tuple[int, int] | None:
    """Where raw[start:end] is in the clean text (the cleaner keeps lines whole or drops them, and may
    trim a credit or a wire prefix inside one): exactly, else by its first 40 characters."""
    if not span:
        return None
    piece = raw[span[0]:span[1]].strip()
    if not piece:
        return None
    near = max(0, span[0] - (len(raw) - len(text)) - 200)
    for needle in (piece, piece[:40]):
        k = text.find(needle, near)
        if k < 0:
            k = text.find(needle)
        if k >= 0:
            return k, k + len(piece) if needle is piece else _sentence_end(text, k)
    squashed = re.escape(" ".join(piece.split()[:8])).replace(r"\ ", r"\s+")
    m = re.search(squashed, text)
    return (m.start(), _sentence_end(text, m.start())) if m else None


def _sentence_end(text: str, k: int) -> int:
    m = re.compile(r"[.!?][\"”’']?(\s|$)").search(text, k)
    return m.end() if m else len(text)

