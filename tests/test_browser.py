"""The workbench in a real headless browser: Debian's chromium driven by Selenium through Debian's
chromedriver (both installed by .ci/run). The query page (YASGUI) runs a shared CONSTRUCT link, an
example, an ASK and a broken query; results link to this server's pages; a download gives the
rows. The home, index, entity, article and fact pages render, and their links answer. A screenshot
of each is kept in test-artifacts/."""
from __future__ import annotations

import os
import re
import shutil
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER) and not os.environ.get("CI"),
                                reason="chromium or chromedriver is not installed (CI installs them and never skips)")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1400,1000"]
WAIT = 20.0


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    assert CHROMIUM and DRIVER, "chromium or chromedriver is missing: .ci/run installs them"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('profile')}")
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    downloads = tmp_path_factory.mktemp("downloads")
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    yield driver
    driver.quit()


def _until(check, what: str, timeout: float = WAIT):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _shot(driver, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def _errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _js(driver, script: str):
    return driver.execute_script(script)


def _rows(driver) -> int:
    return _js(driver, "return document.querySelectorAll('.yasr .dataTable tbody tr').length")


def _status(url: str) -> int:
    req = urllib.request.Request(url, headers={"Accept": "text/html"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def _fresh(driver, url: str) -> None:
    """Open `url` with no tabs or history left from an earlier test (YASGUI keeps them in localStorage)."""
    driver.get(url)
    _js(driver, "localStorage.clear()")
    driver.get(url)


def test_browser_shared_construct_link_runs_and_shows_triples(live_server, browser):
    query = ("CONSTRUCT { ?m kg:participant ?p . ?p schema:name ?n } WHERE { ?m a kg:Meeting ; "
             "kg:participant ?p . ?p schema:name ?n } LIMIT 12")
    _fresh(browser, live_server + "/sparql?" + urllib.parse.urlencode({"query": query}))
    _until(lambda: _rows(browser) > 0, "the CONSTRUCT result table")
    head = _js(browser, "return [...document.querySelectorAll('.yasr .dataTable thead th')].map(t => t.textContent)")
    assert [h for h in head if h] == ["subject", "predicate", "object"]
    text = _js(browser, "return document.querySelector('.yasr').innerText")
    assert "Vladimir Putin" in text and "results in" in text  # the triples, and the elapsed time
    assert "PREFIX kg:" in _js(browser, "return kgYasgui.getTab().getYasqe().getValue()")  # declared for the editor
    _shot(browser, "query-construct")
    # IRIs under the base open this server's pages, which answer
    links = _js(browser, "return [...document.querySelectorAll('.yasr a.iri')].map(a => a.getAttribute('href'))")
    local = [h for h in links if h.startswith("/newskg/id/")]
    assert local and all(_status(live_server + h) == 200 for h in sorted(set(local))[:10])
    assert not _errors(browser)


def test_browser_example_runs_in_a_new_tab_and_downloads_csv(live_server, browser):
    _fresh(browser, live_server + "/sparql")
    browser.find_element("css selector", 'a.example[data-name="who-met-whom"]').click()
    _until(lambda: _js(browser, "return kgYasgui.getTab().getName()") == "Who met whom", "a tab for the example")
    _until(lambda: _rows(browser) > 0, "the example's results")
    text = _js(browser, "return document.querySelector('.tabPanel.active .yasr').innerText")
    assert "Vladimir Putin" in text and "Donald Trump" in text
    before = _rows(browser)
    # filtering of the result table
    _js(browser, "document.querySelector('.tabPanel.active .yasr .tableFilter').value = 'Alaska';"
                 "document.querySelector('.tabPanel.active .yasr .tableFilter').dispatchEvent(new KeyboardEvent('keyup'))")
    filtered = _until(lambda: _js(browser, "return [...document.querySelectorAll('.tabPanel.active .yasr .dataTable tbody tr')]"
                                           ".map(r => r.innerText)"), "filtered rows")
    assert filtered and len(filtered) < before and all("Alaska" in r for r in filtered)
    _shot(browser, "query-example")
    browser.find_element("css selector", ".tabPanel.active .yasr_downloadIcon").click()
    csv = _until(lambda: [p for p in browser.downloads.iterdir()  # written in full, not just created
                          if p.suffix == ".csv" and "\n" in p.read_text(encoding="utf-8", errors="replace")],
                 "the CSV download")
    import csv as csvlib
    rows = list(csvlib.reader(csv[0].read_text(encoding="utf-8").splitlines()))
    assert rows[0][:2] == ["a", "b"] and len(rows) > 1 and any("Vladimir Putin" in r for r in rows[1:])
    assert not _errors(browser)


def test_browser_a_long_answer_is_cut_with_a_notice_and_links_to_the_whole(live_server, browser):
    _fresh(browser, live_server + "/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"}))
    _until(lambda: _js(browser, "return !document.getElementById('kg-cut').hidden"), "the notice of a cut answer")
    notice = _js(browser, "return document.getElementById('kg-cut').innerText")
    assert "Only the first 1000 rows are shown" in notice and "the request's limit" in notice
    _js(browser, "document.querySelector('.yasr select[name=\"dataTable_length\"]')?.remove()")
    counted = _js(browser, "return kgYasgui.getTab().getYasr().results.getBindings().length")
    assert counted == 1000
    _shot(browser, "query-cut")
    whole = _js(browser, "return document.querySelector('#kg-cut a.kg-whole').href")
    with urllib.request.urlopen(whole, timeout=30) as r:
        lines = r.read().decode("utf-8").splitlines()
    assert len(lines) - 1 > 1000 and sorted(lines[0].split(",")) == ["g", "o", "p", "s"]
    # a short answer hides the notice again
    _js(browser, "const t = kgYasgui.getTab(); t.getYasqe().setValue('SELECT * WHERE { ?s ?p ?o } LIMIT 3'); t.query()")
    _until(lambda: _js(browser, "return document.getElementById('kg-cut').hidden"), "the notice to go")
    assert not _errors(browser)


def test_browser_network_finds_a_name_and_shows_its_neighbourhood(live_server, browser):
    import json
    _fresh(browser, live_server + "/network")
    _until(lambda: _js(browser, "return document.getElementById('network').dataset.ready") == "1", "the network")
    data = json.loads(urllib.request.urlopen(live_server + "/network.json", timeout=30).read())
    putin = next(n["id"] for n in data["nodes"] if n["name"] == "Vladimir Putin")
    partners = {e["target"] if e["source"] == putin else e["source"] for e in data["edges"] if putin in (e["source"], e["target"])}
    field = browser.find_element("css selector", "[data-find]")
    field.send_keys("putin")
    _until(lambda: _js(browser, "return document.getElementById('network').dataset.found"), "the neighbourhood")
    assert int(_js(browser, "return document.getElementById('network').dataset.found")) == len(partners) + 1
    faded = _js(browser, "return document.getElementById('network')._cy.nodes('.faded').length")
    assert faded == int(_js(browser, "return document.getElementById('network').dataset.nodes")) - len(partners) - 1
    _shot(browser, "network-find")
    field.clear()
    field.send_keys(" ")
    _until(lambda: _js(browser, "return document.getElementById('network')._cy.nodes('.faded').length") == 0, "no fading")
    assert not _errors(browser)


def test_browser_charts_a_grouped_answer_and_counts_over_time(live_server, browser):
    grouped = ("SELECT ?status (COUNT(?e) AS ?n) WHERE { ?e a kg:Event ; kg:status ?s "
               "BIND(REPLACE(STR(?s), '^.*#', '') AS ?status) } GROUP BY ?status")
    _fresh(browser, live_server + "/sparql?" + urllib.parse.urlencode({"query": grouped}))
    _until(lambda: _rows(browser) > 0, "the grouped answer")
    rows = _rows(browser)
    _js(browser, "kgYasgui.getTab().getYasr().selectPlugin('chart')")
    _until(lambda: _js(browser, "return document.querySelectorAll('.kg-chart rect').length") == rows, "one bar per row")
    bars = _js(browser, "return [...document.querySelectorAll('.kg-chart rect title')].map(t => t.textContent)")
    table = {r["status"]["value"]: r["n"]["value"] for r in __import__("json").loads(urllib.request.urlopen(
        live_server + "/sparql?" + urllib.parse.urlencode({"query": grouped, "format": "json"})).read())["results"]["bindings"]}
    assert sorted(bars) == sorted(f"{k}: {v}" for k, v in table.items())
    assert "?n by ?status" in _js(browser, "return document.querySelector('.kg-chart p').textContent")
    _shot(browser, "query-chart")
    dated = "SELECT ?published WHERE { ?a schema:datePublished ?published }"
    _js(browser, f"const t = kgYasgui.getTab(); t.getYasqe().setValue({dated!r}); t.query()")
    _until(lambda: "by month" in (_js(browser, "return document.querySelector('.kg-chart p')?.textContent") or ""),
           "counts over time")
    months = _js(browser, "return [...document.querySelectorAll('.kg-chart rect title')].map(t => t.textContent)")
    assert months == sorted(months) and all(re.match(r"\d{4}-\d{2}: \d+$", m) for m in months)
    assert not _errors(browser)


def test_browser_ask_shows_the_answer_and_finishes(live_server, browser):
    _fresh(browser, live_server + "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s a kg:Meeting }"}))
    _until(lambda: "true" in (_js(browser, "return document.querySelector('.yasr_results')?.innerText") or "").lower(),
           "the boolean")
    _shot(browser, "query-ask")
    assert not _js(browser, "return document.querySelector('.yasqe_queryButton').classList.contains('busy')")


def test_browser_parse_error_is_marked_in_the_editor(live_server, browser):
    bad = 'SELECT ?x WHERE {\n  ?x schema:name "Putin" .\n  FILTER(?x = ) }'
    _fresh(browser, live_server + "/sparql?" + urllib.parse.urlencode({"query": bad}))
    message = _until(lambda: _js(browser, "return document.querySelector('.yasr .errorResult')?.innerText"), "the error")
    assert "error at" in message
    line = _until(lambda: _js(browser, "const l = document.querySelector('.kg-error-line');"
                                       "return l && l.innerText"), "the marked line")
    assert "FILTER" in line
    _shot(browser, "query-error")


@pytest.mark.parametrize("path, name, expect", [
    ("/", "home", "Latest meetings"),
    ("/articles", "index-articles", "Articles"),
    ("/entities?type=Person", "index-people", "People"),
    ("/meetings", "index-meetings", "Meetings"),
    ("/newskg/id/person/vladimir-putin", "entity", "Vladimir Putin"),
    ("/newskg/id/article/001_6dee4a507677732a", "article", "Kremlin Says Russia Eager"),
    ("/newskg/id/article/001_6dee4a507677732a/meeting/2", "meeting", "Donald Trump and Vladimir Putin"),
    ("/newskg/id/article/000_21cecec2419042de/statement/1", "statement", "Dmitry Peskov"),
])
def test_browser_pages_render_and_their_links_answer(live_server, browser, path, name, expect):
    _errors(browser)  # reading the log empties it: what earlier tests left is not this page's
    browser.get(live_server + path)
    assert expect in browser.find_element("css selector", "main").text
    _shot(browser, f"page-{name}")
    links = _js(browser, "return [...document.querySelectorAll('main a[href]')].map(a => a.getAttribute('href'))")
    local = sorted({h.split("#")[0] for h in links if h.startswith("/") and not h.startswith(("/dump", "/table"))} - {""})
    assert local
    assert [h for h in local[:25] if _status(live_server + h) != 200] == []
    assert not _errors(browser)


def test_browser_article_evidence_link_lands_on_the_marked_sentence(live_server, browser):
    browser.get(live_server + "/newskg/id/article/001_6dee4a507677732a/meeting/2")
    link = browser.find_element("css selector", "blockquote.evidence a")
    link.click()
    _until(lambda: "#ev-" in browser.current_url, "the article")
    anchor = browser.current_url.split("#", 1)[1]
    mark = browser.find_element("id", anchor)
    assert mark.tag_name == "mark" and "Alaska" in mark.text
