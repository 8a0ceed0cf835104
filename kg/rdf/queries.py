"""The shipped SPARQL, read as package data: the example queries (kg/queries/*.rq, on the query
page and in the docs) and the CSV tables (kg/queries/tables/*.rq). Each file starts with
`# title:` and `# description:` lines."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from kg.rdf.vocab import SPARQL_PROLOGUE


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    description: str
    text: str


def _read(folder) -> dict[str, Query]:
    out = {}
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".rq"):
            continue
        text = path.read_text(encoding="utf-8")
        head = dict(line[2:].split(": ", 1) for line in text.splitlines()[:2] if line.startswith("# ") and ": " in line)
        name = path.name[:-3]
        out[name] = Query(name, head.get("title", name), head.get("description", ""), text)
    return out


@cache
def examples() -> dict[str, Query]:
    """The example queries by name (file name without .rq)."""
    return _read(files("kg") / "queries")


@cache
def tables() -> dict[str, Query]:
    """The CSV tables by name: meetings, statements, people."""
    return _read(files("kg") / "queries" / "tables")


def table_query(name: str) -> str:
    """The SPARQL of table `name`, prefixes declared (KeyError for an unknown table)."""
    return SPARQL_PROLOGUE + tables()[name].text


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(body: bytes) -> bytes:
    """A CSV table with every cell that a spreadsheet would run as a formula (=, +, -, @ first)
    written as text: a leading apostrophe, as OWASP advises for CSV exports. Only the tables for
    spreadsheets get this; SPARQL's own CSV results stay exact."""
    import csv
    import io
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["'" + c if c.startswith(FORMULA_START) else c for c in row])
    return out.getvalue().encode("utf-8")
