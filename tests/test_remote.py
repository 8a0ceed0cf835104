"""The graph in external SPARQL 1.1 stores, for real: `oxigraph serve` and OpenLink Virtuoso
(Debian's virtuoso-opensource; CI installs it) on 127.0.0.1. The same articles give the same
store contents and the same answers to every shipped query as the embedded store; re-ingest is
idempotent; a changed article replaces its graph."""
from __future__ import annotations

import collections
import os
import shutil

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.config import Config
from kg.rdf.queries import examples
from kg.ingest import ingest, ingest_records
from kg.stores import EmbeddedStore, open_store

from .conftest import SEEDS
from .helpers import oxigraph_server, record, virtuoso_server

HAS_VIRTUOSO = shutil.which("virtuoso-t") is not None


def _value(term):
    """A term's value, compared across stores: Virtuoso writes xsd:boolean as 0/1, numbers vary in
    form, and GROUP_CONCAT joins in no particular order (so ", "-separated parts are sorted)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        kind = term.datatype.value.rsplit("#", 1)[-1]
        if kind == "boolean":
            return {"1": "true", "0": "false"}.get(term.value, term.value)
        if kind in ("integer", "int", "long", "decimal", "double", "float"):
            return float(term.value)
        return (", ".join(sorted(term.value.split(", "))), term.language)
    return term.value


def _answers(store, text: str) -> collections.Counter:
    result = store.query(text)
    names = [v.value for v in result.variables]
    return collections.Counter(tuple(_value(row[n]) for n in names) for row in result)


def _quads(store) -> collections.Counter:
    return collections.Counter(tuple(_value(t) for t in (q.subject, q.predicate, q.object, q.graph_name))
                               for q in store.sorted_quads())


@pytest.fixture(params=["oxigraph", "virtuoso"])
def remote(request, tmp_path_factory):
    """Settings for a fresh external store of each kind."""
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "oxigraph":
        proc, base = oxigraph_server(tmp / "db")
        env = {"KG_STORE": f"sparql+{base}/query"}
    else:
        if not HAS_VIRTUOSO:
            if os.environ.get("CI"):
                pytest.fail("virtuoso-t is missing: .ci/run installs virtuoso-opensource")
            pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")
        proc, base = virtuoso_server(tmp / "db")
        env = {"KG_STORE": f"sparql+{base}/sparql", "KG_STORE_UPDATE": f"{base}/sparql-auth",
               "KG_STORE_GSP": f"{base}/sparql-graph-crud-auth", "KG_STORE_AUTH": "dba:dba"}
    yield env
    proc.terminate()
    proc.wait(30)


def test_remote_store_holds_what_the_embedded_store_holds(remote, nlp, tmp_path):
    embedded = EmbeddedStore(str(tmp_path / "embedded"), Config.load(env={}).base_iri)
    config = Config.load(env={**remote, "KG_BATCH_SIZE": "2"})
    summary = ingest([str(SEEDS)], config, nlp=nlp)
    ingest([str(SEEDS)], Config.load(env={}), nlp=nlp, store=embedded)
    store = open_store(config)
    assert (summary.articles, summary.failed) == (5, 0) and summary.quads == len(embedded)
    assert _quads(store) == _quads(embedded)

    again = ingest([str(SEEDS)], config, nlp=nlp)
    assert (again.articles, again.skipped) == (0, 5) and len(store) == len(embedded)

    # a later, fuller name renames an entity and re-mints its memberships, in both stores alike
    for text, rid in (("Secretary of State Clinton said the talks in Geneva were useful.", "r1"),
                      ("Secretary of State Hillary Clinton met Vladimir Putin in Geneva.", "r2")):
        ingest_records([record(text, rid=rid)], config, nlp=nlp)
        ingest_records([record(text, rid=rid)], Config.load(env={}), nlp=nlp, store=embedded)
    assert _quads(store) == _quads(embedded)
    assert any(q.subject.value.endswith("/person/hillary-clinton") for q in store.sorted_quads())
    events = [q for q in store.sorted_quads() if q.predicate.value.endswith("/ns#report")]  # fused alike too
    assert any("/event/" in q.subject.value for q in events) and any("/quotation/" in q.subject.value for q in events)

    first = sorted(SEEDS.iterdir())[0]
    changed = record(first.read_text() + "\n\nVladimir Putin met Donald Trump in Helsinki.", rid=first.stem)
    ingest_records([changed], config, nlp=nlp)
    ingest_records([changed], Config.load(env={}), nlp=nlp, store=embedded)
    assert _quads(store) == _quads(embedded)  # the article's graph replaced, nothing left over


def test_remote_cli_ingest_query_and_table(remote, monkeypatch, capsys, tmp_path):
    for k, v in remote.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("KG_SPACY_MODEL", "blank")
    assert main(["ingest", str(SEEDS)]) == 0
    assert main(["query", "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }"]) == 0
    assert "5" in [line.strip() for line in capsys.readouterr().out.splitlines()]  # the table's one cell
    assert main(["export", "--table", "people", "-o", str(tmp_path / "people.csv")]) == 0
    assert (tmp_path / "people.csv").read_text().startswith("person,name,aliases")
    table = tmp_path / "links.csv"
    table.write_text("name,iri\nUkraine,http://www.wikidata.org/entity/Q212\n")
    assert main(["link", "--table", str(table)]) == 0 and main(["link", "--table", str(table)]) == 0
    assert capsys.readouterr().out.splitlines()[-2:] == ["1 new owl:sameAs links", "0 new owl:sameAs links"]


@pytest.mark.model
def test_remote_shipped_queries_answer_as_the_embedded_store(remote, model_nlp, tmp_path):
    """The seeds through the statistical model into both stores; every shipped query, every row."""
    config = Config.load(env={**remote})
    ingest([str(SEEDS)], config, nlp=model_nlp)
    embedded = EmbeddedStore(str(tmp_path / "embedded"), config.base_iri)
    ingest([str(SEEDS)], Config.load(env={}), nlp=model_nlp, store=embedded)
    store = open_store(config)
    assert _quads(store) == _quads(embedded)
    answered = 0
    for name, query in examples().items():
        mine, theirs = _answers(embedded, query.text), _answers(store, query.text)
        assert theirs == mine, name
        answered += bool(mine)
    assert answered >= 8, "most shipped queries have answers on the seeds"
