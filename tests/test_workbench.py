"""The analyst's workbench without a browser: the home page and the index pages (counts, paging,
facets, search), the query page's routing and its vendored editor, parse errors as the user wrote
the query, and the fact pages. The browser checks are in test_browser.py."""
from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

import pytest

from kg.rdf.queries import examples
from kg.serve import browse
from tests.conftest import fixture_store
from kg.config import Config
from kg.serve.app import create_app

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}  # what a browser sends
YASGUI_JS_SHA256 = "55034eaac74c55f55fbd1eeed008ae38a79053651cbed2b453f1fcfd895a4b75"
YASGUI_CSS_SHA256 = "085b94556b97f9928981bdedb6848fd11ad4d8d950e821f0d698c58ca538fc55"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    config = Config.load(env={"KG_QUERY_TIMEOUT": "5"}, store=str(tmp_path_factory.mktemp("bench") / "store"))
    app = create_app(config, store=fixture_store(config))
    app.config["TESTING"] = True
    yield app
    app.extensions["kg"].pool.close()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def _page(client, path: str) -> str:
    r = client.get(path, headers=HTML)
    assert r.status_code == 200 and r.mimetype == "text/html", (path, r.status_code, r.data[:300])
    return r.get_data(as_text=True)


def _links(html: str) -> list[str]:
    return [h for h in re.findall(r'href="([^"]+)"', html) if h.startswith("/") and not h.startswith("//")]


# ------------------------------------------------------------------ home and routing (bug 1)
def test_home_page_in_a_browser_says_what_is_in_the_store(client):
    text = _page(client, "/")
    assert "<b>5</b> articles" in text
    assert re.search(r"<b>\d+</b> people", text) and re.search(r"<b>\d+</b> meetings", text)
    assert "Kremlin Says Russia Eager for Putin-Trump Summit" in text  # a newest article
    assert 'href="/newskg/id/person/vladimir-putin"' in text  # most mentioned
    assert "Latest meetings" in text and 'href="/meetings?status=Held"' in text


def test_home_page_links_all_resolve(client):
    for href in sorted(set(_links(_page(client, "/")))):
        if href.startswith(("/dump", "/table")):
            continue
        assert client.get(href, headers=HTML).status_code == 200, href


def test_a_query_sent_to_the_root_goes_to_the_endpoint(client):
    q = "ASK { ?s ?p ?o }"
    r = client.get("/?query=" + quote(q))
    assert r.status_code == 307 and r.headers["Location"].endswith("/sparql?query=" + quote(q))
    post = client.post("/", data={"query": q})
    assert post.status_code == 307 and post.headers["Location"].endswith("/sparql")
    followed = client.post("/", data={"query": q}, follow_redirects=True)
    assert followed.status_code == 200 and followed.get_json()["boolean"] is True


def test_the_root_gives_rdf_clients_the_service_description(client):
    r = client.get("/", headers={"Accept": "text/turtle"})
    assert r.mimetype == "text/turtle"
    import rdflib
    g = rdflib.Graph().parse(data=r.data, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert [str(o) for o in g.objects(None, sd.endpoint)] == ["http://localhost/sparql"]


# ------------------------------------------------------------------ the query page
def test_query_page_bundles_yasgui_and_loads_nothing_from_elsewhere(client):
    assert hashlib.sha256(client.get("/static/vendor/yasgui.min.js").data).hexdigest() == YASGUI_JS_SHA256
    assert hashlib.sha256(client.get("/static/vendor/yasgui.min.css").data).hexdigest() == YASGUI_CSS_SHA256
    assert client.get("/static/vendor/yasgui.LICENSE").data.startswith(b"The MIT License")
    text = _page(client, "/sparql")
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', text)
    assert sources and all(s.startswith("/") for s in sources), sources
    for e in examples().values():  # every shipped query is an example
        assert f'data-name="{e.name}"' in text


def test_a_shared_query_link_opens_the_editor_but_clients_get_results(client):
    link = "/sparql?query=" + quote("SELECT ?n WHERE { ?p schema:name ?n } LIMIT 3")
    assert "vendor/yasgui.min.js" in _page(client, link)
    for accept in (None, "*/*", "application/sparql-results+json"):
        r = client.get(link, headers={"Accept": accept} if accept else {})
        assert r.status_code == 200 and len(r.get_json()["results"]["bindings"]) == 3, accept


# ------------------------------------------------------------------ parse errors (bug 3)
@pytest.mark.parametrize("query, expected", [
    ('SELECT ?x WHERE { ?x schema:name "Putin" ', "error at 1:42: expected one of"),
    ("SELECT ?x WHERE {\n  ?x schema:name ?n\n  FILTER(?n = ) }", "error at 3:"),
    ("SELECT * WHERE { ?s foo:bar ?o }", "unknown prefix foo:"),
    ("", "the query is empty"),
    ("   \n ", "the query is empty"),
])
def test_parse_errors_point_at_what_the_user_wrote(client, query, expected):
    r = client.post("/sparql", data={"query": query})
    assert r.status_code == 400
    message = r.get_data(as_text=True)
    assert expected in message, message
    assert "\\u{" not in message and "[_]" not in message and "'0'..='9'" not in message, message


def test_parse_error_position_is_the_same_over_http_and_in_the_cli(client, tmp_path):
    from kg.rdf.sparql import QueryError, run
    store = client.application.extensions["kg"].store
    query = 'SELECT ?x WHERE { ?x schema:name "Putin" '
    with pytest.raises(QueryError) as cli:
        run(store.ox, query)
    http = client.post("/sparql", data={"query": query}).get_data(as_text=True)
    assert re.search(r"error at \d+:\d+", str(cli.value)).group() == re.search(r"error at \d+:\d+", http).group()


# ------------------------------------------------------------------ index pages
def test_article_index_is_newest_first_with_facets(client):
    text = _page(client, "/articles")
    dates = re.findall(r'<td class="when">([^<]+)</td>', text)
    dated = [d for d in dates if d != "undated"]
    assert len(dates) == 5 and dated == sorted(dated, reverse=True) and dates[:len(dated)] == dated  # undated last
    years = re.findall(r'href="/articles\?year=(\d{4})"', text)
    assert years
    one = _page(client, f"/articles?year={years[0]}")
    assert all(d.startswith(years[0]) for d in re.findall(r'<td class="when">([^<]+)</td>', one))


def test_entity_index_by_type_search_and_paging(app, client, monkeypatch):
    people = _page(client, "/entities?type=Person")
    assert "<h1>People</h1>" in people and "Vladimir Putin" in people and '<span class="tag">Place</span>' not in people
    found = _page(client, "/entities?q=PUTIN")
    assert "Vladimir Putin" in found and "Donald Trump" not in found
    monkeypatch.setattr(browse, "PAGE", 3)
    first, second = _page(client, "/entities?page=1"), _page(client, "/entities?page=2")
    names = lambda t: re.findall(r'<tr class="entity"><td><a href="([^"]+)"', t)  # noqa: E731
    assert len(names(first)) == 3 and len(names(second)) == 3 and not set(names(first)) & set(names(second))
    assert 'rel="next" href="/entities?page=2"' in first and 'rel="prev" href="/entities?page=1"' in second
    with app.app_context():
        total = browse.entities(app.extensions["kg"].store.ox).total
    assert f"{total} in all" in first


def test_meeting_index_by_status_and_year(client):
    held = _page(client, "/meetings?status=Held")
    assert '<span class="tag Held">held</span>' in held and '<span class="tag Planned">' not in held
    every = _page(client, "/meetings")
    facet = dict(re.findall(r'href="/meetings\?status=(\w+)">\w+</a> <span class="muted">(\d+)</span>', every))
    assert facet and int(facet.get("Held", 0)) == held.count('<tr class="event">')


def test_meeting_view_filters_on_any_column_facets_them_and_exports_itself(client):
    """'Whom did Putin meet, by status and year': one URL; the view's rows, its CSV and JSON, and
    its own SPARQL at the endpoint agree."""
    import csv
    import io
    putin = "https://w3id.org/newskg/id/person/vladimir-putin"
    every = _page(client, "/meetings")
    mine = _page(client, "/meetings?" + "participant=" + quote(putin, safe=""))
    rows = re.findall(r'<tr class="event">(.*?)</tr>', mine, re.S)
    assert rows and all("Vladimir Putin" in r for r in rows) and len(rows) < every.count('<tr class="event">')
    assert "participant: Vladimir Putin" in mine  # the active filter, by name, with its ✕
    total = int(re.search(r"(\d+) in all", mine).group(1))
    assert total == len(rows)
    assert {"status", "year", "kind", "participant", "place"} <= set(re.findall(r'<div class="facet"><h3>(\w+)</h3>', mine))
    # the year facet counts undated events in their own bucket, and the counts add up
    years = dict(re.findall(r'year=(\w+)&amp;participant=[^"]*">\w+</a> <span class="muted">(\d+)</span>', mine) or
                 re.findall(r'participant=[^"]*&amp;year=(\w+)">\w+</a> <span class="muted">(\d+)</span>', mine))
    assert years and sum(map(int, years.values())) == total
    # narrowed by kind and by a date range
    calls = _page(client, "/meetings?kind=call&participant=" + quote(putin, safe=""))
    assert 0 < calls.count('<tr class="event">') < total
    dated = _page(client, "/meetings?from=2025-08&to=2025-08&participant=" + quote(putin, safe=""))
    assert all(re.search(r"2025-08", r) for r in re.findall(r'<td class="when">(.*?)</td>', dated, re.S))
    # the same view as CSV and JSON, and as the SPARQL the page shows
    exported = client.get("/meetings.csv?participant=" + quote(putin, safe=""))
    table = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert len(table) == total and all("Vladimir Putin" in r["who"] for r in table)
    data = client.get("/meetings.json?participant=" + quote(putin, safe="")).get_json()
    assert len(data["results"]["bindings"]) == total
    link = re.search(r'class="as-sparql" href="/sparql\?query=([^"]+)"', mine).group(1)
    from html import unescape
    from urllib.parse import unquote_plus
    query = unquote_plus(unescape(link))
    answer = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert len(answer.get_json()["results"]["bindings"]) == total


def test_statement_view_by_side_and_words_agrees_with_its_exports(client):
    """'What did the Kremlin's side say about a summit': speakers who hold a role in an organisation,
    words through the search index; the page, CSV and the page's SPARQL at the endpoint agree."""
    import csv
    import io
    from html import unescape
    from urllib.parse import unquote_plus
    kremlin = quote("https://w3id.org/newskg/id/organisation/kremlin", safe="")
    every = _page(client, "/statements")
    side = _page(client, f"/statements?side={kremlin}")
    total = int(re.search(r"(\d+) in all", side).group(1))
    assert 0 < total < int(re.search(r"(\d+) in all", every).group(1))
    speakers = re.findall(r'<div class="facet"><h3>speaker</h3><ul>(.*?)</ul>', side, re.S)[0]
    assert "Dmitry Peskov" in speakers and "Donald Trump" not in speakers
    said = _page(client, f"/statements?side={kremlin}&q=summit")
    n = int(re.search(r"(\d+) in all", said).group(1))
    assert 0 < n < total and "side: Kremlin" in said and "q: summit" in said
    rows = list(csv.DictReader(io.StringIO(client.get(f"/statements.csv?side={kremlin}&q=summit").get_data(as_text=True))))
    assert len(rows) == n and all(r["spname"] and r["spname"] in speakers for r in rows)
    query = unquote_plus(unescape(re.search(r'class="as-sparql" href="/sparql\?query=([^"]+)"', said).group(1)))
    answer = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert len(answer.get_json()["results"]["bindings"]) == n
    quoted = _page(client, f"/statements?side={kremlin}&form=quoted")
    assert int(re.search(r"(\d+) in all", quoted).group(1)) < total
    assert client.get("/statements?form=sung", headers=HTML).status_code == 400


def test_map_draws_the_filtered_meeting_places_offline(client):
    page = _page(client, "/map")
    svg = page.split('<svg class="map"')[1].split("</svg>")[0]
    assert '<path class="land" d="M' in svg and not re.search(r'(src|href)="(https?:)?//', svg)  # nothing from elsewhere
    circles = re.findall(r'<circle class="(\w+)" cx="([\d.]+)" cy="([\d.]+)" r="[\d.]+"><title>([^<]+)</title>', page)
    titles = {t.split(":")[0]: (float(x), float(y)) for _c, x, y, t in circles}
    assert "Istanbul" in titles and "Istanbul: 3 held" in page
    x, y = titles["Istanbul"]
    assert abs(x - (28.95 + 180)) < 1 and abs(y - (90 - 41.01)) < 1  # where Istanbul is
    assert "Alaska" in page.split("<h2>Places")[1] and "(not on the map)" in page  # a state: listed, not drawn
    putin = quote("https://w3id.org/newskg/id/person/vladimir-putin", safe="")
    held = _page(client, f"/map?participant={putin}&status=Cancelled")
    assert "Budapest: 1 cancelled" in held and "Istanbul" not in held.split("<h2>Places")[1]
    assert client.get("/map?status=Done", headers=HTML).status_code == 400


def test_gazetteer_positions_cities_and_countries_at_their_capital():
    from kg.geo import coordinates, reading
    lat, lon, kind = coordinates()[reading("Moscow").geonameid]
    assert kind == "city" and abs(lat - 55.75) < 0.2 and abs(lon - 37.62) < 0.2
    assert coordinates()[reading("Russia").geonameid] == (lat, lon, "country")


@pytest.mark.parametrize("query", ["kind=visit", "from=2025-13x", "sort=random", "status=Done"])
def test_meeting_view_refuses_bad_filters(client, query):
    assert client.get("/meetings?" + query, headers=HTML).status_code == 400
    assert client.get("/meetings.csv?" + query).status_code == 400


@pytest.mark.parametrize("path", ["/articles?page=0", "/articles?page=x", "/meetings?status=Done", "/entities?type=Cat"])
def test_index_pages_refuse_bad_parameters(client, path):
    r = client.get(path, headers=HTML)
    assert r.status_code == 400 and r.mimetype == "text/plain"


# ------------------------------------------------------------------ fact pages (bug 8)
def test_meeting_page_is_titled_by_participants_and_date_with_its_evidence_and_event(client):
    text = _page(client, "/newskg/id/article/001_6dee4a507677732a/meeting/2")
    assert "<h1>Donald Trump and Vladimir Putin, 2025-08</h1>" in text
    assert "<th>status</th><td>held</td>" in text and "kg/ns#Held" not in text  # a word, not an IRI
    assert re.search(r'<blockquote class="evidence">The two leaders last met in August in Alaska[^<]*'
                     r'<a class="muted" href="/newskg/id/article/001_6dee4a507677732a#ev-\d+-\d+">', text)
    assert 'href="/newskg/id/article/001_6dee4a507677732a">Kremlin Says Russia Eager for Putin-Trump Summit</a>' in text
    assert "<span class=\"tag\">this report</span>" in text and text.count('<tr class="report') >= 2  # the other reports


def test_statement_page_names_speaker_words_and_article(client):
    text = _page(client, "/newskg/id/article/000_21cecec2419042de/statement/1")
    assert re.search(r"<h1>Dmitry Peskov: “A meeting between Russian President", text)
    assert 'href="/newskg/id/person/dmitry-peskov">Dmitry Peskov</a>' in text and "reported speech" in text


def test_article_page_lists_facts_in_text_order_and_marks_the_evidence(client):
    text = _page(client, "/newskg/id/article/001_6dee4a507677732a")
    statements = re.findall(r'href="/newskg/id/article/001_6dee4a507677732a/statement/(\d+)">statement</a>', text)
    store = client.application.extensions["kg"].store.ox
    begin = {r["n"].value: int(r["b"].value) for r in store.query(
        """SELECT ?n ?b WHERE { GRAPH <https://w3id.org/newskg/id/article/001_6dee4a507677732a> {
           ?s a <https://w3id.org/newskg/ns#Statement> ; <https://w3id.org/newskg/ns#beginIndex> ?b }
           BIND(REPLACE(STR(?s), "^.*/", "") AS ?n) }""")}
    assert len(statements) == len(begin) > 2
    assert [begin[n] for n in statements] == sorted(begin.values())
    marks = re.findall(r'<mark class="evidence" id="ev-(\d+)-(\d+)">([^<]*)</mark>', text)
    assert marks and any(m[2].startswith("The two leaders last met in August in Alaska") for m in marks)


def test_timeline_falls_back_to_the_publication_date(client):
    text = _page(client, "/newskg/id/person/dmitry-peskov")
    shown = re.findall(r'<li class="timeline-item statement"[^>]*><span class="when">([^<]*)</span>', text)
    assert shown and any(s.startswith("reported ") for s in shown)
    store = client.application.extensions["kg"].store.ox
    undated_articles = int(next(iter(store.query(
        """SELECT (COUNT(?st) AS ?n) WHERE { GRAPH ?a { ?st a <https://w3id.org/newskg/ns#Statement> ; <https://w3id.org/newskg/ns#speaker>
           <https://w3id.org/newskg/id/person/dmitry-peskov> FILTER NOT EXISTS { ?a <https://schema.org/datePublished> ?d } } }""",
        use_default_graph_as_union=True)))["n"].value)
    assert shown.count("undated") == undated_articles  # undated only when the article is
