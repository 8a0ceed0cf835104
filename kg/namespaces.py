"""The vocabulary: one DefinedNamespace per vocabulary, so a misspelt term is an error, not a new IRI."""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

KG_NS = "https://w3id.org/newskg/ns#"


class KG(DefinedNamespace):
    _NS = Namespace(KG_NS)
    _fail = True

    # classes
    Article: URIRef
    Person: URIRef
    Organisation: URIRef
    Place: URIRef
    Agent: URIRef
    Meeting: URIRef
    PhoneCall: URIRef
    VideoCall: URIRef
    Statement: URIRef
    Evidence: URIRef
    MeetingStatus: URIRef
    # meeting statuses (individuals)
    Proposed: URIRef
    Planned: URIRef
    Held: URIRef
    Cancelled: URIRef
    Postponed: URIRef
    # properties
    participant: URIRef
    location: URIRef
    date: URIRef
    status: URIRef
    speaker: URIRef
    text: URIRef
    direct: URIRef
    reportingVerb: URIRef
    about: URIRef
    evidence: URIRef
    sentence: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    inArticle: URIRef
    contentHash: URIRef
    trigger: URIRef
    countryCode: URIRef


SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")

PREFIXES: dict[str, str] = {
    "kg": KG_NS,
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}

SPARQL_PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
