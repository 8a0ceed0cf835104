"""Real SPARQL clients against the endpoint on 127.0.0.1: SPARQLWrapper, rdflib's SPARQLStore,
and a federated SERVICE query evaluated by another engine (pyoxigraph)."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

PEOPLE = """PREFIX kg: <https://w3id.org/newskg/ns#> PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?name WHERE { ?p a kg:Person ; schema:name ?name } ORDER BY ?name"""


@pytest.mark.parametrize("fmt", [JSON, XML, CSV])
def test_clients_sparqlwrapper_select(live_server, fmt):
    sw = SPARQLWrapper(live_server + "/sparql")
    sw.setQuery(PEOPLE)
    sw.setReturnFormat(fmt)
    result = sw.query().convert()
    if fmt == JSON:
        names = [b["name"]["value"] for b in result["results"]["bindings"]]
    elif fmt == XML:
        names = [n.firstChild.data for n in result.getElementsByTagName("literal")]
    else:
        names = result.decode().splitlines()[1:]
    assert "Dmitry Peskov" in names and "Vladimir Putin" in names


def test_clients_sparqlwrapper_construct(live_server):
    sw = SPARQLWrapper(live_server + "/sparql")
    sw.setQuery("PREFIX kg: <https://w3id.org/newskg/ns#> CONSTRUCT { ?a a kg:Article } WHERE { ?a a kg:Article }")
    sw.setReturnFormat(TURTLE)
    g = Graph().parse(data=sw.query().convert(), format="turtle")
    assert len(g) == 5


def test_clients_rdflib_sparqlstore_reads_a_graph(live_server):
    g = Graph(store=SPARQLStore(live_server + "/sparql", returnFormat="xml"))
    putin = URIRef("https://w3id.org/newskg/id/person/vladimir-putin")
    names = {str(o) for o in g.objects(putin, URIRef("https://schema.org/name"))}
    assert names == {"Vladimir Putin"}
    rows = list(g.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/newskg/ns#Statement> }"))
    assert int(rows[0][0]) > 20


def test_clients_federated_service_from_another_engine(live_server):
    local = ox.Store()
    local.add(ox.Quad(ox.NamedNode("http://example.org/watch"), ox.NamedNode("http://example.org/name"),
                      ox.Literal("Dmitry Peskov")))
    rows = list(local.query(f"""SELECT ?p ?n WHERE {{
        <http://example.org/watch> <http://example.org/name> ?n .
        SERVICE <{live_server}/sparql> {{ ?p <https://schema.org/name> ?n }} }}"""))
    assert [r["p"].value for r in rows] == ["https://w3id.org/newskg/id/person/dmitry-peskov"]
