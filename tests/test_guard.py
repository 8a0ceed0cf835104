"""The SERVICE / LOAD / nesting check decides on the parsed operation, whatever its spelling."""
from __future__ import annotations

import pytest

from kg.rdf.guard import MAX_NESTING, Refused, check_query, check_update

EVIL = "http://127.0.0.1:9/"


@pytest.mark.parametrize("query", [
    f"SELECT * {{ SERVICE <{EVIL}sparql> {{ ?s ?p ?o }} }}",
    f"SELECT * {{ SERVICE SILENT <{EVIL}sparql> {{ ?s ?p ?o }} }}",
    f"PREFIX : <http://a/> SELECT * {{ ?s :p\\#x ?o . SERVICE <{EVIL}> {{ ?a ?b ?c }} }}",
    f"SELECT * {{ ?s <http://e/\\u0041.#x> ?o . SERVICE <{EVIL}> {{ ?a ?b ?c }} }}",
    f"SELECT * {{ ?s ?p ?o OPTIONAL {{ {{ SELECT * {{ SERVICE <{EVIL}> {{ ?a ?b ?c }} }} }} }} }}",
    "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
    f"PREFIX ex: <{EVIL}> SELECT * {{ SERVICE ex:sparql {{ ?s ?p ?o }} }}",
    "SELECT * { SERVICE <relative> { ?s ?p ?o } }",
    f"SELECT * {{ SERVI\\u0043E <{EVIL}> {{ ?s ?p ?o }} }}",
    f"select * {{ service <{EVIL}> {{ ?s ?p ?o }} }}",
    f"SELECT * {{ ?s ?p ?o }} # a comment\nSELECT broken SERVICE <{EVIL}>",
])
def test_guard_refuses_service_not_allowed(query):
    with pytest.raises(Refused):
        check_query(query, base_iri="http://127.0.0.1:5000/sparql")


@pytest.mark.parametrize("query", [
    "SELECT * { ?s ?p ?o }",
    'SELECT * { ?s ?p "SERVICE <http://127.0.0.1:9/>" }',
    "SELECT * { ?s <http://example.org/service> ?o } # SERVICE <http://127.0.0.1:9/>",
    "SELECT ?service { ?service a schema:Service }",
])
def test_guard_lets_queries_without_outbound_calls_through(query):
    check_query(query)


def test_guard_allows_the_listed_endpoints_only():
    allow = ["https://query.wikidata.org/"]
    check_query("SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }", allow=allow)
    with pytest.raises(Refused, match="not allowed"):
        check_query("SELECT * { SERVICE <https://query.wikidata.org.evil/sparql> { ?s ?p ?o } }",
                    allow=["https://query.wikidata.org/"[:-1] + "/x"])
    with pytest.raises(Refused, match="variable"):
        check_query("SELECT * { SERVICE ?e { ?s ?p ?o } }", allow=allow)


@pytest.mark.parametrize("update", [
    f"LOAD <{EVIL}data.ttl>",
    f"LOAD SILENT <{EVIL}data.ttl> INTO GRAPH <http://g>",
    f"PREFIX ex: <{EVIL}> INSERT DATA {{ <http://a> <http://b> 1 }} ; LOAD ex:x",
    f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
])
def test_guard_refuses_load_and_service_in_updates(update):
    with pytest.raises(Refused):
        check_update(update)
    check_update(update, allow=[EVIL])


def test_guard_lets_plain_updates_through():
    check_update("INSERT DATA { <http://a> <http://b> 'LOAD SERVICE' }")


@pytest.mark.parametrize("opening, closing", [("{", "}"), ("OPTIONAL {", "}"), ("(", ")")])
def test_guard_refuses_deep_nesting_before_any_parser(opening, closing):
    n = 10_000
    inner = "?s ?p ?o" if opening != "(" else "FILTER(" + "(" * n + "1" + ")" * n + ")"
    query = ("SELECT * WHERE { " + opening * n + inner + closing * n + " }") if opening != "(" else \
        "SELECT * WHERE { ?s ?p ?o " + inner + " }"
    with pytest.raises(Refused, match="nests"):
        check_query(query)
    with pytest.raises(Refused, match="nests"):
        check_update("INSERT { ?s ?p ?o } WHERE " + "{" * n + "?s ?p ?o" + "}" * n)


def test_guard_accepts_nesting_up_to_the_limit():
    check_query("SELECT * WHERE " + "{" * MAX_NESTING + "?s ?p ?o" + "}" * MAX_NESTING)


@pytest.mark.parametrize("value", ["http://e/x> } ; DROP ALL ; SELECT * { <http://e/y",
                                   "http://e/a b", "http://e/{x}", "not an iri"])
def test_guard_bound_values_cannot_change_a_query(value):
    from kg.rdf.sparql import bind_values
    with pytest.raises(ValueError):
        bind_values("SELECT ?p ?o WHERE { ?x ?p ?o }", x=value)


def test_guard_bound_values_bind_at_the_start_of_the_where_group():
    import pyoxigraph as ox
    from kg.rdf.sparql import bind_values
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("1"), ox.NamedNode("http://e/g")))
    q = bind_values("SELECT ?a ?o WHERE { GRAPH ?a { ?x ?p ?o } }", a="http://e/g", x="http://e/a")
    assert [(r["a"].value, r["o"].value) for r in store.query(q)] == [("http://e/g", "1")]


@pytest.mark.parametrize("value", ["http://e/x> } ; DROP ALL ; INSERT DATA { <http://e/y", "http://e/a b", "no iri"])
def test_guard_an_iri_written_into_an_update_cannot_change_it(value):
    from kg.rdf.sparql import iri, iris
    with pytest.raises(ValueError):
        iri(value)
    with pytest.raises(ValueError):
        iris(["http://e/ok", value])


def test_guard_quad_data_keeps_every_literal_as_it_was():
    import pyoxigraph as ox
    from kg.rdf.sparql import quad_data
    texts = ['a"b\\c\nd\re\tf', "x'''y\"\"\"z } ; DROP ALL ; {", "\u2028 \x00 \x7f é"]
    e, g = ox.NamedNode("http://e/s"), ox.NamedNode("http://e/g")
    quads = [ox.Quad(e, e, ox.Literal(t, language="en") if i else ox.Literal(t), g if i % 2 else ox.DefaultGraph())
             for i, t in enumerate(texts)] + [ox.Quad(ox.BlankNode(), e, e, g)]
    store = ox.Store()
    store.update(f"INSERT DATA {{ {quad_data(quads)} }}")
    assert sorted(q.object.value for q in store if isinstance(q.object, ox.Literal)) == sorted(texts)
    assert len(store) == 4


def test_guard_the_writers_splice_no_iri_by_hand():
    """Every IRI that is not a vocabulary constant goes into SPARQL text through kg.rdf.sparql's
    iri/iris (NamedNode-checked): no line writes '<{name}>' of a variable into a query."""
    import pathlib
    import re
    root = pathlib.Path(__file__).resolve().parent.parent / "kg"
    spliced = re.compile(r"<\{(?![A-Z][A-Z_]*[.\[}])[^}]*\}>")
    found = [f"{p.relative_to(root)}:{i}: {line.strip()}" for p in sorted(root.rglob("*.py"))
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if spliced.search(line)]
    allowed = {"serve/describe.py", "rdf/guard.py", "rdf/vocab.py"}  # Turtle, an error message, PREFIXes
    assert [f for f in found if f.split(":")[0] not in allowed] == []


def test_guard_refuses_to_parse_a_huge_operation_that_mentions_service():
    import time
    query = "SELECT * { " + "?s ?p ?o . " * 200_000 + "SERVICE <http://e/> { ?a ?b ?c } }"
    t0 = time.monotonic()
    with pytest.raises(Refused, match="longer than"):
        check_query(query)
    assert time.monotonic() - t0 < 5
