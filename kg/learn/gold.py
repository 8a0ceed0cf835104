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


def to_quads(gold: dict, base: str = "https://w3id.org/newskg/gold/") -> list:
    """A gold file as the contract vocabulary states it (one named graph for the article), so that the
    shared scorer can read one annotator's gold as if it were extracted: the agreement of two."""
    import pyoxigraph as ox
    from kg.rdf.vocab import KG, KG_NS, ORG, RDF, RDFS, SCHEMA

    a = ox.NamedNode(f"{base}{gold['id']}")
    quads: list = []

    def add(s, p, o) -> None:
        quads.append(ox.Quad(s, ox.NamedNode(str(p)), o, a))

    add(a, RDF.type, ox.NamedNode(str(KG.Article)))
    add(a, SCHEMA.identifier, ox.Literal(gold["id"]))
    iri: dict[str, ox.NamedNode] = {}
    types = {"Person": KG.Person, "Organisation": KG.Organisation, "GPE": KG.Place}
    for k, e in enumerate(gold.get("entities") or []):
        node = ox.NamedNode(f"{a.value}/e{k}")
        for n in [e["name"], *(e.get("aliases") or [])]:
            iri.setdefault(n, node)
        add(node, RDF.type, ox.NamedNode(str(types.get(e.get("type"), KG.Organisation))))
        add(node, SCHEMA.name, ox.Literal(e["name"]))
        for alias in e.get("aliases") or []:
            add(node, SCHEMA.alternateName, ox.Literal(alias))
        for j, role in enumerate(e.get("roles") or []):
            m = ox.NamedNode(f"{node.value}/role{j}")
            add(m, RDF.type, ox.NamedNode(str(ORG.Membership)))
            add(m, ORG.member, node)
            add(m, ORG.role, ox.NamedNode(f"{m.value}/label"))
            add(ox.NamedNode(f"{m.value}/label"), RDFS.label, ox.Literal(role["role"]))
            if role.get("of") and role["of"] in iri:
                add(m, ORG.organization, iri[role["of"]])

    def agent(name: str, where: str) -> ox.NamedNode:
        if name not in iri:
            iri[name] = ox.NamedNode(f"{a.value}/{where}")
            add(iri[name], SCHEMA.name, ox.Literal(name))
        return iri[name]

    for k, m in enumerate(gold.get("meetings") or []):
        node = ox.NamedNode(f"{a.value}/m{k}")
        add(node, RDF.type, ox.NamedNode(str(KG.Meeting)))
        if m.get("kind") == "phone call":
            add(node, RDF.type, ox.NamedNode(str(KG.PhoneCall)))
        for j, p in enumerate(m.get("participants") or []):
            add(node, KG.participant, agent(p, f"m{k}p{j}"))
        if m.get("status"):
            add(node, KG.status, ox.NamedNode(KG_NS + m["status"][0].capitalize()))
        place = m.get("place")
        for j, p in enumerate(place if isinstance(place, list) else [place] if place else []):
            add(node, KG.location, agent(p, f"m{k}l{j}"))
        if m.get("date"):
            add(node, KG.date, ox.Literal(m["date"]))
    for k, s in enumerate(gold.get("statements") or []):
        node = ox.NamedNode(f"{a.value}/s{k}")
        add(node, RDF.type, ox.NamedNode(str(KG.Statement)))
        if s.get("speaker"):
            add(node, KG.speaker, agent(s["speaker"][0], f"s{k}sp"))
        add(node, KG.text, ox.Literal(s.get("text") or ""))
    return quads
