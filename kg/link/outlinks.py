"""Entities -> owl:sameAs links to other graphs: GeoNames for places (kg.link.places), a user's link
table (CSV or Turtle, name or alias -> IRI), and reconciliation by label against any SPARQL
endpoint (Wikidata's or a local copy), with a confidence threshold. A remote that cannot be
reached is reported once and then left alone: it never stops an ingest."""
from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.http import Client, HTTPFailure
from kg.link.linker import EntityIndex
from kg.geo import Feature
from kg.rdf import sparql
from kg.rdf.triples import Minter
from kg.rdf.vocab import KG, OWL, RDFS, SCHEMA, SKOS

log = logging.getLogger(__name__)

OWL_SAME_AS = ox.NamedNode(str(OWL.sameAs))
LABELS = [str(RDFS.label), str(SKOS.prefLabel), str(SKOS.altLabel), str(SCHEMA.name), str(SCHEMA.alternateName),
          "http://schema.org/name"]  # schema.org's old http namespace, still common in other graphs
PRIMARY = {LABELS[0], LABELS[1], LABELS[3], LABELS[5]}
INSTANCE_OF = "http://www.wikidata.org/prop/direct/P31"
HUMAN = "http://www.wikidata.org/entity/Q5"


def place_quads(minter: Minter, iri: str, feature: Feature) -> list[ox.Quad]:
    g, s = minter.shared_graph, ox.NamedNode(iri)
    out = [ox.Quad(s, OWL_SAME_AS, ox.NamedNode(feature.iri), g)]
    if feature.country:
        out.append(ox.Quad(s, ox.NamedNode(str(KG.countryCode)), ox.Literal(feature.country), g))
    return out


def same_as_quads(minter: Minter, iri: str, targets: Iterable[str]) -> list[ox.Quad]:
    return [ox.Quad(ox.NamedNode(iri), OWL_SAME_AS, ox.NamedNode(t), minter.shared_graph) for t in sorted(set(targets))]


class LinkTable:
    """Names and aliases -> IRIs, from a CSV file (`name,iri[,type]` with a header row; type is
    Person, Organisation or Place, empty for any) or RDF (Turtle, N-Triples...: the labels,
    skos:prefLabel/altLabel and schema:name/alternateName of each IRI). A name that leads to
    several IRIs of the same type links nowhere."""

    def __init__(self, rows: Iterable[tuple[str, str, str | None]]) -> None:
        self.by_name: dict[str, set[tuple[str, str | None]]] = {}
        for name, iri, etype in rows:
            self.by_name.setdefault(name.strip().casefold(), set()).add((iri, etype or None))

    @classmethod
    def load(cls, path: str | Path) -> "LinkTable":
        path = Path(path)
        try:
            if path.suffix.lower() == ".csv":
                with path.open(newline="", encoding="utf-8-sig") as fh:
                    reader = csv.DictReader(fh)
                    if not reader.fieldnames or not {"name", "iri"} <= set(reader.fieldnames):
                        raise ValueError(f"{path}: a link table needs the columns name,iri[,type]")
                    rows = [(r["name"], r["iri"].strip(), (r.get("type") or "").strip()) for r in reader
                            if r.get("name") and r.get("iri")]
                for _name, iri, etype in rows:
                    ox.NamedNode(iri)  # raises ValueError on a bad IRI
                    if etype not in ("", "Person", "Organisation", "Place"):
                        raise ValueError(f"{path}: unknown type {etype!r} (Person, Organisation, Place)")
                return cls(rows)
            fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
            quads = ox.parse(path=str(path), format=fmt)
            return cls((q.object.value, q.subject.value, None) for q in quads
                       if q.predicate.value in LABELS and isinstance(q.object, ox.Literal)
                       and isinstance(q.subject, ox.NamedNode))
        except (OSError, SyntaxError, KeyError) as e:
            raise ValueError(f"cannot read the link table {path}: {e}") from None

    def lookup(self, etype: str, names: Iterable[str]) -> str | None:
        for name in names:
            hits = {iri for iri, t in self.by_name.get(name.casefold(), ()) if t in (None, etype)}
            if len(hits) == 1:
                return hits.pop()
            if hits:
                return None
        return None


@dataclass
class Reconciler:
    """Label matches against a SPARQL endpoint: confidence 1.0 for the entity's canonical name as a
    main label (0.8 as an alias), halved when the endpoint's type disagrees (a Person that is not a
    wd:Q5, or an organisation that is), divided among the items that share the label."""
    endpoint: str
    threshold: float = 0.9
    timeout: float = 10.0
    cache: dict[tuple[str, str], str | None] = field(default_factory=dict)
    failed: str | None = None

    def match(self, etype: str, name: str) -> str | None:
        key = (etype, name)
        if key not in self.cache:
            self.cache[key] = self._ask(etype, name)
        return self.cache[key]

    def _ask(self, etype: str, name: str) -> str | None:
        if self.failed:
            return None
        plain, english = ox.Literal(name), ox.Literal(name, language="en")
        query = (f"SELECT ?item ?p ?type WHERE {{ VALUES ?label {{ {plain} {english} }} "
                 f"VALUES ?p {{ {sparql.iris(LABELS)} }} ?item ?p ?label . "
                 f"OPTIONAL {{ ?item <{INSTANCE_OF}> ?type }} }} LIMIT 200")
        try:
            body = Client().get(self.endpoint, {"query": query}, accept="application/sparql-results+json",
                                timeout=self.timeout)
            rows = json.loads(body)["results"]["bindings"]
        except (HTTPFailure, ValueError, KeyError) as e:
            self.failed = f"{type(e).__name__}: {e}"
            log.warning("reconciliation against %s is off for this run (%s)", self.endpoint, self.failed)
            return None
        items: dict[str, dict] = {}
        for r in rows:
            if r["item"]["type"] != "uri":
                continue
            it = items.setdefault(r["item"]["value"], {"primary": False, "types": set()})
            it["primary"] |= r["p"]["value"] in PRIMARY
            if "type" in r:
                it["types"].add(r["type"]["value"])
        fitting = sum(1 for it in items.values() if not _type_disagrees(etype, it["types"]))
        scored = {iri: (1.0 if it["primary"] else 0.8) * (0.5 if _type_disagrees(etype, it["types"]) else 1.0)
                  / max(fitting, 1) for iri, it in items.items()}
        best = max(scored, key=lambda i: (scored[i], i), default=None)
        return best if best is not None and scored[best] >= self.threshold else None


def _type_disagrees(etype: str, types: set[str]) -> bool:
    if not types:
        return False
    return (HUMAN not in types) if etype == "Person" else (etype == "Organisation" and HUMAN in types)


@dataclass
class Outlinks:
    """Every source of links an ingest uses, from the settings."""
    table: LinkTable | None = None
    reconciler: Reconciler | None = None

    @classmethod
    def from_config(cls, config) -> "Outlinks":
        return cls(LinkTable.load(config.link_table) if config.link_table else None,
                   Reconciler(config.reconcile_endpoint, config.reconcile_threshold)
                   if config.reconcile_endpoint else None)

    def targets(self, etype: str, name: str, names: Iterable[str]) -> list[str]:
        """IRIs in other graphs for a person or organisation (places: kg.link.places)."""
        if self.table and (iri := self.table.lookup(etype, [name, *sorted(set(names) - {name})])):
            return [iri]
        if self.reconciler and etype in ("Person", "Organisation") and (iri := self.reconciler.match(etype, name)):
            return [iri]
        return []


def relink(store, outlinks: Outlinks) -> int:
    """Apply the link table (and reconciliation) to every entity already in `store`, in one write;
    the number of new links."""
    index = EntityIndex.of_store(store)
    g = store.minter.shared_graph
    have = {(r["s"].value, r["o"].value) for r in store.query(
        f"SELECT ?s ?o WHERE {{ GRAPH {g} {{ ?s <{OWL_SAME_AS.value}> ?o }} }}")}
    new = [q for iri, k in sorted(index.known.items())
           for q in same_as_quads(store.minter, iri, outlinks.targets(k.type, k.name, k.names))
           if (q.subject.value, q.object.value) not in have]
    store.add_shared(new)
    return len(new)
