"""Entities across articles: one IRI per real entity whatever the order in which articles arrive.

An entity's IRI is minted from its type and its most complete name. When a later article
brings a more complete name ("Vladimir Putin" after "Putin"), the store's entity is renamed to
the new IRI, so that both orders of ingest end with the same graph.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kg.model import Entity
from kg.rdf.triples import Minter
from kg.rdf.vocab import KG, SCHEMA
from kg.stores.base import Store


@dataclass
class Known:
    type: str
    name: str
    names: set[str] = field(default_factory=set)


@dataclass
class Link:
    """The outcome of linking one article: IRIs for its entity keys, and store entities to rename."""
    iris: dict[str, str]
    renames: list[tuple[str, str]]


class EntityIndex:
    """Names of the entities already in the store, kept in memory during an ingest."""

    def __init__(self, minter: Minter) -> None:
        self.minter = minter
        self.known: dict[str, Known] = {}
        self.by_name: dict[tuple[str, str], set[str]] = {}
        self.by_surname: dict[str, set[str]] = {}  # people with a full name, by last word

    @classmethod
    def of_store(cls, store: Store) -> "EntityIndex":
        """The names of every entity in the store, for linking new articles to them."""
        index = cls(store.minter)
        rows = store.query(f"""SELECT ?e ?t ?n ?alt WHERE {{ GRAPH <{store.minter.shared_graph.value}> {{
            ?e a ?t ; <{SCHEMA.name}> ?n . FILTER(?t IN (<{KG.Person}>, <{KG.Organisation}>, <{KG.Place}>))
            OPTIONAL {{ ?e <{SCHEMA.alternateName}> ?alt }} }} }}""")
        types = {str(KG.Person): "Person", str(KG.Organisation): "Organisation", str(KG.Place): "Place"}
        for r in rows:
            iri = r["e"].value
            index.add(iri, types[r["t"].value], r["n"].value, {r["alt"].value} if r["alt"] is not None else set(),
                      findable=not store.minter.has_sense(iri))
        return index

    def add(self, iri: str, etype: str, name: str, names: set[str], *, findable: bool = True) -> None:
        """`findable`: other articles' mentions of these names may link to it (not for places
        whose reading came from one article's context)."""
        k = self.known.setdefault(iri, Known(etype, name))
        k.type, k.name = etype, name
        k.names |= names | {name}
        if not findable:
            return
        for nm in k.names:
            self.by_name.setdefault((etype, nm.casefold()), set()).add(iri)
        if etype == "Person" and len(name.split()) >= 2:
            self.by_surname.setdefault(name.split()[-1].casefold(), set()).add(iri)

    def remove(self, iri: str) -> Known | None:
        k = self.known.pop(iri, None)
        if k:
            for nm in k.names:
                self.by_name.get((k.type, nm.casefold()), set()).discard(iri)
            self.by_surname.get(k.name.split()[-1].casefold(), set()).discard(iri)
        return k

    def _find(self, etype: str, names: list[str]) -> str | None:
        for nm in names:
            hits = sorted(self.by_name.get((etype, nm.casefold()), ()))
            if len(hits) == 1:
                return hits[0]
            if hits:  # several entities share this name: the one whose canonical name it is
                own = [h for h in hits if self.known[h].name.casefold() == nm.casefold()]
                if len(own) == 1:
                    return own[0]
        return None

    def link(self, entities: list[Entity], senses: dict[str, int] | None = None) -> Link:
        """IRIs for the article's entities. `senses` gives places whose reading the article decided
        (key -> GeoNames id): they get IRIs of their own and are not found by name alone."""
        iris: dict[str, str] = {}
        renames: list[tuple[str, str]] = []
        for e in sorted(entities, key=lambda e: (-len(e.name.split()), e.key)):
            if senses and e.key in senses:
                iris[e.key] = self.minter.entity(e.type, e.name, senses[e.key]).value
                self.add(iris[e.key], e.type, e.name, {e.name, *e.aliases}, findable=False)
                continue
            names = [e.name, *[a for a in e.aliases if len(a.split()) >= len(e.name.split())]]
            etype = e.type
            iri = self._find(etype, names)
            if iri is None and not e.strong:
                for other in ("Person", "Organisation", "Place"):
                    if other != etype and (iri := self._find(other, [e.name])):
                        etype = other
                        break
            if iri is None and etype == "Person" and len(e.name.split()) == 1:
                iri = self._unique_surname(e.name)
            if iri is None and etype == "Person" and len(e.name.split()) >= 2:
                # a store entity known only by this surname becomes this person
                short = self._find("Person", [e.name.split()[-1]])
                if short and len(self.known[short].name.split()) == 1:
                    iri = short
            canonical = e.name
            if iri is not None:
                k = self.known[iri]
                if _more_complete(k.name, e.name):
                    canonical = k.name
            new_iri = self.minter.entity(etype, canonical).value
            all_names = {e.name, *e.aliases}
            if iri is not None and iri != new_iri:
                old = self.remove(iri)
                renames.append((iri, new_iri))
                all_names |= old.names if old else set()
                for key, v in iris.items():
                    if v == iri:
                        iris[key] = new_iri
            before = self.known.get(new_iri)
            self.add(new_iri, etype, canonical if before is None or _more_complete(canonical, before.name)
                     else before.name, all_names)
            iris[e.key] = new_iri
        return Link(iris, renames)

    def _unique_surname(self, surname: str) -> str | None:
        hits = self.by_surname.get(surname.casefold(), set())
        return next(iter(hits)) if len(hits) == 1 else None


def _more_complete(a: str, b: str) -> bool:
    """Is name a more complete than name b? More words first, then a fixed order for ties."""
    return (len(a.split()), len(a), a) > (len(b.split()), len(b), b)
