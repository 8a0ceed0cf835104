"""What a SPARQL query or update may do before any engine sees it: no SERVICE or LOAD outside the
allow-list, no nesting deep enough to overflow a parser's stack.

The outbound calls are found on the parsed operation (rdflib's SPARQL 1.1 parser and algebra), never
on the text: a keyword can only be spelled with its letters, so text that holds no "service" (or
"load") once its \\u escapes are read can call out nowhere, and every other text is parsed. What the
parser cannot read is refused rather than guessed at. Nesting is measured by `sparqltext`'s lexer,
whose terminals follow the grammar's (escapes in IRIs and local names, long strings, comments).
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from kg.rdf.sparqltext import nesting
from kg.rdf.vocab import PREFIXES

MAX_CHECKED = 200_000  # characters of an operation that mentions SERVICE or LOAD the parser reads
MAX_NESTING = 128  # groups, brackets and parentheses inside one another; Oxigraph's parser crashed past ~2,000
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class Refused(ValueError):
    """An operation this endpoint will not run; the message says why and what to do."""


def check_query(text: str, *, allow: Sequence[str] = (), base_iri: str | None = None) -> None:
    """Raise Refused for a query nested too deeply or calling a SERVICE that `allow` does not list."""
    _check(text, "query", allow, base_iri)


def check_update(text: str, *, allow: Sequence[str] = (), base_iri: str | None = None) -> None:
    """Raise Refused for an update nested too deeply, or with a LOAD or SERVICE `allow` does not list."""
    _check(text, "update", allow, base_iri)


def _check(text: str, kind: str, allow: Sequence[str], base_iri: str | None) -> None:
    depth = nesting(text)
    if depth > MAX_NESTING:
        raise Refused(f"the {kind} nests {depth} levels deep; at most {MAX_NESTING} are allowed")
    words = ("service", "load") if kind == "update" else ("service",)
    plain = _unescape(text).casefold()
    if not any(w in plain for w in words):
        return
    if len(text) > MAX_CHECKED:
        raise Refused(f"the {kind} mentions SERVICE or LOAD and is longer than {MAX_CHECKED:,} characters, "
                      "more than the checker reads")
    for what, target in _targets(text, kind, base_iri):
        if target is None:
            raise Refused(f"{what} with a variable endpoint is not allowed on this endpoint")
        if not any(target.startswith(a) for a in allow):
            raise Refused(f"{what} <{target}> is not allowed on this endpoint (KG_SERVICE_ALLOW lists the "
                          f"endpoints it may call{'; none are listed' if not allow else ''})")


def calls_out(text: str) -> bool:
    """Might the operation call another endpoint (it spells SERVICE or LOAD somewhere)?"""
    plain = _unescape(text).casefold()
    return "service" in plain or "load" in plain


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: _char(m.group(1) or m.group(2)), text)


def _char(hex_digits: str) -> str:
    try:
        return chr(int(hex_digits, 16))
    except ValueError:  # beyond Unicode: the engine refuses it anyway
        return ""


def _targets(text: str, kind: str, base_iri: str | None) -> list[tuple[str, str | None]]:
    """(SERVICE or LOAD, endpoint IRI or None for a variable) for every outbound call in the operation."""
    from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:  # the engine predeclares PREFIXES
        if kind == "query":
            algebra = translateQuery(parseQuery(text), base=base_iri, initNs=PREFIXES).algebra
        else:
            algebra = translateUpdate(parseUpdate(text), base=base_iri, initNs=PREFIXES).algebra
    except RecursionError:
        raise Refused(f"the {kind} is nested too deeply to check its SERVICE or LOAD calls") from None
    except Exception as e:  # noqa: BLE001 — whatever the parser cannot read is refused
        message = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
        raise Refused(f"the {kind} mentions SERVICE or LOAD and could not be checked ({message}); "
                      "outbound calls are allowed only in operations the checker can read") from None
    return list(_calls(algebra))


def _calls(node: object) -> Iterator[tuple[str, str | None]]:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef

    stack = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, CompValue):
            if x.name in ("ServiceGraphPattern", "Load"):
                target = dict(x).get("term" if x.name == "ServiceGraphPattern" else "iri")
                yield ("SERVICE" if x.name == "ServiceGraphPattern" else "LOAD",
                       str(target) if isinstance(target, URIRef) else None)
            stack.extend(dict(x).values())
        elif isinstance(x, dict):
            stack.extend(x.values())
        elif isinstance(x, (list, tuple, set)):
            stack.extend(x)
