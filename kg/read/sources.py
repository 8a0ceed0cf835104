"""Inputs -> raw records: files, directories, JSON Lines and stdin, each problem a per-item error."""
from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

SUFFIXES = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl",
            ".ndjson": "jsonl"}


@dataclass(frozen=True)
class Record:
    """One article before cleaning: its text or HTML and whatever metadata came with it."""
    id: str
    kind: str  # "text" or "html"
    body: str
    source: str
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class InputError:
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def read_inputs(paths: Iterable[str], *, max_bytes: int) -> Iterator[Record | InputError]:
    """Every article in `paths` ('-' is stdin, a directory is read recursively), in a stable order."""
    for p in paths:
        if p == "-":
            yield from read_bytes(sys.stdin.buffer.read(max_bytes + 1), "<stdin>", max_bytes)
            continue
        path = Path(p)
        if path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
            if not files:
                yield InputError(p, "directory holds no .txt, .html or .jsonl files")
            for f in files:
                yield from read_file(f, max_bytes=max_bytes)
        elif path.is_file():
            yield from read_file(path, max_bytes=max_bytes)
        else:
            yield InputError(p, "no such file or directory")


def count_inputs(paths: Iterable[str]) -> int | None:
    """How many records read_inputs will give (a file is one, a JSON Lines file one per non-blank
    line), for a progress bar; None when stdin is among the paths. Reads no article."""
    n = 0
    for p in paths:
        if p == "-":
            return None
        path = Path(p)
        files = sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES) \
            if path.is_dir() else [path]
        for f in files:
            if SUFFIXES.get(f.suffix.lower()) == "jsonl":
                try:
                    with f.open("rb") as fh:
                        n += sum(1 for line in fh if line.strip())
                except OSError:
                    n += 1
            else:
                n += 1
    return n


def read_file(path: Path, *, max_bytes: int) -> Iterator[Record | InputError]:
    kind = SUFFIXES.get(path.suffix.lower(), "text")
    try:
        size = path.stat().st_size
        if size > max_bytes and kind != "jsonl":
            yield InputError(str(path), f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (KG_MAX_BYTES)")
            return
        if kind == "jsonl":
            with path.open("rb") as fh:
                yield from _read_jsonl(fh, str(path), max_bytes)
            return
        data = path.read_bytes()
    except OSError as e:
        yield InputError(str(path), f"cannot read: {e.strerror or e}")
        return
    text = decode(data)
    if isinstance(text, InputError):
        yield InputError(str(path), text.reason)
        return
    yield Record(id=path.stem, kind=kind, body=text, source=str(path))


def read_bytes(data: bytes, source: str, max_bytes: int, *, id: str | None = None) -> Iterator[Record | InputError]:
    """Articles in one byte string: JSON Lines when it starts with '{', else one text or HTML article
    (its id `id`, else one derived from the bytes)."""
    if len(data) > max_bytes:
        yield InputError(source, f"input over the {max_bytes:,}-byte limit (KG_MAX_BYTES)")
        return
    if data.lstrip()[:1] == b"{":
        yield from _read_jsonl(iter(data.splitlines(keepends=True)), source, max_bytes)
        return
    text = decode(data)
    if isinstance(text, InputError):
        yield InputError(source, text.reason)
        return
    kind = "html" if text.lstrip()[:1] == "<" else "text"
    yield Record(id=id or "stdin-" + _digest(data), kind=kind, body=text, source=source)


def _read_jsonl(lines: Iterable[bytes], source: str, max_bytes: int) -> Iterator[Record | InputError]:
    for n, raw in enumerate(lines, 1):
        where = f"{source}:{n}"
        if not raw.strip():
            continue
        if len(raw) > max_bytes:
            yield InputError(where, f"line is {len(raw):,} bytes, over the {max_bytes:,}-byte limit")
            continue
        try:
            obj = json.loads(raw.decode("utf-8", errors="replace"))
        except ValueError as e:
            yield InputError(where, f"malformed JSON: {e}")
            continue
        if not isinstance(obj, dict):
            yield InputError(where, "a JSON Lines record must be an object")
            continue
        body, kind = obj.get("text"), "text"
        if not isinstance(body, str) or not body.strip():
            body, kind = obj.get("html"), "html"
        if not isinstance(body, str) or not body.strip():
            yield InputError(where, "record has neither 'text' nor 'html'")
            continue
        rid = obj.get("id")
        rid = str(rid) if isinstance(rid, (str, int)) and str(rid).strip() else f"{Path(source).stem}-{n}"
        meta = {k: str(obj[k]) for k in ("title", "published", "publisher", "url")
                if isinstance(obj.get(k), (str, int)) and str(obj[k]).strip()}
        yield Record(id=rid, kind=kind, body=body, source=where, meta=meta)


def decode(data: bytes) -> str | InputError:
    """Text from bytes: UTF-8 (with BOM), UTF-16 by BOM, else UTF-8 with replacement; binary is refused."""
    if not data.strip():
        return InputError("", "empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    sample = data[:8192]
    if b"\x00" in sample:
        return InputError("", "binary file (NUL bytes), not text")
    text = data.decode("utf-8-sig", errors="replace")
    bad = text[:8192].count("\ufffd")
    if bad > 0.3 * max(len(text[:8192]), 1):
        return InputError("", "binary file (not decodable as text)")
    if bad:
        text = data.decode("cp1252", errors="replace") if _mostly_cp1252(data) else text
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > 0.05 * max(len(text[:8192]), 1):
        return InputError("", "binary file (control characters), not text")
    return text


def _mostly_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]
