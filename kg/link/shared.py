"""The shared graph follows the articles. An entity's names are the surface forms that the
articles mentioning it use (kg:surfaceForm, in each article's graph); an entity, membership or
role that no current article supports is removed. So after any sequence of ingests and
re-ingests the shared graph is the one a fresh ingest of the current articles gives."""
from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.extract.names import name_key, without_initials
from kg.rdf import sparql
from kg.rdf.triples import entity_quads
from kg.rdf.vocab import KG, ORG, SCHEMA
from kg.stores.base import Store


def canonical(counts: dict[str, int]) -> str:
    """An entity's name from the names its articles give it (name -> articles): a full name over a
    bare one, then the one most articles use, then the most complete ("Donald Trump" over "Donald
    J. Trump", middle initials not counting as words), then a fixed order."""
    def rank(n: str) -> tuple:
        key = name_key(n)
        words = without_initials(key).split()
        return len(words) >= 2, counts[n], len(words), without_initials(key) == key, len(n), n
    return max(counts, key=rank)


def mentioned_by(store: Store, article: ox.NamedNode) -> set[str]:
    """What the article's stored graph mentions (entities, memberships, meetings, statements)."""
    return {r["x"].value for r in store.query(f"SELECT ?x WHERE {{ GRAPH {article} {{ {article} <{SCHEMA.mentions}> ?x }} }}")
            if isinstance(r["x"], ox.NamedNode)}


def articles_mentioning(store: Store, iris: Iterable[str]) -> set[str]:
    """The articles whose graphs mention any of these."""
    values = sparql.iris(iris)
    if not values:
        return set()
    return {r["a"].value for r in store.query(
        f"SELECT DISTINCT ?a WHERE {{ VALUES ?x {{ {values} }} GRAPH ?a {{ ?a <{SCHEMA.mentions}> ?x }} }}")}


def membership_pairs(store: Store, iris: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Membership -> (member, organisation), for those of these memberships the store holds."""
    values = sparql.iris(iris)
    if not values:
        return {}
    return {r["m"].value: (r["x"].value, r["o"].value) for r in store.query(
        f"""SELECT ?m ?x ?o WHERE {{ VALUES ?m {{ {values} }}
            GRAPH {store.minter.shared_graph} {{ ?m <{ORG.member}> ?x ; <{ORG.organization}> ?o }} }}""")}


def refresh(store: Store, iris: Iterable[str]) -> list[tuple[str, str]]:
    """Rewrite the shared description of these entities and memberships from what the articles
    support now; returns the renames it applied (an entity whose most complete name changed)."""
    g = store.minter.shared_graph
    ops: list[str] = []
    inserts: list[ox.Quad] = []
    renames: list[tuple[str, str]] = []
    names: dict[str, str] = {}
    for iri in sorted(set(iris)):
        node = ox.NamedNode(iri)
        etype = store.minter.entity_type(iri)
        if etype is None and "/membership/" not in iri:
            continue  # meetings, statements, agents live in their article's graph
        supported = store.query(f"""ASK {{ GRAPH ?a {{ ?a ?p {node} }}
            FILTER(?a != {g} && ?p IN (<{SCHEMA.mentions}>, <{SCHEMA.publisher}>)) }}""")
        if not bool(supported):
            ops.append(f"DELETE WHERE {{ GRAPH {g} {{ {node} ?p ?o }} }}")
            continue
        if etype is None:
            continue
        forms = [r["f"].value for r in store.query(
            f"SELECT DISTINCT ?f WHERE {{ GRAPH ?a {{ {node} <{KG.surfaceForm}> ?f }} }}")]
        given = {r["n"].value: int(r["c"].value) for r in store.query(
            f"SELECT ?n (COUNT(DISTINCT ?a) AS ?c) WHERE {{ GRAPH ?a {{ {node} <{KG.nameInArticle}> ?n }} }} GROUP BY ?n")}
        if not forms or not given:
            continue  # a publisher: named by its articles' metadata, not by their text
        name = canonical(given)
        ops.append(f"DELETE WHERE {{ GRAPH {g} {{ {node} a ?t }} }}")  # a merged entity takes one type
        ops.append(f"DELETE WHERE {{ GRAPH {g} {{ {node} <{SCHEMA.name}> ?n }} }}")
        ops.append(f"DELETE WHERE {{ GRAPH {g} {{ {node} <{SCHEMA.alternateName}> ?n }} }}")
        inserts += entity_quads(store.minter, iri, etype, name, set(forms))
        new = store.minter.entity(etype, name, store.minter.sense(iri)).value
        if new != iri:
            renames.append((iri, new))
            names[new] = name
    ops.append(f"""DELETE {{ GRAPH {g} {{ ?r ?p ?o }} }} WHERE {{ GRAPH {g} {{ ?r a <{ORG.Role}> ; ?p ?o }}
        FILTER NOT EXISTS {{ GRAPH {g} {{ ?m <{ORG.role}> ?r }} }} }}""")
    if inserts:
        ops.append(f"INSERT DATA {{ {sparql.quad_data(inserts)} }}")
    store.update(" ;\n".join(ops))
    if renames:
        store.apply_renames(renames, names)
    return renames
