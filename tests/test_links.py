"""Links out: a user's link table (CSV, Turtle) at ingest and by `kg link`; reconciliation by label
against a real SPARQL server (`oxigraph serve` on 127.0.0.1, loaded with a Wikidata-shaped sample)
with a threshold; an unreachable endpoint never stops an ingest."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.config import Config
from kg.ingest import ingest_records
from kg.link.outlinks import LinkTable, Reconciler
from kg.stores import EmbeddedStore
from kg.stores.base import Store

from .helpers import free_port, oxigraph_server, record

SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
WD = "http://www.wikidata.org/entity/"
TEXT = ("Vladimir Putin met Donald Trump in Helsinki. Joe Biden said the BBC was wrong. "
        "Putin said the talks were good.")
SAMPLE = f"""@prefix wd: <{WD}> . @prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
wd:Q7747 rdfs:label "Vladimir Putin"@en ; skos:altLabel "Putin"@en, "Vladimir Vladimirovich Putin"@en ; wdt:P31 wd:Q5 .
wd:Q22686 rdfs:label "Donald Trump"@en ; wdt:P31 wd:Q5 .
wd:Q30350 rdfs:label "Donald Trump"@en ; wdt:P31 wd:Q11424 .
wd:Q6279 rdfs:label "Joe Biden"@en ; wdt:P31 wd:Q5 .
wd:Q999001 rdfs:label "Joe Biden"@en ; wdt:P31 wd:Q5 .
wd:Q9531 rdfs:label "British Broadcasting Corporation"@en ; skos:altLabel "BBC"@en ; wdt:P31 wd:Q1616075 .
"""


def _same_as(store: Store) -> dict[str, str]:
    return {q.subject.value.rsplit("/", 1)[1]: q.object.value
            for q in store.ox.quads_for_pattern(None, ox.NamedNode(SAME_AS), None, None)
            if "sws.geonames.org" not in q.object.value}


@pytest.fixture(scope="module")
def wikidata_like(tmp_path_factory):
    """A real SPARQL server on 127.0.0.1 holding the sample."""
    tmp = tmp_path_factory.mktemp("wd")
    (tmp / "sample.ttl").write_text(SAMPLE)
    server, base = oxigraph_server(tmp / "db", load=str(tmp / "sample.ttl"), read_only=True)
    yield base + "/query"
    server.terminate()
    server.wait(10)


def test_links_csv_table_at_ingest(nlp, tmp_path):
    table = tmp_path / "links.csv"
    table.write_text(f"name,iri,type\nPutin,{WD}Q7747,Person\nBBC,{WD}Q9531,\n"
                     f"Helsinki,{WD}Q1757,Place\nDonald Trump,{WD}Q22686,Organisation\n")
    config = Config.load(env={"KG_LINK_TABLE": str(table)}, store=str(tmp_path / "s"))
    store = EmbeddedStore(config.store, config.base_iri)
    ingest_records([record(TEXT)], config, nlp=nlp, store=store)
    links = _same_as(store)
    assert links == {"vladimir-putin": WD + "Q7747", "bbc": WD + "Q9531", "helsinki": WD + "Q1757"}  # by alias too;
    # the row typed Organisation does not link the person Donald Trump


def test_links_turtle_table_and_ambiguous_names(tmp_path):
    ttl = tmp_path / "links.ttl"
    ttl.write_text(SAMPLE)
    table = LinkTable.load(ttl)
    assert table.lookup("Person", ["Vladimir Putin"]) == WD + "Q7747"
    assert table.lookup("Person", ["Joe Biden"]) is None  # two IRIs: no link
    assert table.lookup("Person", ["Nobody", "Putin"]) == WD + "Q7747"
    bad = tmp_path / "bad.csv"
    bad.write_text("label,target\nPutin,x\n")
    with pytest.raises(ValueError, match="name,iri"):
        LinkTable.load(bad)


def test_links_kg_link_reapplies_a_table_to_the_store(nlp, tmp_path, capsys):
    config = Config.load(env={}, store=str(tmp_path / "s"))
    ingest_records([record(TEXT)], config, nlp=nlp, store=EmbeddedStore(config.store, config.base_iri))
    table = tmp_path / "links.csv"
    table.write_text(f"name,iri\nJoe Biden,{WD}Q6279\n")
    assert main(["link", "--store", config.store, "--table", str(table)]) == 0
    assert "1 new owl:sameAs links" in capsys.readouterr().out
    assert main(["link", "--store", config.store, "--table", str(table)]) == 0
    assert "0 new owl:sameAs links" in capsys.readouterr().out
    assert _same_as(EmbeddedStore(config.store, config.base_iri, read_only=True)) == {"joe-biden": WD + "Q6279"}


def test_links_reconciliation_against_a_real_sparql_server(nlp, tmp_path, wikidata_like):
    config = Config.load(env={"KG_RECONCILE_ENDPOINT": wikidata_like}, store=str(tmp_path / "s"))
    store = EmbeddedStore(config.store, config.base_iri)
    ingest_records([record(TEXT)], config, nlp=nlp, store=store)
    # Putin and Trump: one fitting item each (the film "Donald Trump" is not a human); Biden: two
    # humans share the label (0.5 < 0.9); BBC is only an alias (0.8 < 0.9)
    assert _same_as(store) == {"vladimir-putin": WD + "Q7747", "donald-trump": WD + "Q22686"}
    lower = Reconciler(wikidata_like, threshold=0.75)
    assert lower.match("Organisation", "BBC") == WD + "Q9531"
    assert lower.match("Person", "Joe Biden") is None
    assert lower.match("Organisation", "Donald Trump") == WD + "Q30350"


def test_links_unreachable_endpoint_never_stops_an_ingest(nlp, tmp_path, caplog):
    config = Config.load(env={"KG_RECONCILE_ENDPOINT": f"http://127.0.0.1:{free_port()}/sparql"},
                         store=str(tmp_path / "s"))
    store = EmbeddedStore(config.store, config.base_iri)
    summary = ingest_records([record(TEXT, rid="a"), record(TEXT + " Again.", rid="b")], config, nlp=nlp, store=store)
    assert (summary.articles, summary.failed) == (2, 0)
    assert _same_as(store) == {}
    assert caplog.text.count("reconciliation against") == 1


def test_links_void_linksets_count_links_by_target(nlp, tmp_path):
    import rdflib

    from kg.serve.app import create_app
    table = tmp_path / "links.csv"
    table.write_text(f"name,iri\nVladimir Putin,{WD}Q7747\nJoe Biden,{WD}Q6279\n")
    config = Config.load(env={"KG_LINK_TABLE": str(table)}, store=str(tmp_path / "s"))
    store = EmbeddedStore(config.store, config.base_iri)
    ingest_records([record(TEXT)], config, nlp=nlp, store=store)  # Helsinki: a GeoNames link
    app = create_app(config, store=store)
    try:
        r = app.test_client().get("/.well-known/void", headers={"Accept": "text/turtle"})
        assert r.status_code == 200 and r.mimetype == "text/turtle"
        g = rdflib.Graph().parse(data=r.data, format="turtle")
        rows = g.query("""PREFIX void: <http://rdfs.org/ns/void#>
            SELECT ?space ?n WHERE { ?d void:subset ?ls . ?ls a void:Linkset ; void:triples ?n ;
              void:linkPredicate <http://www.w3.org/2002/07/owl#sameAs> ; void:objectsTarget ?t .
              ?t void:uriSpace ?space }""")
        assert {(str(s), int(n)) for s, n in rows} == {(WD, 2), ("https://sws.geonames.org/", 1)}
    finally:
        app.extensions["kg"].pool.close()
