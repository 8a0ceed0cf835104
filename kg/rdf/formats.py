"""The one registry of output formats (name, media type, pyoxigraph format, kind), used by the
CLI, the server's content negotiation and the store's export. Media types come from pyoxigraph."""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


class FormatError(ValueError):
    """A format name that does not exist, or does not fit the kind of result."""



@dataclass(frozen=True)
class Format:
    name: str
    kind: str  # "results" for SELECT/ASK, "rdf" for graphs and datasets
    ox: ox.RdfFormat | ox.QueryResultsFormat
    aliases: tuple[str, ...] = ()  # other media types clients send for it
    prefixes: bool = False  # the serialiser writes prefix declarations
    dump: bool = False  # `kg export` writes the whole store in it

    @property
    def media_type(self) -> str:
        """Without parameters: 'text/csv', not 'text/csv; charset=utf-8'."""
        return self.ox.media_type.split(";")[0]

    @property
    def content_type(self) -> str:
        return self.ox.media_type

    @property
    def rdf(self) -> ox.RdfFormat:
        assert isinstance(self.ox, ox.RdfFormat), self.name
        return self.ox


class Registry:
    def __init__(self, formats: list[Format]) -> None:
        self._by_name = {f.name: f for f in formats}

    def get(self, name: str, kind: str | None = None) -> Format:
        f = self._by_name.get(name)
        if f is None or (kind and f.kind != kind):
            raise FormatError(f"unknown {kind + ' ' if kind else ''}format {name!r}; use one of "
                              f"{', '.join(self.names(kind))}")
        return f

    def dump(self, name: str) -> Format:
        f = self._by_name.get(name)
        if f is None or not f.dump:
            raise FormatError(f"unknown export format {name!r}; use one of {', '.join(self.dump_names())}")
        return f

    def of_kind(self, kind: str) -> list[Format]:
        return [f for f in self._by_name.values() if f.kind == kind]

    def names(self, kind: str | None = None) -> list[str]:
        return [f.name for f in self._by_name.values() if kind is None or f.kind == kind]

    def dump_names(self) -> list[str]:
        return [f.name for f in self._by_name.values() if f.dump]

    def by_media_type(self, kind: str) -> dict[str, Format]:
        """Every media type (and alias) of the formats of `kind`."""
        out = {}
        for f in self.of_kind(kind):
            for mt in (f.media_type, *f.aliases):
                out.setdefault(mt, f)
        return out


FORMATS = Registry([
    Format("json", "results", ox.QueryResultsFormat.JSON, ("application/json",)),
    Format("xml", "results", ox.QueryResultsFormat.XML, ("application/xml",)),
    Format("csv", "results", ox.QueryResultsFormat.CSV),
    Format("tsv", "results", ox.QueryResultsFormat.TSV),
    Format("turtle", "rdf", ox.RdfFormat.TURTLE, ("application/x-turtle",), prefixes=True, dump=True),
    Format("ntriples", "rdf", ox.RdfFormat.N_TRIPLES, ("text/plain",), dump=True),
    Format("nquads", "rdf", ox.RdfFormat.N_QUADS, dump=True),
    Format("trig", "rdf", ox.RdfFormat.TRIG, prefixes=True, dump=True),
    Format("jsonld", "rdf", ox.RdfFormat.JSON_LD, ("application/json+ld",)),
    Format("rdfxml", "rdf", ox.RdfFormat.RDF_XML),
])
