"""Small, careful edits of SPARQL text that pyoxigraph has no option for: measure nesting, add
USING clauses for `using-graph-uri`, and cap a query's LIMIT. The lexer's terminals follow the
SPARQL grammar's (IRIs with \\u escapes, local names with `\\#` and `%hh`, long strings; comments
only outside these), so keywords and brackets inside them are never touched; the engine still
parses the result."""
from __future__ import annotations

import functools
import re
from typing import NamedTuple

from kg.rdf.sparql import iri

TOKEN = re.compile(r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<word>(?:[A-Za-z\u00C0-\uFFFF][\w\-.\u00B7-\uFFFF]*)?:(?:[\w\-:.\u00B7-\uFFFF]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%])*
            |[A-Za-z_][A-Za-z0-9_\-]*)
  | (?P<number>\d+)
  | (?P<punct>[{}()\[\]])
  | (?P<other>\S)
""", re.X | re.S)
OPEN, CLOSE = "{([", "})]"


class Tok(NamedTuple):
    kind: str
    text: str
    start: int
    end: int
    depth: int  # brace depth before the token


def tokens(text: str) -> list[Tok]:
    out: list[Tok] = []
    depth = 0
    for m in TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "comment":
            continue
        word = m.group()
        out.append(Tok(kind, word, m.start(), m.end(), depth))
        if word == "{":
            depth += 1
        elif word == "}" and depth:
            depth -= 1
    return out


def _kw(tok: Tok, *words: str) -> bool:
    return tok.kind == "word" and tok.text.upper() in words


def nesting(text: str) -> int:
    """How deep groups, brackets and parentheses go inside one another, outside strings, IRIs and
    comments. A text of few brackets is answered without lexing."""
    if sum(text.count(c) for c in OPEN) <= 16:
        return sum(text.count(c) for c in OPEN)
    depth = deepest = 0
    for m in TOKEN.finditer(text):
        if m.lastgroup == "punct":
            if m.group() in OPEN:
                depth += 1
                deepest = max(deepest, depth)
            else:
                depth = max(0, depth - 1)
    return deepest


def declares_dataset(update: str) -> bool:
    """Does the update name its own dataset (USING or WITH)?"""
    return any(_kw(t, "USING", "WITH") for t in tokens(update))


def add_using(update: str, default_graphs: list[str], named_graphs: list[str]) -> str:
    """Add USING / USING NAMED clauses before the WHERE of every DELETE/INSERT ... WHERE operation
    (what the protocol's using-graph-uri and using-named-graph-uri mean)."""
    clause = "".join(f" USING {iri(g)}" for g in default_graphs) + "".join(f" USING NAMED {iri(g)}" for g in named_graphs)
    toks = tokens(update)
    cuts = [t.start for i, t in enumerate(toks)
            if _kw(t, "WHERE") and t.depth == 0 and i > 0 and toks[i - 1].text == "}"]
    for at in reversed(cuts):
        update = update[:at] + clause.strip() + " " + update[at:]
    return update


CACHED_QUERY_CHARS = 16384  # `capped` remembers its answers for queries up to this long


def capped(query: str, limit: int) -> str | None:
    """The query with at most `limit` solutions: its top-level LIMIT lowered, or one added (before a
    trailing VALUES block). None when it needs no cap: an ASK, or its own LIMIT is lower. Lexing is
    most of a small query's Python time on the server, and clients repeat their queries: the answer
    is remembered for the last 1,024 queries that are not long."""
    return _capped_cached(query, limit) if len(query) <= CACHED_QUERY_CHARS else _capped(query, limit)


def _capped(query: str, limit: int) -> str | None:
    toks = tokens(query)
    form = next((t.text.upper() for t in toks if t.depth == 0 and _kw(t, "SELECT", "ASK", "CONSTRUCT", "DESCRIBE")),
                None)
    if form not in ("SELECT", "CONSTRUCT", "DESCRIBE"):
        return None
    for i, t in enumerate(toks):
        if _kw(t, "LIMIT") and t.depth == 0 and i + 1 < len(toks) and toks[i + 1].kind == "number":
            n = toks[i + 1]
            return None if int(n.text) <= limit else query[:n.start] + str(limit) + query[n.end:]
    for i, t in enumerate(toks):
        if _kw(t, "VALUES") and t.depth == 0 and any(x.text == "}" and x.depth == 1 for x in toks[:i]):
            return query[:t.start] + f"LIMIT {limit}\n" + query[t.start:]
    return query.rstrip() + f"\nLIMIT {limit}\n"


_capped_cached = functools.lru_cache(maxsize=1024)(_capped)
