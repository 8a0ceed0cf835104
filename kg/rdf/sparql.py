"""Run a SPARQL query on the store and serialise its results with pyoxigraph's own writers."""
from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from kg.rdf.formats import FORMATS, FormatError
from kg.rdf.vocab import PREFIXES


class QueryError(ValueError):
    """A query the parser or evaluator rejected; the message is the engine's."""


class QuerySyntaxError(QueryError):
    """A query the parser rejected: the message says where ("error at line:column") and what."""


ITEM = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]|[^,]+)\s*,?""", re.S)
POSITION = re.compile(r"^error at (\d+):(\d+): ")


def explain(query: str, message: str) -> str:
    """The parser's message in the user's words: the same "error at line:column", without the
    character classes, naming a missing prefix and a query that ends too soon."""
    if not query.strip():
        return "the query is empty"
    at = POSITION.match(message)
    where = f"error at {at.group(1)}:{at.group(2)}: " if at else ""
    rest = message[at.end():] if at else message
    if "Prefix not found" in rest and at:
        lines = query.splitlines()
        line = lines[int(at.group(1)) - 1] if int(at.group(1)) <= len(lines) else ""
        start = end = min(int(at.group(2)) - 1, len(line))
        while start > 0 and not line[start - 1].isspace() and line[start - 1] not in "{}();,":
            start -= 1
        prefix = line[start:end].split(":", 1)[0]
        return (f"{where}unknown prefix {prefix}: — declare it with PREFIX {prefix or 'p'}: <…> "
                f"(predeclared: {', '.join(p + ':' for p in PREFIXES)})")
    if not rest.startswith("expected"):
        return message
    head, _, items = rest.partition("one of ") if rest.startswith("expected one of") else ("expected ", "", rest[9:])
    kept = [m.group(1).strip() for m in ITEM.finditer(items) if not m.group(1).startswith("[")]
    if not kept:
        return f"{where}the query ends too soon or has a stray character here (an unclosed brace, string or IRI?)"
    return where + ("expected one of " if len(kept) > 1 else "expected ") + ", ".join(kept)


def run(store: ox.Store, query: str, *, default_graph: Sequence[str] = (), named_graphs: Sequence[str] = (),
        base_iri: str | None = None, functions: dict | None = None):
    """Evaluate `query`. The default graph is the union of all graphs unless `default_graph` is given.
    `functions`: extension functions the query may call (IRI -> Python callable of terms)."""
    kwargs: dict = {"prefixes": PREFIXES}
    if functions:
        kwargs["custom_functions"] = functions
    try:
        if base_iri:
            kwargs["base_iri"] = base_iri
        if default_graph:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return store.query(query, **kwargs)
    except SyntaxError as e:
        raise QuerySyntaxError(explain(query, str(e))) from None
    except (ValueError, OSError) as e:
        raise QueryError(str(e)) from None


def iri(value: str) -> str:
    """`value` as an IRI term to write into SPARQL text. pyoxigraph's NamedNode refuses anything that
    is not an IRI (a '>', a space, a brace), so no value can change the shape of the text around it."""
    return str(ox.NamedNode(value))


def iris(values: Iterable[str]) -> str:
    """Distinct IRIs as a VALUES list, sorted (the same text for the same set)."""
    return " ".join(iri(v) for v in sorted(set(values)))


def quad_data(quads: Iterable[ox.Quad]) -> str:
    """Quads as the body of INSERT DATA / DELETE DATA, each term in pyoxigraph's own N-Triples
    serialisation (strings escaped by the library, never by hand)."""
    return " ".join(f"{q.subject} {q.predicate} {q.object} ." if isinstance(q.graph_name, ox.DefaultGraph)
                    else f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads)


def bind_values(query: str, **bind: str | None) -> str:
    """The query with each ?name in `bind` bound to that IRI by a VALUES block at the start of its
    WHERE group. Each value goes through pyoxigraph's NamedNode, which refuses anything that is not
    an IRI (a '>', a space, a brace), so no value can change the query's shape."""
    values = " ".join(f"VALUES ?{name} {{ {ox.NamedNode(iri)} }}" for name, iri in bind.items() if iri is not None)
    if not values:
        return query
    at = re.search(r"\bWHERE\s*\{", query, re.I)
    if at is None:
        raise ValueError("bind_values needs a query with a WHERE group")
    return query[:at.end()] + " " + values + " " + query[at.end():]


def is_graph(result) -> bool:
    """A CONSTRUCT/DESCRIBE result: pyoxigraph's, or the list of triples a remote store sent."""
    return isinstance(result, (ox.QueryTriples, list))


def serialize(result, fmt: str) -> bytes:
    """Bytes of a result in `fmt`: json/xml/csv/tsv for SELECT and ASK, an RDF format for graphs."""
    out = io.BytesIO()
    try:
        spec = FORMATS.get(fmt, "rdf" if is_graph(result) else "results")
    except FormatError as e:
        raise QueryError(str(e)) from None
    if isinstance(result, list):
        ox.serialize(result, out, spec.ox)
    else:
        result.serialize(out, spec.ox)
    return out.getvalue()


def table(result, max_width: int = 60) -> str:
    """A plain-text table of a SELECT result (ASK: true/false; graphs: N-Triples)."""
    if isinstance(result, ox.QueryBoolean):
        return "true" if bool(result) else "false"
    if is_graph(result):
        return serialize(result, "ntriples").decode()
    names = [v.value for v in result.variables]
    rows = [[_cell(sol[n], max_width) for n in names] for sol in result]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def _cell(term, max_width: int) -> str:
    if term is None:
        return ""
    s = " ".join(term.value.split())
    return s if len(s) <= max_width else s[:max_width - 1] + "…"
