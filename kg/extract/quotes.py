"""Quoted words in article text: spans of “…”, "…" and ''…'' (pure text, no NLP)."""
from __future__ import annotations

import re

QUOTE_MARK = re.compile(r"''|``|[“”\"]")
WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Spans of quoted words (without the marks): “…”, "…", and ''…'' or ``…'' as some wires
    write them. A quote left open at the end of a paragraph runs to the paragraph's end: news
    opens each paragraph of a long quote and closes only the last."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n\n"):
        open_at: int | None = None
        for m in QUOTE_MARK.finditer(para):
            mark, at = m.group(), pos + m.start()
            before = para[m.start() - 1] if m.start() else " "
            if open_at is None:
                if mark in ("“", "``") or (mark in ('"', "''") and not before.isalnum()) or \
                        (mark == "”" and before.isspace()):
                    open_at = at + len(mark)
            elif mark == '"' and before.isspace() and para[m.end():m.end() + 1].isalnum():
                spans.append((open_at, at))  # '... expected. "He says ...': a new quote opens, the
                open_at = at + len(mark)     # last one never closed (some outlets write them so)
            elif mark in ("”", '"', "''"):
                if at > open_at:
                    spans.append((open_at, at))
                open_at = None
            elif before.isspace():
                open_at = at + len(mark)  # a new quote opened: the last one never closed
        if open_at is not None and pos + len(para) - open_at > 3:
            spans.append((open_at, pos + len(para)))
        pos += len(para) + 2
    return [_trim(text, s, e) for s, e in spans if text[s:e].strip()]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \n":
        s += 1
    while e > s and text[e - 1] in " ,.\n;:":
        e -= 1
    return s, e


def words(s: str) -> int:
    return len(WORD.findall(s))


def paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for para in text.split("\n\n"):
        out.append((pos, pos + len(para)))
        pos += len(para) + 2
    return out
