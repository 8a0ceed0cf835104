"""The RDF mapping: exactly the contract vocabulary, article facts in the article's graph, shared facts once."""
from __future__ import annotations

from datetime import date

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic

from kg.model import Article, ArticleFacts, Entity, Meeting, Role, Span, Statement, TimeValue
from kg.rdf.triples import Minter, article_quads

BASE = "http://example.org/id/"
TEXT = "Kremlin spokesman Dmitry Peskov said Putin met Witkoff."


def _dataset(quads) -> Dataset:
    ds = Dataset()
    ds.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode(), format="nquads")
    return ds


def _facts() -> ArticleFacts:
    art = Article(id="a1", text=TEXT, title="Headline", published=date(2025, 5, 7), publisher="MENAFN",
                  content_hash="abc")
    ents = (Entity("P:Peskov", "Person", "Dmitry Peskov", ("Peskov",), (Span(18, 31),)),
            Entity("O:Kremlin", "Organisation", "Kremlin", (), (Span(0, 7),)),
            Entity("P:Putin", "Person", "Vladimir Putin", (), (Span(37, 42),)),
            Entity("P:Witkoff", "Person", "Steve Witkoff", (), (Span(47, 54),)))
    sentence = Span(0, len(TEXT))
    return ArticleFacts(
        article=art, entities=ents,
        roles=(Role("P:Peskov", "O:Kremlin", "spokesman", sentence),),
        meetings=(Meeting(("P:Putin", "P:Witkoff"), "meeting", "Held", None, TimeValue("2025-05-02", "date"),
                          (sentence,), "met"),),
        statements=(Statement("P:Peskov", "Putin met Witkoff", False, "say", None, ("P:Putin", "P:Witkoff"),
                              sentence, Span(37, 54)),))


EXPECTED = """
@prefix kg: <https://w3id.org/newskg/ns#> .
@prefix schema: <https://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <http://example.org/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<http://example.org/id/article/a1> {
  <http://example.org/id/article/a1> a kg:Article, schema:NewsArticle ;
    schema:identifier "a1" ; schema:headline "Headline" ; schema:datePublished "2025-05-07"^^xsd:date ;
    schema:articleBody "Kremlin spokesman Dmitry Peskov said Putin met Witkoff." ; kg:contentHash "abc" ;
    schema:publisher <http://example.org/id/organisation/menafn> ;
    schema:mentions <http://example.org/id/person/peskov>, <http://example.org/id/org/kremlin>,
      <http://example.org/id/person/putin>, <http://example.org/id/person/witkoff>, <MEMBERSHIP>,
      <http://example.org/id/article/a1/meeting/1>, <http://example.org/id/article/a1/statement/1> .
  <http://example.org/id/person/peskov> kg:surfaceForm "Dmitry Peskov", "Peskov" ; kg:nameInArticle "Dmitry Peskov" .
  <http://example.org/id/org/kremlin> kg:surfaceForm "Kremlin" ; kg:nameInArticle "Kremlin" .
  <http://example.org/id/person/putin> kg:surfaceForm "Vladimir Putin" ; kg:nameInArticle "Vladimir Putin" .
  <http://example.org/id/person/witkoff> kg:surfaceForm "Steve Witkoff" ; kg:nameInArticle "Steve Witkoff" .
  <MEMBERSHIP> kg:evidence <http://example.org/id/article/a1/sentence/0-55> .
  <http://example.org/id/article/a1/sentence/0-55> a kg:Evidence ; kg:inArticle <http://example.org/id/article/a1> ;
    kg:beginIndex 0 ; kg:endIndex 55 ; kg:sentence "Kremlin spokesman Dmitry Peskov said Putin met Witkoff." .
  <http://example.org/id/article/a1/meeting/1> a kg:Meeting ; kg:status kg:Held ; kg:trigger "met" ;
    kg:participant <http://example.org/id/person/putin>, <http://example.org/id/person/witkoff> ;
    kg:date "2025-05-02"^^xsd:date ; kg:evidence <http://example.org/id/article/a1/sentence/0-55> .
  <http://example.org/id/article/a1/statement/1> a kg:Statement ; kg:speaker <http://example.org/id/person/peskov> ;
    kg:text "Putin met Witkoff" ; kg:direct false ; kg:reportingVerb "say" ; kg:beginIndex 37 ; kg:endIndex 54 ;
    kg:about <http://example.org/id/person/putin>, <http://example.org/id/person/witkoff> ;
    kg:evidence <http://example.org/id/article/a1/sentence/0-55> .
}
<http://example.org/id/graph/entities> {
  <http://example.org/id/organisation/menafn> a kg:Organisation, schema:Organization ; schema:name "MENAFN" .
  <MEMBERSHIP> a org:Membership ; org:member <http://example.org/id/person/peskov> ;
    org:organization <http://example.org/id/org/kremlin> ; org:role <http://example.org/id/role/spokesman> .
  <http://example.org/id/role/spokesman> a org:Role ; rdfs:label "spokesman" .
}
"""


def test_triples_article_graph_and_shared_graph_are_isomorphic_to_the_contract():
    minter = Minter(BASE)
    iris = {"P:Peskov": BASE + "person/peskov", "O:Kremlin": BASE + "org/kremlin",
            "P:Putin": BASE + "person/putin", "P:Witkoff": BASE + "person/witkoff"}
    own, shared = article_quads(_facts(), minter, iris)
    membership = minter.membership(iris["P:Peskov"], iris["O:Kremlin"], "spokesman").value
    expected = Dataset()
    expected.parse(data=EXPECTED.replace("<MEMBERSHIP>", f"<{membership}>"), format="trig")
    got = _dataset(own + shared)
    for name in (BASE + "article/a1", BASE + "graph/entities"):
        g_exp, g_got = Graph(), Graph()
        for t in expected.graph(URIRef(name)):
            g_exp.add(t)
        for t in got.graph(URIRef(name)):
            g_got.add(t)
        _both, only_exp, only_got = graph_diff(g_exp, g_got)
        assert isomorphic(g_exp, g_got), (name, sorted(only_exp), sorted(only_got))
    assert {str(c.identifier) for c in got.graphs() if len(c)} == {BASE + "article/a1", BASE + "graph/entities"}


def test_triples_ids_are_deterministic_and_blank_node_free():
    minter = Minter(BASE)
    iris = {"P:Peskov": BASE + "p/1", "O:Kremlin": BASE + "o/1", "P:Putin": BASE + "p/2", "P:Witkoff": BASE + "p/3"}
    a = article_quads(_facts(), minter, iris)
    b = article_quads(_facts(), minter, iris)
    assert a == b
    assert not any(isinstance(t, ox.BlankNode) for q in a[0] + a[1] for t in (q.subject, q.object))
