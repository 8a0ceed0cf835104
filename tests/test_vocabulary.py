"""The code's vocabulary and ontology/kg.ttl agree, and the contract terms of SPEC §3 are all there."""
from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.rdf.vocab import KG, KG_NS
from tests.conftest import ROOT

ONTOLOGY = Graph().parse(ROOT / "ontology" / "kg.ttl")
CODE_TERMS = {KG_NS + name for name in KG.__annotations__}
ONTOLOGY_TERMS = {str(s) for s in ONTOLOGY.subjects() if str(s).startswith(KG_NS)}


def test_vocabulary_code_and_ontology_define_the_same_terms():
    assert CODE_TERMS == ONTOLOGY_TERMS


@pytest.mark.parametrize("term", sorted(ONTOLOGY_TERMS))
def test_vocabulary_every_term_has_label_and_comment(term):
    assert (URIRef(term), RDFS.label, None) in ONTOLOGY
    assert (URIRef(term), RDFS.comment, None) in ONTOLOGY


@pytest.mark.parametrize("term", ["Article", "Person", "Organisation", "Place", "Meeting", "PhoneCall", "Statement",
                                  "participant", "location", "date", "status", "speaker", "text", "direct",
                                  "reportingVerb", "about", "Proposed", "Planned", "Held", "Cancelled", "Postponed"])
def test_vocabulary_contract_terms_exist(term):
    assert KG_NS + term in ONTOLOGY_TERMS


@pytest.mark.parametrize("cls, parent", [
    ("Person", "https://schema.org/Person"), ("Organisation", "http://www.w3.org/ns/org#Organization"),
    ("Place", "https://schema.org/Place"), ("Article", "https://schema.org/NewsArticle"),
    ("Statement", "http://www.w3.org/ns/prov#Entity"),
])
def test_vocabulary_aligned_to_public_vocabularies(cls, parent):
    assert (URIRef(KG_NS + cls), RDFS.subClassOf, URIRef(parent)) in ONTOLOGY


def test_vocabulary_misspelt_term_is_an_error():
    with pytest.raises(AttributeError):
        KG.Meting  # noqa: B018


def test_vocabulary_classes_and_properties_are_declared():
    for term in ONTOLOGY_TERMS:
        types = set(ONTOLOGY.objects(URIRef(term), RDF.type))
        assert types & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, URIRef(KG_NS + "MeetingStatus")}, term
