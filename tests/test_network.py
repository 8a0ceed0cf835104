"""The network picture and the timeline: /network.json against the store, the date filter, the
bundled Cytoscape.js (no CDN), and the picture drawn in a real headless chromium with the
expected numbers of nodes and edges; its screenshot is kept in test-artifacts/."""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import urllib.parse
import urllib.request

import pytest

from .conftest import ROOT
from .test_browser import CHROMIUM, FLAGS

CYTOSCAPE_SHA256 = "081591ab735b2b6a3b31a3c60f8f3a3e2fee8c92939e0c7820ad1208571b6cd8"  # 3.34.4, see its README
ARTIFACTS = ROOT / "test-artifacts"
PUTIN = "https://w3id.org/newskg/id/person/vladimir-putin"
PAIRS = """SELECT ?m ?x ?y ?date WHERE { ?m a <https://w3id.org/newskg/ns#Event> ;
    <https://w3id.org/newskg/ns#participant> ?x, ?y FILTER(STR(?x) < STR(?y))
    OPTIONAL { ?m <https://w3id.org/newskg/ns#date> ?date } }"""  # ?m: the event


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read()


def _pairs(base: str) -> list[dict]:
    body = _get(base + "/sparql?" + urllib.parse.urlencode({"query": PAIRS}))
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


def _browser(url: str, tmp_path, *extra: str) -> str:
    if not CHROMIUM:
        pytest.skip("chromium is not installed (CI installs it)")
    proc = subprocess.run([CHROMIUM, *FLAGS, "--virtual-time-budget=15000", "--window-size=1280,900", f"--user-data-dir={tmp_path / 'profile'}",
                           *extra, url], capture_output=True, text=True, timeout=120)
    return proc.stdout


def _drawn(dom: str) -> dict[str, str]:
    tag = re.search(r"<div[^>]*kg-network[^>]*>", dom)
    assert tag, dom[-1500:]
    return dict(re.findall(r'data-(\w+)="([^"]*)"', tag.group(0)))


def test_network_json_is_every_pair_of_every_event(live_server):
    pairs = _pairs(live_server)
    data = json.loads(_get(live_server + "/network.json"))
    assert sorted((e["event"], e["source"], e["target"]) for e in data["edges"]) == \
        sorted((p["m"], p["x"], p["y"]) for p in pairs)
    reports = {r["e"]["value"]: int(r["n"]["value"]) for r in json.loads(_get(live_server + "/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT ?e (COUNT(?m) AS ?n) WHERE { ?e <https://w3id.org/newskg/ns#report> ?m } GROUP BY ?e"})))["results"]["bindings"]}
    assert all(e["reports"] == reports[e["event"]] == len(e["history"]) for e in data["edges"])
    alaska = next(e for e in data["edges"] if e["reports"] == 2)  # the Alaska summit: planned in May, held by November
    assert alaska["history"] == ["2025-05-07 planned", "2025-11-17 held"] and alaska["status"] == "Held"
    assert {n["id"] for n in data["nodes"]} == {p["x"] for p in pairs} | {p["y"] for p in pairs}
    assert all(e["status"] in data["statuses"] for e in data["edges"])
    names = {n["id"]: n["name"] for n in data["nodes"]}
    assert names[PUTIN] == "Vladimir Putin"


def test_network_date_filter_and_entity(live_server):
    dated = [p for p in _pairs(live_server) if p.get("date", "").startswith("2025-08")]
    assert dated, "the seeds have events in August 2025"
    data = json.loads(_get(live_server + "/network.json?from=2025-08-01&to=2025-08-31"))
    assert sorted(e["event"] for e in data["edges"]) == sorted(p["m"] for p in dated)
    mine = json.loads(_get(live_server + "/network.json?" + urllib.parse.urlencode({"entity": PUTIN})))
    assert mine["edges"] and all(PUTIN in (e["source"], e["target"]) or
                                 any(PUTIN in (p["x"], p["y"]) for p in _pairs(live_server) if p["m"] == e["event"])
                                 for e in mine["edges"])
    with pytest.raises(urllib.error.HTTPError) as bad:
        _get(live_server + "/network.json?from=yesterday")
    assert bad.value.code == 400


def test_network_library_is_bundled_not_fetched(live_server):
    js = _get(live_server + "/static/vendor/cytoscape.min.js")
    assert hashlib.sha256(js).hexdigest() == CYTOSCAPE_SHA256
    page = _get(live_server + "/network").decode()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts and all(s.startswith("/static/") for s in scripts)  # nothing from another host


def test_network_page_draws_the_seeds_in_chromium(live_server, tmp_path):
    pairs = _pairs(live_server)
    drawn = _drawn(_browser(live_server + "/network", tmp_path, "--dump-dom"))
    assert drawn["ready"] == "1"
    assert int(drawn["edges"]) == len(pairs)
    assert int(drawn["nodes"]) == len({p["x"] for p in pairs} | {p["y"] for p in pairs})
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "network-seeds.png"
    shot.unlink(missing_ok=True)
    _browser(live_server + "/network", tmp_path, f"--screenshot={shot}")
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000  # a drawn picture, not a blank page


def test_network_on_an_entity_page_and_its_timeline(live_server, tmp_path):
    dom = _browser(live_server + "/newskg/id/person/vladimir-putin", tmp_path, "--dump-dom")
    mine = {p["m"] + p["x"] + p["y"] for p in _pairs(live_server)
            if p["m"] in {q["m"] for q in _pairs(live_server) if PUTIN in (q["x"], q["y"])}}
    drawn = _drawn(dom)
    assert drawn["ready"] == "1" and int(drawn["edges"]) == len(mine)
    items = re.findall(r'<li class="timeline-item (\w+)" title="([^"]*)" data-when="([^"]*)"><span class="when">([^<]*)</span>',
                       dom)
    count = f"""SELECT (COUNT(DISTINCT ?m) AS ?meetings) (COUNT(DISTINCT ?s) AS ?said) WHERE {{
        {{ ?m a <https://w3id.org/newskg/ns#Meeting> ; <https://w3id.org/newskg/ns#participant> <{PUTIN}> }} UNION
        {{ ?s a <https://w3id.org/newskg/ns#Statement> ; <https://w3id.org/newskg/ns#speaker> <{PUTIN}> }} }}"""
    row = json.loads(_get(live_server + "/sparql?" + urllib.parse.urlencode({"query": count})))["results"]["bindings"][0]
    kinds = [kind for kind, _, _, _ in items]
    assert len(kinds) - kinds.count("statement") == int(row["meetings"]["value"]) > 0
    assert kinds.count("statement") == int(row["said"]["value"])
    dates = [when for _, _, when, _ in items if when]
    assert dates == sorted(dates) and [w for _, _, w, _ in items][:len(dates)] == dates  # in date order, undated last
    # a fact without a date of its own is placed on its article's publication day, and says so
    assert all(shown == "undated" or shown[:4].isdigit() or shown.startswith("reported ") for *_, shown in items)
    assert all(title for _, title, _, _ in items)  # the evidence sentence on hover
