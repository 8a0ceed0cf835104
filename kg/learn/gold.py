"""Gold names: which gold entity an extracted entity is, by the scorer's rules (an exact name or
alias, a gold alias that ends the name, or a lone surname of exactly one gold entity)."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})


def norm(name: str) -> str:
    s = unicodedata.normalize("NFKD", name.translate(_QUOTES)).encode("ascii", "ignore").decode().casefold()
    s = re.sub(r"'s\b", "", s).replace("'", "")
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    s = re.sub(r"^(the) ", "", s.strip())
    return " ".join(s.split())


class GoldNames:
    def __init__(self, gold: dict) -> None:
        self.alias: dict[str, str] = {}
        for e in gold.get("entities") or []:
            for n in [e["name"], *(e.get("aliases") or [])]:
                self.alias.setdefault(norm(n), e["name"])

    def canon(self, names: Iterable[str]) -> str | None:
        keys = sorted(norm(n) for n in names)
        for k in keys:
            if k in self.alias:
                return self.alias[k]
        for k in keys:
            for key, canon in self.alias.items():
                if k.endswith(" " + key):
                    return canon
        for k in keys:
            if k and " " not in k:
                hits = {c for key, c in self.alias.items() if key.split()[-1] == k}
                if len(hits) == 1:
                    return hits.pop()
        return None
