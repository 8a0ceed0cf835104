"""The vocabulary: one closed DefinedNamespace per vocabulary, so a misspelt term is an error, not a
new IRI. The standard vocabularies come from rdflib (schema.org and XSD closed here: rdflib's own
only warn)."""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, VOID, DefinedNamespace
from rdflib.namespace import XSD as _XSD

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
    Event: URIRef
    Quotation: URIRef
    MeetingStatus: URIRef
    Participation: URIRef
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
    round: URIRef
    countryCode: URIRef
    surfaceForm: URIRef
    nameInArticle: URIRef
    report: URIRef
    statusAsOf: URIRef
    firstReported: URIRef
    firstOutlet: URIRef
    confidence: URIRef
    speakerConfidence: URIRef
    participation: URIRef
    agent: URIRef


class SCHEMA(SDO):
    _fail = True


class XSD(_XSD):
    _fail = True


PREFIXES: dict[str, str] = {
    "kg": KG_NS,
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
}

__all__ = ["KG", "KG_NS", "ORG", "OWL", "PREFIXES", "PROV", "RDF", "RDFS", "SCHEMA", "SKOS", "SPARQL_PROLOGUE",
           "VOID", "XSD"]

SPARQL_PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
