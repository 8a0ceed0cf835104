"""The endpoint and pages: methods, formats by Accept (q-values) or format=, errors, limits,
timeouts that really stop the work, writes only with the token, linked-data pages."""
from __future__ import annotations

import re

import os
import threading
import time

import pyoxigraph as ox
import pytest

from kg.config import Config
from kg.rdf.vocab import KG_NS
from kg.ingest import ingest
from kg.stores import EmbeddedStore
from kg.serve.app import create_app
from tests.conftest import fixture_store

COUNT = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Article }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
BASE = "https://w3id.org/newskg/id/"


def _app(path, **env):
    config = Config.load(env={"KG_QUERY_TIMEOUT": "3", "KG_RESULT_LIMIT": "50", **env}, store=str(path / "store"))
    app = create_app(config, store=fixture_store(config))
    app.config["TESTING"] = True
    return app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = _app(tmp_path_factory.mktemp("web"))
    yield app
    app.extensions["kg"].pool.close()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.mark.parametrize("method", ["get", "form", "direct"])
def test_web_query_methods(client, method):
    if method == "get":
        r = client.get("/sparql", query_string={"query": COUNT})
    elif method == "form":
        r = client.post("/sparql", data={"query": COUNT})
    else:
        r = client.post("/sparql", data=COUNT, content_type="application/sparql-query")
    assert r.status_code == 200 and r.mimetype == "application/sparql-results+json"
    assert r.get_json()["results"]["bindings"][0]["n"]["value"] == "5"
    assert r.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("accept, fmt, mimetype", [
    ("text/csv", None, "text/csv"),
    ("application/sparql-results+xml", None, "application/sparql-results+xml"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", None, "application/sparql-results+xml"),
    ("text/*;q=0.8, application/sparql-results+json;q=0.1", None, "text/csv"),
    ("*/*", None, "application/sparql-results+json"),
    (None, "tsv", "text/tab-separated-values"),
    ("text/csv", "xml", "application/sparql-results+xml"),
])
def test_web_select_formats(client, accept, fmt, mimetype):
    r = client.get("/sparql", query_string={"query": COUNT, **({"format": fmt} if fmt else {})},
                   headers={"Accept": accept} if accept else {})
    assert r.status_code == 200 and r.mimetype == mimetype
    assert "Accept" in r.headers["Vary"]


@pytest.mark.parametrize("accept, mimetype, fmt", [
    (None, "text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/trig", "application/trig", ox.RdfFormat.TRIG),
    ("application/n-quads", "application/n-quads", ox.RdfFormat.N_QUADS),
])
def test_web_construct_formats(client, accept, mimetype, fmt):
    r = client.get("/sparql", query_string={"query": "CONSTRUCT { ?a a kg:Article } WHERE { ?a a kg:Article }"},
                   headers={"Accept": accept} if accept else {})
    assert r.status_code == 200 and r.mimetype == mimetype
    assert len(list(ox.parse(r.data, format=fmt))) == 5


def test_web_ask(client):
    r = client.get("/sparql", query_string={"query": "ASK { ?a a kg:Article }"})
    assert r.get_json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize("query, fragment", [("SELECT WHERE {", "error"), ("SELECT * WHERE { ?s ?p ?o } LIMT 3", "LIMT")])
def test_web_bad_query_is_400_with_the_parser_message(client, query, fragment):
    r = client.get("/sparql", query_string={"query": query})
    assert r.status_code == 400 and b"bad query" in r.data


def test_web_unacceptable_format_is_406(client):
    assert client.get("/sparql", query_string={"query": COUNT}, headers={"Accept": "image/png"}).status_code == 406


def test_web_result_limit_cuts_and_says_so(client):
    r = client.get("/sparql", query_string={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"})
    assert len(r.get_json()["results"]["bindings"]) == 50
    assert "50" in r.headers["X-KG-Truncated"]
    small = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 7"})
    assert len(small.get_json()["results"]["bindings"]) == 7 and "X-KG-Truncated" not in small.headers
    # a client may ask for fewer rows (the query page asks for its first rows), never for more
    asked = client.get("/sparql", query_string={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "limit": "9"})
    assert len(asked.get_json()["results"]["bindings"]) == 9 and "request's limit" in asked.headers["X-KG-Truncated"]
    more = client.get("/sparql", query_string={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "limit": "500"})
    assert len(more.get_json()["results"]["bindings"]) == 50 and "KG_RESULT_LIMIT" in more.headers["X-KG-Truncated"]
    for bad in ("0", "-3", "ten"):
        assert client.get("/sparql", query_string={"query": "ASK {}", "limit": bad}).status_code == 400


@pytest.mark.filterwarnings("error")  # a streamed answer left unread must not pop another request's context
@pytest.mark.parametrize("fmt", ["csv", "tsv", "xml", "json"])
def test_web_result_limit_in_every_format(client, fmt):
    """Answers longer in bytes than the row limit are counted in their own format (CSV included)."""
    import csv
    import io
    q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    for limit, cut in (("LIMIT 7", False), ("", True)):
        r = client.get("/sparql", query_string={"query": f"{q} {limit}", "format": fmt})
        assert r.status_code == 200 and ("X-KG-Truncated" in r.headers) == cut
        if fmt == "csv":
            assert len(list(csv.reader(io.StringIO(r.data.decode())))) - 1 == (50 if cut else 7)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xml", "json"])
def test_web_quick_row_bound_never_undercounts(fmt):
    """The byte-level row bound that spares a small answer its parse is never below the real count:
    empty rows, and literals holding the separators, newlines or markup, included."""
    from kg.serve.engine import FORMATS, _count, _most_rows
    store = ox.Store()
    q = 'SELECT ?x WHERE { VALUES ?x { UNDEF UNDEF "a},{b" "line\\none" "<result>" 1 } }'
    for rows in range(1, 7):
        body = store.query(f"{q} LIMIT {rows}").serialize(format=FORMATS.get(fmt).ox)
        assert _count("solutions", fmt, body) == rows <= _most_rows("solutions", fmt, body)


def test_web_service_federation_is_refused_by_default(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }"})
    assert r.status_code == 400 and b"not allowed" in r.data


def test_web_service_description_and_void(client):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    g = {(t.subject.value if hasattr(t.subject, "value") else "", t.predicate.value, t.object.value)
         for t in ox.parse(r.data, format=ox.RdfFormat.TURTLE)}
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert any(p == sd + "feature" and o == sd + "UnionDefaultGraph" for _s, p, o in g)
    triples = {s: int(o) for s, p, o in g if p == "http://rdfs.org/ns/void#triples"}
    assert triples[r.request.base_url + "#dataset"] > 1000
    html = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert html.mimetype == "text/html" and b"Who met whom" in html.data


def test_web_cors_preflight(client):
    r = client.options("/sparql", headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST"})
    assert r.status_code == 204 and "POST" in r.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("headers, status", [({}, 403)])
def test_web_read_only_without_a_token(client, headers, status):
    assert client.post("/update", data="CLEAR ALL", content_type="application/sparql-update",
                       headers=headers).status_code == status
    assert client.put("/store?graph=http://x/g", data="<http://x/a> <http://x/b> <http://x/c> .",
                      content_type="application/n-triples").status_code == status
    assert client.get("/sparql", query_string={"query": COUNT}).get_json()["results"]["bindings"][0]["n"]["value"] == "5"


def test_web_writes_need_the_right_token(tmp_path):
    app = _app(tmp_path, KG_UPDATE_TOKEN="s3cret")
    c = app.test_client()
    upd = "INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/b> 'c' } }"
    try:
        assert c.post("/update", data=upd, content_type="application/sparql-update").status_code == 401
        assert c.post("/update", data=upd, content_type="application/sparql-update",
                      headers={"Authorization": "Bearer wrong"}).status_code == 403
        assert c.post("/update", data=upd, content_type="application/sparql-update",
                      headers={"Authorization": "Bearer s3cret"}).status_code == 204
        # the write is visible to the next query (a new snapshot)
        r = c.get("/sparql", query_string={"query": "ASK { GRAPH <http://x/g> { <http://x/a> <http://x/b> 'c' } }"})
        assert r.get_json()["boolean"] is True
    finally:
        app.extensions["kg"].pool.close()


def test_web_validators_give_304_until_a_write(tmp_path):
    app = _app(tmp_path, KG_UPDATE_TOKEN="s3cret")
    c = app.test_client()
    q = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    try:
        first = c.get("/sparql", query_string=q)
        tag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache"
        again = c.get("/sparql", query_string=q, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == tag
        assert c.get("/sparql", query_string=q, headers={"If-Modified-Since": modified}).status_code == 304
        # another representation or another query is another entity
        other = c.get("/sparql", query_string=q, headers={"Accept": "text/csv", "If-None-Match": tag})
        assert other.status_code == 200 and other.headers["ETag"] != tag
        assert c.get("/sparql", query_string={"query": "ASK {}"}, headers={"If-None-Match": tag}).status_code == 200
        page = c.get("/newskg/id/person/vladimir-putin", headers={"Accept": "text/html"})
        assert c.get("/newskg/id/person/vladimir-putin", headers={"Accept": "text/html", "If-None-Match":
                                                                  page.headers["ETag"]}).status_code == 304
        # a write makes every validator stale: the next request is answered in full, with the new count
        assert c.post("/update", data="INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/b> 'c' } }",
                      content_type="application/sparql-update",
                      headers={"Authorization": "Bearer s3cret"}).status_code == 204
        after = c.get("/sparql", query_string=q, headers={"If-None-Match": tag})
        assert after.status_code == 200 and after.headers["ETag"] != tag
        n = lambda r: int(r.get_json()["results"]["bindings"][0]["n"]["value"])  # noqa: E731
        assert n(after) == n(first) + 1
        # writes and requests with credentials are never answered from a validator
        assert "ETag" not in c.post("/sparql", data=q).headers
    finally:
        app.extensions["kg"].pool.close()


def test_web_graph_store_multipart_takes_every_part(tmp_path):
    import io
    app = _app(tmp_path, KG_UPDATE_TOKEN="s3cret")
    parts = [("file", (io.BytesIO(f"<http://x/a> <http://x/b> \"{i}\" .".encode()), f"p{i}.nt", "application/n-triples"))
             for i in range(3)]
    try:
        r = app.test_client().put("/store", query_string={"graph": "http://x/g"}, data={"file": [p[1] for p in parts]},
                                  headers={"Authorization": "Bearer s3cret"}, content_type="multipart/form-data")
        assert r.status_code == 201
        assert len(app.extensions["kg"].store.graph_triples(ox.NamedNode("http://x/g"))) == 3
    finally:
        app.extensions["kg"].pool.close()


def test_web_graph_store_put_replaces_whole_or_not_at_all(tmp_path):
    app = _app(tmp_path, KG_UPDATE_TOKEN="s3cret")
    c, auth = app.test_client(), {"Authorization": "Bearer s3cret"}
    store = app.extensions["kg"].store
    g = ox.NamedNode("http://x/g")

    def put(body, method="PUT"):
        return c.open("/store", method=method, query_string={"graph": g.value}, data=body,
                      content_type="application/n-triples", headers=auth).status_code

    good = "".join(f'<http://x/a> <http://x/b> "{i}" .\n' for i in range(1000))
    try:
        assert put(good) == 201
        # a syntax error on the last line: nothing of the new body is stored, the old graph stands
        assert put(good.replace('"', "'") + "<http://x/a> <http://x/b> broken .\n") == 400
        assert put("<http://x/a> <http://x/b> \"new\" .\n<http://x/a> oops .\n", method="POST") == 400
        assert len(store.graph_triples(g)) == 1000
        assert put('<http://x/a> <http://x/b> "one" .') == 204
        assert [t.object.value for t in store.graph_triples(g)] == ["one"]
        assert put("") == 204  # an empty body empties the graph, which still exists
        assert store.graph_triples(g) == [] and store.graph_exists(g)
        assert [n.value for n in store.ox.named_graphs() if n.value.startswith("urn:kg:")] == []
    finally:
        app.extensions["kg"].pool.close()


def test_web_a_replacement_a_crash_cut_short_is_settled_when_the_store_opens(tmp_path):
    from kg.stores.embedded import STAGING, _mark
    store = EmbeddedStore(tmp_path / "s", "http://x/")
    g = ox.NamedNode("http://x/g")
    store.put_graph(g, [ox.Triple(g, g, ox.Literal("old"))], replace=True)
    store.ox.add(ox.Quad(g, g, ox.Literal("half"), STAGING))  # a load that never finished (no mark)
    store.reopen()
    assert sorted(q.object.value for q in store.ox) == ["old"]
    store.ox.extend([ox.Quad(g, g, ox.Literal("new"), STAGING), _mark(g)])  # loaded whole,
    store.ox.clear_graph(g)  # and the move cut short after the old triples went
    store.reopen()
    assert sorted(q.object.value for q in store.ox) == ["new"] and not store.ox.contains_named_graph(STAGING)


def test_web_runaway_query_is_stopped_and_others_are_answered(tmp_path):
    app = _app(tmp_path, KG_QUERY_TIMEOUT="2")
    pool = app.extensions["kg"].pool
    c = app.test_client()
    before = set(pool.worker_pids())
    out: dict = {}

    def runaway():
        t0 = time.monotonic()
        r = c.get("/sparql", query_string={"query": RUNAWAY})
        out["status"], out["seconds"], out["body"] = r.status_code, time.monotonic() - t0, r.data

    try:
        t = threading.Thread(target=runaway)
        t.start()
        time.sleep(0.5)
        t0 = time.monotonic()
        quick = app.test_client().get("/sparql", query_string={"query": COUNT})
        quick_seconds = time.monotonic() - t0
        t.join(15)
        assert quick.status_code == 200 and quick_seconds < 1.5
        assert out["status"] == 503 and b"timeout" in out["body"] and out["seconds"] < 2 + 2.0
        killed = before - set(pool.worker_pids())
        assert len(killed) == 1
        for pid in killed:  # the runaway's process is gone: its CPU is free
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
        assert len(pool.worker_pids()) == 2
    finally:
        pool.close()


def test_web_entity_page_for_people_and_rdf_for_clients(client):
    html = client.get("/newskg/id/person/dmitry-peskov", headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.mimetype == "text/html" and html.headers["Vary"] == "Accept"
    text = html.get_data(as_text=True)
    assert "Dmitry Peskov" in text and "spokesman" in text and "Kremlin" in text
    assert 'href="/newskg/id/article/' in text and "<blockquote" in text
    ttl = client.get("/newskg/id/person/dmitry-peskov", headers={"Accept": "text/turtle"})
    triples = list(ox.parse(ttl.data, format=ox.RdfFormat.TURTLE))
    assert any(t.predicate.value == "https://schema.org/name" and t.object.value == "Dmitry Peskov" for t in triples)
    jsonld = client.get("/newskg/id/person/dmitry-peskov", headers={"Accept": "application/ld+json"})
    assert jsonld.mimetype == "application/ld+json"
    assert client.get("/newskg/id/person/nobody-at-all").status_code == 404


def test_web_entity_page_lists_events_with_their_history(client):
    text = client.get("/newskg/id/person/vladimir-putin", headers={"Accept": "text/html"}).get_data(as_text=True)
    events = text[text.index('<h2 id="events">'):text.index("</table>", text.index('<h2 id="events">'))]
    assert "Alaska" in events and "Istanbul" not in events  # Putin's events, not Russia's
    assert "2025-05-07 planned → 2025-11-17 held" in events and 'href="/newskg/id/event/' in events


def test_web_entity_page_pages_every_list_and_says_where_it_stands(tmp_path):
    """No list is cut silently: Peskov's statements, 230 more than the samples give him, come 100 to a
    page, each page headed by its rows and the total, and the pages together hold every one."""
    app = _app(tmp_path)
    store = app.extensions["kg"].store.ox
    base, kg = app.extensions["kg"].config.base_iri, KG_NS
    peskov = ox.NamedNode(base + "person/dmitry-peskov")
    p = lambda local: ox.NamedNode(kg + local)  # noqa: E731
    quads = []
    for i in range(230):
        a, st, ev = (ox.NamedNode(f"{base}{kind}/added-{i}") for kind in ("article", "statement", "evidence"))
        quads += [ox.Quad(a, ox.NamedNode("https://schema.org/datePublished"), ox.Literal(f"2024-01-{1 + i % 28:02d}"), a),
                  ox.Quad(st, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), p("Statement"), a),
                  ox.Quad(st, p("speaker"), peskov, a), ox.Quad(st, p("text"), ox.Literal(f"words {i}"), a),
                  ox.Quad(st, p("direct"), ox.Literal("false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")), a),
                  ox.Quad(st, p("reportingVerb"), ox.Literal("said"), a), ox.Quad(st, p("evidence"), ev, a),
                  ox.Quad(ev, p("sentence"), ox.Literal(f"Peskov said words {i}."), a)]
    store.extend(quads)
    total = int(next(iter(store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?a {{ ?s <{kg}speaker> {peskov} ; a <{kg}Statement> }} }}",
                                      use_default_graph_as_union=True)))["n"].value)
    assert total > 230
    c, seen = app.test_client(), []
    try:
        for page in range(1, -(-total // 100) + 1):
            html = c.get("/newskg/id/person/dmitry-peskov", query_string={"said": page},
                         headers={"Accept": "text/html"}).get_data(as_text=True)
            part = html[html.index('<h2 id="said">'):html.index("</table>", html.index('<h2 id="said">'))]
            first, last = 100 * (page - 1) + 1, min(100 * page, total)
            assert f"{first}–{last} of {total}" in part
            rows = re.findall(r'href="([^"]+/statement/[^"]+)">statement</a>', part)
            assert len(rows) == last - first + 1
            seen += rows
            assert ('rel="next"' in html) == (last < total)
        assert len(set(seen)) == total
        assert c.get("/newskg/id/person/dmitry-peskov", query_string={"said": "x"},
                     headers={"Accept": "text/html"}).status_code == 400
    finally:
        app.extensions["kg"].pool.close()


def test_web_event_page_is_titled_by_participants_and_lists_its_reports(client):
    page = client.get("/newskg/id/person/vladimir-putin", headers={"Accept": "text/html"}).get_data(as_text=True)
    alaska = re.search(r'<a href="(/newskg/id/event/[^"]+)">2025-08</a>', page).group(1)
    text = client.get(alaska, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<h1>Donald Trump and Vladimir Putin, 2025-08</h1>" in text
    assert "reported by 2 articles" in text and ">held</span> as of 2025-11-17" in text and "Alaska" in text
    reports = re.findall(r'<tr class="report"><td>([^<]*)</td>.*?>(\w+)</span>.*?<a href="/newskg/id/article/[^"]+">([^<]+)</a>',
                         text, re.S)
    assert reports == [("2025-05-07", "planned", "Kremlin announces possible Putin-Trump meeting"),
                       ("2025-11-17", "held", "Kremlin Says Russia Eager for Putin-Trump Summit")]


@pytest.mark.parametrize("path", ["/newskg/id/article/000_21cecec2419042de", "/newskg/id/article/000_21cecec2419042de/meeting/1"])
def test_web_article_and_fact_pages(client, path):
    r = client.get(path, headers={"Accept": "text/html"})
    assert r.status_code == 200 and b"Putin" in r.data


@pytest.mark.parametrize("path, fmt", [("/dump.nq", ox.RdfFormat.N_QUADS), ("/dump.trig", ox.RdfFormat.TRIG)])
def test_web_dumps(app, client, path, fmt):
    r = client.get(path)
    assert r.status_code == 200
    assert len(list(ox.parse(r.data, format=fmt))) == len(app.extensions["kg"].store.ox)


def test_web_health(client):
    assert client.get("/health").get_json() == {"status": "ok", "query_workers": 2}


def test_web_pages_escape_what_came_from_articles(tmp_path):
    from kg.extract.nlp import blank
    evil = blank([{"label": "PERSON", "pattern": [{"TEXT": "Evil"}, {"TEXT": "Eve"}]}])
    src = tmp_path / "in"
    src.mkdir()
    (src / "xss.txt").write_text('Evil Eve said that <script>alert("x")</script> would be fine in Moscow today.')
    config = Config.load(env={}, store=str(tmp_path / "store"))
    store = EmbeddedStore(config.store, config.base_iri)
    ingest([str(src)], config, nlp=evil, store=store)
    app = create_app(config, store=store)
    try:
        c = app.test_client()
        for path in ("/newskg/id/person/evil-eve", "/newskg/id/article/xss"):
            html = c.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
            assert "<script>alert" not in html and "&lt;script&gt;" in html
    finally:
        app.extensions["kg"].pool.close()


from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

PARAMS = st.dictionaries(st.sampled_from(["query", "format", "default-graph-uri", "named-graph-uri", "update",
                                          "graph", "default", "x"]),
                         st.text(max_size=200), max_size=4)


@settings(max_examples=400, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]),
       path=st.sampled_from(["/sparql", "/update", "/store", "/store/x", "/", "/newskg/id/person/x",
                             "/newskg/id/../../etc/passwd", "/dump.nq", "/health"]),
       params=PARAMS, body=st.binary(max_size=300),
       ctype=st.sampled_from(["", "application/sparql-query", "application/x-www-form-urlencoded", "text/turtle",
                              "multipart/form-data; boundary=zz", "application/sparql-query; charset=latin-1"]),
       accept=st.sampled_from(["", "*/*", "text/html", "image/png", "text/csv;q=0", "application/json;q=abc"]))
def test_web_random_requests_never_give_5xx(client, method, path, params, body, ctype, accept):
    headers = {k: v for k, v in (("Content-Type", ctype), ("Accept", accept)) if v}
    r = client.open(path, method=method, query_string=params, data=body, headers=headers)
    assert r.status_code < 500, (r.status_code, r.data[:300])


def test_web_request_body_limit(tmp_path):
    app = _app(tmp_path, KG_MAX_BYTES="1000", KG_UPDATE_TOKEN="t")
    try:
        r = app.test_client().post("/sparql", data="SELECT * WHERE { ?s ?p ?o } #" + "x" * 2000,
                                   content_type="application/sparql-query")
        assert r.status_code == 413
    finally:
        app.extensions["kg"].pool.close()


@pytest.mark.parametrize("path, params", [
    ("/store", {"graph": ""}), ("/store", {"graph": "not an iri"}),
    ("/sparql", {"query": "ASK {}", "default-graph-uri": "no scheme"}),
    ("/sparql", {"query": "ASK {}", "named-graph-uri": ""}),
])
def test_web_bad_graph_iris_are_400(client, path, params):
    assert client.get(path, query_string=params).status_code == 400


def test_web_workers_answer_the_same_from_their_memory_copy(tmp_path):
    """KG_MEMORY_QUADS: a worker copies a small store into memory; every shipped query answers the same rows
    as on disk, a GROUP_CONCAT's values in the same order (the queries order them in a subquery)."""
    import collections

    from kg.rdf.queries import examples
    from kg.serve.engine import in_memory
    disk_app = _app(tmp_path / "disk", KG_MEMORY_QUADS="0")
    memory_app = _app(tmp_path / "memory", KG_MEMORY_QUADS="1000000")
    store = disk_app.extensions["kg"].store.ox
    copy = in_memory(store, len(store))
    assert copy is not None and set(copy) == set(store) and in_memory(store, len(store) - 1) is None
    time.sleep(2)  # the copies (2k quads) are long done
    try:
        lists = 0
        for name, q in examples().items():
            answers = [[tuple(sorted((k, v["value"]) for k, v in row.items())) for row in
                        a.test_client().get("/sparql", query_string={"query": q.text}).get_json()["results"]["bindings"]]
                       for a in (disk_app, memory_app)]
            assert collections.Counter(answers[0]) == collections.Counter(answers[1]), name
            lists += sum(", " in v or "; " in v for row in answers[0] for _, v in row)
        assert lists > 0  # some answer does join several values
    finally:
        disk_app.extensions["kg"].pool.close()
        memory_app.extensions["kg"].pool.close()


def test_web_reports_of_an_article_without_a_publisher_are_listed_once(tmp_path):
    """Issue 30, probe 8: with no publisher, the outlet's name joined every named entity of the store."""
    import pyoxigraph as ox
    from kg.config import Config
    from kg.serve.app import create_app
    from tests.conftest import fixture_store
    config = Config.load(env={}, store=str(tmp_path / "store"))
    store = fixture_store(config)
    for q in list(store.ox.quads_for_pattern(None, ox.NamedNode("https://schema.org/publisher"), None, None)):
        store.ox.remove(q)
    client = create_app(config, store=store).test_client()
    page = client.get("/newskg/id/person/vladimir-putin", headers={"Accept": "text/html"}).get_data(as_text=True)
    alaska = re.search(r'<a href="(/newskg/id/event/[^"]+)">2025-08</a>', page).group(1)
    text = client.get(alaska, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert len(re.findall(r'<tr class="report">', text)) == 2
    rows = re.findall(r'<tr><td>.*?href="(/newskg/id/event/[^"]+)".*?class="muted" href="([^"]+)"',
                      client.get("/changes?since=2025-01-01").get_data(as_text=True), re.S)
    assert rows and len(rows) == len(set(rows))  # each step once, not once per named entity
