"""Facts -> RDF quads: the only module that mints terms. One named graph per article, plus the
shared graph that holds what several articles support (entity types and names, roles) once."""
from __future__ import annotations

import re

from pyoxigraph import Literal, NamedNode, Quad

from kg.rdf.ids import article_slug, short_hash, slug
from kg.model import ArticleFacts, Span, TimeValue
from kg.rdf.vocab import KG, ORG, RDF, RDFS, SCHEMA, XSD

RDF_TYPE = NamedNode(str(RDF.type))
RDFS_LABEL = NamedNode(str(RDFS.label))
PUBLISHER = "publisher"  # the entity key of the article's publisher among the linked IRIs
TYPE_PATH = {"Person": "person", "Organisation": "organisation", "Place": "place"}
TYPE_CLASSES = {"Person": (KG.Person, SCHEMA.Person), "Organisation": (KG.Organisation, SCHEMA.Organization),
                "Place": (KG.Place, SCHEMA.Place)}


def n(iri: object) -> NamedNode:
    return iri if isinstance(iri, NamedNode) else NamedNode(str(iri))


class Minter:
    """Deterministic IRIs under one base."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.shared_graph = NamedNode(base + "graph/entities")
        self.events_graph = NamedNode(base + "graph/events")  # events and quotations across articles

    def article(self, article_id: str) -> NamedNode:
        return NamedNode(f"{self.base}article/{article_slug(article_id)}")

    def entity(self, etype: str, name: str, sense: int | None = None) -> NamedNode:
        """`sense`: the GeoNames id of a place whose reading came from its article's context, so
        that Georgia the country and Georgia the US state are two places."""
        suffix = f"-gn{sense}" if sense is not None else ""
        return NamedNode(f"{self.base}{TYPE_PATH[etype]}/{slug(name)}{suffix}")

    def entity_type(self, iri: str) -> str | None:
        """'Person' for an IRI minted by `entity("Person", ...)`; None for any other IRI."""
        head, _, rest = iri.removeprefix(self.base).partition("/")
        if not iri.startswith(self.base) or "/" in rest:
            return None
        return next((t for t, path in TYPE_PATH.items() if path == head), None)

    @staticmethod
    def sense(iri: str) -> int | None:
        m = re.search(r"/place/[^/]*-gn(\d+)$", iri)
        return int(m.group(1)) if m else None

    @staticmethod
    def has_sense(iri: str) -> bool:
        return re.search(r"/place/[^/]*-gn\d+$", iri) is not None

    def role(self, label: str) -> NamedNode:
        return NamedNode(f"{self.base}role/{slug(label)}")

    def membership(self, member: str, org: str | None, label: str) -> NamedNode:
        return NamedNode(f"{self.base}membership/{short_hash(member, org, label)}")

    def is_membership(self, iri: str) -> bool:
        return iri.startswith(f"{self.base}membership/")

    def event(self, key: str) -> NamedNode:
        return NamedNode(f"{self.base}event/{key}")

    def quotation(self, key: str) -> NamedNode:
        return NamedNode(f"{self.base}quotation/{key}")

    def evidence(self, article: NamedNode, span: Span) -> NamedNode:
        return NamedNode(f"{article.value}/sentence/{span.start}-{span.end}")


def entity_quads(minter: Minter, iri: str, etype: str, name: str, aliases: set[str]) -> list[Quad]:
    """The shared description of one entity: its types, one canonical name, its other names."""
    g, s = minter.shared_graph, NamedNode(iri)
    out = [Quad(s, RDF_TYPE, n(c), g) for c in TYPE_CLASSES[etype]]
    out.append(Quad(s, n(SCHEMA.name), Literal(name), g))
    out.extend(Quad(s, n(SCHEMA.alternateName), Literal(a), g) for a in sorted(aliases - {name}))
    return out


def article_quads(facts: ArticleFacts, minter: Minter, iris: dict[str, str]) -> tuple[list[Quad], list[Quad]]:
    """(the article's own graph, the shared facts it supports). `iris` maps entity keys to IRIs."""
    art = facts.article
    a = minter.article(art.id)
    own: list[Quad] = []
    shared: list[Quad] = []

    def add(s: NamedNode, p: object, o: object) -> None:
        own.append(Quad(s, n(p), o, a))

    add(a, RDF_TYPE, n(KG.Article))
    add(a, RDF_TYPE, n(SCHEMA.NewsArticle))
    add(a, SCHEMA.identifier, Literal(art.id))
    add(a, SCHEMA.articleBody, Literal(art.text))
    add(a, KG.contentHash, Literal(art.content_hash))
    if art.title:
        add(a, SCHEMA.headline, Literal(art.title))
    if art.published:
        add(a, SCHEMA.datePublished, Literal(art.published.isoformat(), datatype=n(XSD.date)))
    if art.url and _is_iri(art.url):
        add(a, SCHEMA.url, NamedNode(art.url))
    if art.publisher and PUBLISHER in iris:  # linked like the organisations the text names
        pub = NamedNode(iris[PUBLISHER])
        add(a, SCHEMA.publisher, pub)
        add(pub, KG.surfaceForm, Literal(art.publisher))
        add(pub, KG.nameInArticle, Literal(art.publisher))
    elif art.publisher:
        pub = minter.entity("Organisation", art.publisher)
        add(a, SCHEMA.publisher, pub)
        shared.extend(entity_quads(minter, pub.value, "Organisation", art.publisher, set()))

    def evidence(span: Span) -> NamedNode:
        ev = minter.evidence(a, span)
        add(ev, RDF_TYPE, n(KG.Evidence))
        add(ev, KG.inArticle, a)
        add(ev, KG.beginIndex, _int(span.start))
        add(ev, KG.endIndex, _int(span.end))
        add(ev, KG.sentence, Literal(art.text[span.start:span.end]))
        return ev

    iris = dict(iris)
    for e in facts.entities:
        if e.type == "Agent":  # an unnamed source belongs to its article alone
            iris[e.key] = f"{a.value}/source/{slug(e.name)}"
            add(NamedNode(iris[e.key]), RDF_TYPE, n(KG.Agent))
            add(NamedNode(iris[e.key]), SCHEMA.name, Literal(e.name))
    for key in sorted(iris.keys() - {PUBLISHER}):
        add(a, SCHEMA.mentions, NamedNode(iris[key]))
    for e in facts.entities:
        if e.type != "Agent" and e.key in iris:  # the names this article gives it (kg.link.shared)
            for form in sorted({e.name, *e.aliases}):
                add(NamedNode(iris[e.key]), KG.surfaceForm, Literal(form))
            add(NamedNode(iris[e.key]), KG.nameInArticle, Literal(e.name))

    for role in facts.roles:
        member = iris[role.member]
        org = iris.get(role.organization) if role.organization else None
        m = minter.membership(member, org, role.label)
        r = minter.role(role.label)
        shared += [Quad(m, RDF_TYPE, n(ORG.Membership), minter.shared_graph),
                   Quad(m, n(ORG.member), NamedNode(member), minter.shared_graph),
                   Quad(m, n(ORG.role), r, minter.shared_graph),
                   Quad(r, RDF_TYPE, n(ORG.Role), minter.shared_graph),
                   Quad(r, RDFS_LABEL, Literal(role.label), minter.shared_graph)]
        if org:
            shared.append(Quad(m, n(ORG.organization), NamedNode(org), minter.shared_graph))
        add(a, SCHEMA.mentions, m)
        add(m, KG.evidence, evidence(role.evidence))

    for i, mt in enumerate(facts.meetings, 1):
        m = NamedNode(f"{a.value}/meeting/{i}")
        add(a, SCHEMA.mentions, m)
        add(m, RDF_TYPE, n(KG.Meeting))
        if mt.kind == "phone":
            add(m, RDF_TYPE, n(KG.PhoneCall))
        elif mt.kind == "video":
            add(m, RDF_TYPE, n(KG.VideoCall))
        for p in mt.participants:
            add(m, KG.participant, NamedNode(iris[p]))
        if mt.confidence is not None:
            add(m, KG.confidence, decimal(mt.confidence))
            for k, (p, sure) in enumerate(zip(mt.participants, mt.participant_confidence), 1):
                pp = NamedNode(f"{m.value}/participant/{k}")
                add(m, KG.participation, pp)
                add(pp, RDF_TYPE, n(KG.Participation))
                add(pp, KG.agent, NamedNode(iris[p]))
                add(pp, KG.confidence, decimal(sure))
        if mt.location:
            add(m, KG.location, NamedNode(iris[mt.location]))
        if mt.date:
            add(m, KG.date, time_literal(mt.date))
        add(m, KG.status, n(getattr(KG, mt.status)))
        add(m, KG.trigger, Literal(mt.trigger))
        if mt.round:
            add(m, KG.round, _int(mt.round))
        for span in mt.evidence:
            add(m, KG.evidence, evidence(span))

    for i, st in enumerate(facts.statements, 1):
        s = NamedNode(f"{a.value}/statement/{i}")
        add(a, SCHEMA.mentions, s)
        add(s, RDF_TYPE, n(KG.Statement))
        add(s, KG.speaker, NamedNode(iris[st.speaker]))
        add(s, KG.text, Literal(st.text))
        add(s, KG.direct, Literal("true" if st.direct else "false", datatype=n(XSD.boolean)))
        add(s, KG.reportingVerb, Literal(st.verb))
        if st.confidence is not None:
            add(s, KG.confidence, decimal(st.confidence))
        if st.speaker_confidence is not None:
            add(s, KG.speakerConfidence, decimal(st.speaker_confidence))
        add(s, KG.beginIndex, _int(st.text_span.start))
        add(s, KG.endIndex, _int(st.text_span.end))
        if st.date:
            add(s, KG.date, time_literal(st.date))
        for about in st.about:
            add(s, KG.about, NamedNode(iris[about]))
        add(s, KG.evidence, evidence(st.evidence))
    return _unique(own), _unique(shared)


def decimal(p: float) -> Literal:
    """A probability as xsd:decimal with three places (deterministic text)."""
    return Literal(f"{min(1.0, max(0.0, p)):.3f}", datatype=n(XSD.decimal))


def _int(v: int) -> Literal:
    return Literal(str(v), datatype=n(XSD.integer))


def time_literal(t: TimeValue) -> Literal:
    return Literal(t.value, datatype=n(XSD[t.granularity]))


def _is_iri(url: str) -> bool:
    return url.startswith(("http://", "https://")) and not any(c in url for c in ' <>"{}|\\^`')


def _unique(quads: list[Quad]) -> list[Quad]:
    return list(dict.fromkeys(quads))
