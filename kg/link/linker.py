"""Entities across articles: one IRI per real entity whatever the order in which articles arrive.

An entity's IRI is minted from its type and its most complete name. Spellings of one name meet
under one key (kg.extract.names: "Bashar al-Assad" / "Bashar Assad", "Kim Jong-un" / "Kim Jong
Un"). When a later article brings a more complete name ("Vladimir Putin" after "Putin"), the
store's entity is renamed to the new IRI, so that both orders of ingest end with the same graph.

A bare surname ("Trump", "Mr. Trump", "President Trump") that its own article does not resolve
links by evidence, never by first claim: to the one person with that surname whose titles fit
the article's ("President" -> the one who holds that role), to the only one there is, or to the
one who is by far the most often named in full; otherwise it stays a person of its own, never a
namesake. A middle-initial variant ("Donald J. Trump") joins the plain name only when that person
is by far the most named ("George W. Bush" is not "George Bush" by rule alone). Evidence counts
articles that name a person in full (their kg:surfaceForm), so bare mentions never vote.
`consolidate` decides every bare mention in the store again at the end of an ingest, article by
article, so that the order of arrival does not decide.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.extract.names import name_key, surname, without_initials
from kg.geo import candidates
from collections import Counter

from kg.link.fusion_store import Changes, acted_for
from kg.link.shared import articles_mentioning, canonical as canonical_name, membership_pairs, refresh
from kg.model import Entity
from kg.rdf import sparql
from kg.rdf.triples import Minter
from kg.rdf.vocab import KG, ORG, RDFS, SCHEMA
from kg.stores.base import Store, rename_ops

DOMINANCE = 5  # the most named namesake needs this many times the articles of the next
MIN_ARTICLES = 3  # and at least this many articles


@dataclass
class Known:
    type: str
    name: str
    names: set[str] = field(default_factory=set)
    articles: int = 0
    roles: set[str] = field(default_factory=set)
    given: Counter = field(default_factory=Counter)  # the names its articles give it, with counts


@dataclass
class Link:
    """The outcome of linking one article: IRIs for its entity keys, store entities to rename, and
    store entities whose name changed (same IRI, another spelling now most used)."""
    iris: dict[str, str]
    renames: list[tuple[str, str]]
    names: dict[str, str] = field(default_factory=dict)


class EntityIndex:
    """Names, article counts and roles of the entities already in the store, kept in memory
    during an ingest."""

    def __init__(self, minter: Minter) -> None:
        self.minter = minter
        self.known: dict[str, Known] = {}
        self.by_name: dict[tuple[str, str], set[str]] = {}
        self.by_loose: dict[str, set[str]] = {}  # people by their key without middle initials
        self.by_surname: dict[str, set[str]] = {}  # people with a full name, by surname
        self.by_first: dict[str, set[str]] = {}  # and by the first word of their name
        self.by_tail: dict[str, set[str]] = {}  # and by their name without its first word

    @classmethod
    def of_store(cls, store: Store) -> "EntityIndex":
        """The names of every entity in the store, for linking new articles to them."""
        index = cls(store.minter)
        g = store.minter.shared_graph
        rows = store.query(f"""SELECT ?e ?t ?n ?alt WHERE {{ GRAPH {g} {{
            ?e a ?t ; <{SCHEMA.name}> ?n . FILTER(?t IN (<{KG.Person}>, <{KG.Organisation}>, <{KG.Place}>))
            OPTIONAL {{ ?e <{SCHEMA.alternateName}> ?alt }} }} }}""")
        types = {str(KG.Person): "Person", str(KG.Organisation): "Organisation", str(KG.Place): "Place"}
        for r in rows:
            iri = r["e"].value
            index.add(iri, types[r["t"].value], r["n"].value, {r["alt"].value} if r["alt"] is not None else set(),
                      findable=not store.minter.has_sense(iri))
        for r in store.query(f"""SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE {{
                GRAPH ?a {{ ?e <{KG.surfaceForm}> ?f }} FILTER(CONTAINS(STR(?f), " ")) }} GROUP BY ?e"""):
            if (k := index.known.get(r["e"].value)) is not None:
                k.articles = int(r["n"].value)
        for r in store.query(f"""SELECT ?e ?n (COUNT(DISTINCT ?a) AS ?c) WHERE {{
                GRAPH ?a {{ ?e <{KG.nameInArticle}> ?n }} }} GROUP BY ?e ?n"""):
            if (k := index.known.get(r["e"].value)) is not None:
                k.given[r["n"].value] = int(r["c"].value)
        for r in store.query(f"""SELECT ?p ?label WHERE {{ GRAPH {g} {{
                ?m <{ORG.member}> ?p ; <{ORG.role}> ?r . ?r <{RDFS.label}> ?label }} }}"""):
            if (k := index.known.get(r["p"].value)) is not None:
                k.roles.add(r["label"].value)
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
            self.by_name.setdefault((etype, name_key(nm)), set()).add(iri)
        key = name_key(name)
        if etype == "Person" and len(key.split()) >= 2:
            self.by_surname.setdefault(surname(name), set()).add(iri)
            self.by_first.setdefault(key.split()[0], set()).add(iri)
            self.by_loose.setdefault(without_initials(key), set()).add(iri)
            if len(key.split()) >= 3:
                self.by_tail.setdefault(key.split(" ", 1)[1], set()).add(iri)

    def remove(self, iri: str) -> Known | None:
        k = self.known.pop(iri, None)
        if k:
            for nm in k.names:
                self.by_name.get((k.type, name_key(nm)), set()).discard(iri)
            key = name_key(k.name)
            for index, part in ((self.by_surname, surname(k.name)), (self.by_first, key.split(" ")[0]),
                                (self.by_loose, without_initials(key)), (self.by_tail, key.partition(" ")[2])):
                index.get(part, set()).discard(iri)
        return k

    def _find(self, etype: str, names: list[str]) -> str | None:
        for nm in names:
            key = name_key(nm)
            hits = sorted(self.by_name.get((etype, key), ()))
            if len(hits) == 1:
                return hits[0]
            if hits:  # several entities share this name: the one whose canonical name it is
                own = [h for h in hits if name_key(self.known[h].name) == key]
                if len(own) == 1:
                    return own[0]
        return None

    def _dominant(self, candidates: set[str], exclude: str | None = None) -> str | None:
        """The candidate with by far the most articles, if there is one."""
        ranked = sorted((c for c in candidates if c != exclude), key=lambda c: (-self.known[c].articles, c))
        if not ranked:
            return None
        top = self.known[ranked[0]].articles
        second = self.known[ranked[1]].articles if len(ranked) > 1 else 0
        return ranked[0] if top >= MIN_ARTICLES and top >= DOMINANCE * max(second, 1) else None

    def namesake(self, name: str, titles: set[str], exclude: set[str] = frozenset()) -> str | None:
        """The store person a bare surname means: the one whose titles fit, the only one, or the one
        by far the most named; None when that is not clear. `exclude`: the people its own article
        names in full and kept apart from it ("Jones" beside his mother "Ann Jones")."""
        key = name_key(name)
        # the surname last ("Trump") or first, as Korean and Chinese names put it ("Kim", "Xi")
        candidates = (self.by_surname.get(key, set()) | self.by_first.get(key, set())) - exclude
        if titles:
            fitting = {c for c in candidates if self.known[c].roles & titles}
            if len(fitting) == 1:
                return fitting.pop()
            candidates = {c for c in candidates if not self.known[c].roles or self.known[c].roles & titles}
        if len(candidates) == 1:
            return next(iter(candidates))
        return self._dominant(candidates)

    def variant(self, name: str, exclude: str | None = None) -> str | None:
        """The dominant person whose name is this one without its middle initials, or whose name
        ends with this one ("Trump Jr." for "Donald Trump Jr.")."""
        key = name_key(name)
        loose = without_initials(key)
        tail = {c for c in self.by_tail.get(key, set()) if c != exclude}
        if tail:
            return next(iter(tail)) if len(tail) == 1 else self._dominant(tail)
        if loose == key:
            return None
        plain = {c for c in self.by_loose.get(loose, set()) if name_key(self.known[c].name) == loose}
        return self._dominant(plain, exclude)

    def link(self, entities: list[Entity], senses: dict[str, int] | None = None,
             titles: dict[str, set[str]] | None = None) -> Link:
        """IRIs for the article's entities. `senses` gives places whose reading the article decided
        (key -> GeoNames id): they get IRIs of their own and are not found by name alone. `titles`:
        the role labels the article gives each entity key. An entity keeps the type its article
        gives it: taking the type of whichever namesake the store holds first made the graph
        depend on the order of arrival."""
        iris: dict[str, str] = {}
        renames: list[tuple[str, str]] = []
        changed: dict[str, bool] = {}
        titles = titles or {}
        for e in sorted(entities, key=lambda e: (-len(e.name.split()), e.key)):
            if senses and e.key in senses:
                iris[e.key] = self.minter.entity(e.type, e.name, senses[e.key]).value
                self.add(iris[e.key], e.type, e.name, {e.name, *e.aliases}, findable=False)
                continue
            names = [e.name, *[a for a in e.aliases if len(a.split()) >= len(e.name.split())]]
            etype = e.type
            bare = etype == "Person" and len(name_key(e.name).split()) == 1
            # a bare surname is always decided the same way (consolidate decides it again), never by
            # whichever bare mention of it the store happens to hold already
            iri = None if bare else self._find(etype, names)
            if iri is None and etype == "Person":
                words = len(name_key(e.name).split())
                iri = self.namesake(e.name, titles.get(e.key, set()), set(iris.values())) if words == 1 \
                    else self.variant(e.name)
            counts = Counter(self.known[iri].given) if iri is not None else Counter()
            counts[e.name] += 1
            canonical = canonical_name(counts)
            new_iri = self.minter.entity(etype, canonical).value
            all_names = {e.name, *e.aliases}
            carried = Known(etype, canonical)
            if iri is not None and iri != new_iri:
                old = self.remove(iri)
                renames.append((iri, new_iri))
                if old:
                    all_names |= old.names
                    carried.articles, carried.roles = old.articles, set(old.roles)
                for key, v in iris.items():
                    if v == iri:
                        iris[key] = new_iri
                if (target := self.known.get(new_iri)) is not None:  # it joins an entity the store has
                    counts += target.given
                    canonical = canonical_name(counts)
            before = self.known.get(new_iri)
            if before is not None and before.name != canonical:
                changed[new_iri] = True
            self.add(new_iri, etype, canonical, all_names)
            k = self.known[new_iri]
            k.given = counts
            # evidence counts the articles that name a person in full, never bare mentions
            k.articles += carried.articles + any(len(n.split()) >= 2 for n in (e.name, *e.aliases))
            k.roles |= carried.roles | titles.get(e.key, set())
            iris[e.key] = new_iri
        return Link(iris, renames, {i: self.known[i].name for i in changed if i in self.known})

    def variant_merges(self) -> list[tuple[str, str]]:
        """Store people whose name is a middle-initial variant of a dominant person's."""
        out = []
        for iri, k in sorted(self.known.items()):
            if k.type == "Person" and len(name_key(k.name).split()) >= 2 and (target := self.variant(k.name, iri)):
                out.append((iri, target))
        return out


def consolidate(store: Store) -> Changes:
    """Decide again, with the whole store's evidence, every person that is a middle-initial variant
    and every bare-surname mention; move what changed and refresh the shared graph. Returns what
    fusion must decide again: the articles whose mentions moved or whose meetings' memberships
    changed, the entities renamed."""
    index = EntityIndex.of_store(store)  # the store's evidence, not what the order of linking left in memory
    merges = index.variant_merges()
    merges += [m for m in _mistyped(store, index) if m[0] not in {old for old, _new in merges}]
    changes = Changes()
    if merges:
        changes.articles |= articles_mentioning(store, {old for old, _new in merges})
        store.apply_renames(merges, {new: index.known[new].name for _old, new in merges})
        index = EntityIndex.of_store(store)
    g = store.minter.shared_graph
    bare = store.query(f"""SELECT ?a ?e (GROUP_CONCAT(?f; separator="\\n") AS ?forms) WHERE {{
        GRAPH ?a {{ ?e <{KG.surfaceForm}> ?f }} GRAPH {g} {{ ?e a <{KG.Person}> }} }}
        GROUP BY ?a ?e HAVING (SUM(IF(CONTAINS(STR(?f), " "), 1, 0)) = 0)""")
    titles: dict[tuple[str, str], set[str]] = {}
    for r in store.query(f"""SELECT ?a ?e ?label WHERE {{ GRAPH ?a {{ ?a <{SCHEMA.mentions}> ?m }}
            GRAPH {g} {{ ?m <{ORG.member}> ?e ; <{ORG.role}> ?r . ?r <{RDFS.label}> ?label }} }}"""):
        titles.setdefault((r["a"].value, r["e"].value), set()).add(r["label"].value)
    named: dict[str, set[str]] = {}  # article -> the people it names in full
    for r in store.query(f"""SELECT DISTINCT ?a ?e WHERE {{ GRAPH ?a {{ ?e <{KG.surfaceForm}> ?f }}
            FILTER(CONTAINS(STR(?f), " ")) GRAPH {g} {{ ?e a <{KG.Person}> }} }}"""):
        named.setdefault(r["a"].value, set()).add(r["e"].value)
    moves = []
    for r in sorted(bare, key=lambda r: (r["a"].value, r["e"].value)):
        a, e, known = r["a"].value, r["e"].value, index.known.get(r["e"].value)
        form = _form(r["forms"].value.split("\n"), known)
        own = known is not None and name_key(form) == name_key(known.name)  # its IRI comes from its canonical name
        target = index.namesake(form, titles.get((a, e), set()), named.get(a, set())) or \
            (e if own else store.minter.entity("Person", form).value)
        if target != e:
            moves.append((a, e, target))
    if not moves and not merges:
        return changes
    touched = {e for _a, e, _t in moves} | {t for _a, _e, t in moves} | {x for pair in merges for x in pair}
    changes.articles |= {a for a, _e, _t in moves}
    ops, memberships = [], set()
    for a, e, target in moves:
        ops += rename_ops(e, target, graph=sparql.iri(a))
        for r in store.query(f"""SELECT ?m ?org ?label WHERE {{ GRAPH {sparql.iri(a)} {{ {sparql.iri(a)} <{SCHEMA.mentions}> ?m }}
                GRAPH {g} {{ ?m <{ORG.member}> {sparql.iri(e)} ; <{ORG.role}> ?r . ?r <{RDFS.label}> ?label
                OPTIONAL {{ ?m <{ORG.organization}> ?org }} }} }}"""):
            org = r["org"].value if r["org"] is not None else None
            moved = store.minter.membership(target, org, r["label"].value)
            ops += rename_ops(r["m"].value, moved.value, graph=sparql.iri(a))
            ops.append(_membership_insert(store, moved, target, org, r["label"].value))
            memberships |= {r["m"].value, moved.value}
    held = membership_pairs(store, memberships)
    if ops:
        store.update(" ;\n".join(ops))
    renames = refresh(store, touched | memberships)
    changes.articles |= acted_for(store, held, membership_pairs(store, memberships))
    changes.entities |= {new for _old, new in renames}
    return changes


def _form(forms: list[str], entity: Known | None) -> str:
    """The one of an article's bare forms of a person that decides its link: one of the person's own
    name when there is one, else the first in a fixed order."""
    own = [f for f in forms if entity is not None and name_key(f) == name_key(entity.name)]
    return min(own or forms)


def _mistyped(store: Store, index: EntityIndex) -> list[tuple[str, str]]:
    """Organisations and places that are a dominant person's name or surname as the model mistyped
    it ("Trump officials": ORG): they join that person. Not a meeting's place, nor a name that
    GeoNames knows as a place. The store is asked only about the few names a person holds."""
    pairs = []
    for x, k in sorted(index.known.items()):
        if k.type == "Person" or store.minter.has_sense(x):
            continue
        key = name_key(k.name)
        same = sorted(index.by_name.get(("Person", key), ())) if len(key.split()) >= 2 else []
        target = same[0] if len(same) == 1 else index.namesake(k.name, set()) if len(key.split()) == 1 else None
        if target is not None and not candidates(k.name):
            pairs.append((x, target))
    if not pairs:
        return []
    values = sparql.iris(x for x, _t in pairs)
    g = store.minter.shared_graph
    located = {r["x"].value for r in store.query(
        f"SELECT DISTINCT ?x WHERE {{ VALUES ?x {{ {values} }} GRAPH ?a {{ ?m <{KG.location}> ?x }} }}")}
    mentioned = {r["e"].value: int(r["n"].value) for r in store.query(
        f"""SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE {{ VALUES ?e {{ {values} }}
            GRAPH ?a {{ ?a <{SCHEMA.mentions}> ?e }} FILTER(?a != {g}) }} GROUP BY ?e""")}
    return [(x, target) for x, target in pairs if x not in located and
            index.known[target].articles >= DOMINANCE * max(mentioned.get(x, 0), 1)]


def _membership_insert(store: Store, m: ox.NamedNode, member: str, org: str | None, label: str) -> str:
    g = store.minter.shared_graph
    r = store.minter.role(label)
    triples = [f"{m} a <{ORG.Membership}>", f"{m} <{ORG.member}> {sparql.iri(member)}", f"{m} <{ORG.role}> {r}",
               f"{r} a <{ORG.Role}>", f"{r} <{RDFS.label}> {ox.Literal(label)}"]
    if org:
        triples.append(f"{m} <{ORG.organization}> {sparql.iri(org)}")
    return f"INSERT DATA {{ GRAPH {g} {{ {' . '.join(triples)} }} }}"
