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
