"""Edits of SPARQL text: keywords inside strings, IRIs and comments are never touched."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.rdf.sparqltext import add_using, capped, declares_dataset, nesting, tokens


@pytest.mark.parametrize("query, depth", [
    ("SELECT * { ?s ?p ?o }", 1),
    ("SELECT * WHERE " + "{" * 40 + "?s ?p ?o" + "}" * 40, 40),
    ('SELECT * { ?s ?p "{{{{{{{{{{{{{{{{{{{{" } # {{{{{{{{{{{{{{{{{{{{', 1),
    ('SELECT * { ?s ?p "}}}}}}}}}}}}}}}}}}}}" ' + "{" * 30 + "}" * 30 + "}", 31),
    ("PREFIX : <http://a/> SELECT * { ?s :p\\#x ?o " + "{" * 30 + "}" * 30 + "}", 31),
    ("SELECT * { ?s <http://e/\\u0041.#x> ?o " + "(" * 30 + ")" * 30 + "}", 31),
    ("SELECT * { ?s ?p \"\"\"a \" b '' { \"\"\" " + "[" * 20 + "]" * 20 + "}", 21),
])
def test_sparqltext_nesting_counts_brackets_outside_strings_iris_and_comments(query, depth):
    assert nesting(query) == depth


@pytest.mark.parametrize("query, word", [
    ("PREFIX : <http://a/> SELECT * { ?s :p\\#x ?o . SERVICE <http://b/> { } }", ":p\\#x"),
    ("SELECT * { ?s <http://e/\\u0041.#x> ?o . SERVICE <http://b/> { } }", "<http://e/\\u0041.#x>"),
])
def test_sparqltext_tokens_keep_escapes_inside_their_terminal(query, word):
    texts = [t.text for t in tokens(query)]
    assert word in texts and "SERVICE" in texts


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
