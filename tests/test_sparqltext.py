"""Edits of SPARQL text: keywords inside strings, IRIs and comments are never touched."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.serve.sparqltext import add_using, capped, declares_dataset, service_targets


@pytest.mark.parametrize("query, targets", [
    ("SELECT * { SERVICE <http://a/sparql> { ?s ?p ?o } }", ["http://a/sparql"]),
    ("SELECT * { SERVICE SILENT <http://a/q> { ?s ?p ?o } SERVICE ?x { ?s ?p ?o } }", ["http://a/q", None]),
    ('SELECT * { ?s ?p "SERVICE <http://a/>" } # SERVICE <http://b/>', []),
    ("SELECT * { ?s <http://x/SERVICE> ?o }", []),
])
def test_sparqltext_service_targets(query, targets):
    assert service_targets(query) == targets


@pytest.mark.parametrize("query, limit, expected", [
    ("SELECT * WHERE { ?s ?p ?o }", 10, "SELECT * WHERE { ?s ?p ?o }\nLIMIT 10\n"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 500", 10, "SELECT * WHERE { ?s ?p ?o } LIMIT 10"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 5", 10, None),
    ("SELECT * WHERE { { SELECT * { ?s ?p ?o } LIMIT 3 } }", 10, "SELECT * WHERE { { SELECT * { ?s ?p ?o } LIMIT 3 } }\nLIMIT 10\n"),
    ("SELECT * WHERE { ?s ?p ?o } VALUES ?s { <http://a> }", 10, "SELECT * WHERE { ?s ?p ?o } LIMIT 10\nVALUES ?s { <http://a> }"),
    ("ASK { ?s ?p ?o }", 10, None),
    ("CONSTRUCT WHERE { ?s ?p ?o } # trailing comment", 10, "CONSTRUCT WHERE { ?s ?p ?o } # trailing comment\nLIMIT 10\n"),
])
def test_sparqltext_capped(query, limit, expected):
    out = capped(query, limit)
    assert out == expected
    if out is not None:
        ox.Store().query(out)  # still valid SPARQL


def test_sparqltext_add_using_only_before_modify_where():
    update = ("INSERT DATA { <http://a> <http://b> 'WHERE' } ; "
              "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o } ; DELETE WHERE { ?s ?p 2 }")
    out = add_using(update, ["http://g1"], ["http://g2"])
    assert out.count("USING <http://g1> USING NAMED <http://g2> WHERE") == 1
    assert "'WHERE'" in out and "DELETE WHERE { ?s ?p 2 }" in out
    ox.Store().update(out)


@pytest.mark.parametrize("update, declared", [
    ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
    ("DELETE { ?s ?p ?o } USING <http://g> WHERE { ?s ?p ?o }", True),
    ("INSERT DATA { <http://a> <http://b> 'USING WITH' }", False),
])
def test_sparqltext_declares_dataset(update, declared):
    assert declares_dataset(update) is declared
