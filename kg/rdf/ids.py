"""Stable identifiers: readable slugs, with a short hash when a name had to be folded."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata


def short_hash(*parts: object, length: int = 12) -> str:
    """A hash of the canonical JSON of `parts`: the same values give the same id on any machine."""
    blob = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:length]


def slug(text: str, max_len: int = 60) -> str:
    """'Vladimir Putin' -> 'vladimir-putin'; a name that loses characters gets a hash suffix."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    folded = s.replace("-", " ") != re.sub(r"\s+", " ", text.lower()).strip()
    if not s or folded or len(s) > max_len:
        return (s[:max_len].rstrip("-") + "-" if s else "") + short_hash(text, length=8)
    return s


def article_slug(article_id: str) -> str:
    """File-name-like ids stay as they are when IRI-safe; anything else is slugged."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,150}", article_id):
        return article_id
    return slug(article_id)
