"""Article texts of the training corpus, read from ../shared (never copied into the repository).

`load(shared)` gives {id: {id, title, text, published, publisher, url, source}} for every article the
corpus draws from; the text is exactly as the corpus gives it, so annotation offsets point into it.
"""
from __future__ import annotations

import json
from pathlib import Path


def _jsonl(path: Path, source: str) -> dict[str, dict]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        art = json.loads(line)
        out[art["id"]] = {**art, "source": source}
    return out


def _bbc(folder: Path) -> dict[str, dict]:
    out = {}
    for p in sorted(folder.glob("bbc_*.txt")):
        text = p.read_text(encoding="utf-8", errors="replace")
        out[p.stem] = {"id": p.stem, "title": text.split("\n", 1)[0].strip(), "text": text,
                       "published": "", "publisher": "BBC News", "url": "", "source": "bbc"}
    return out


def load(shared: Path) -> dict[str, dict]:
    arts = _jsonl(shared / "corpus/diplomacy/articles.jsonl", "diplomacy")
    arts |= _jsonl(shared / "eval/dev-2025/text/articles.jsonl", "dev2025")
    arts |= _bbc(shared / "corpus/bbc/articles")
    return arts
