"""The analyst's workbench at corpus scale (issue 32): serve a copy of a store, time each view
(p50/p95 over N requests, after one warm request) and, with --shots, take the screenshots of
docs/screenshots/ in headless chromium.

    python bench/workbench.py STORE [--requests 50] [--shots docs/screenshots]

STORE is a store directory made by kg ingest (e.g. the 2,015 diplomacy articles); it is copied with
Oxigraph's backup first, so the original is never written. The views are picked from the store
itself: its most mentioned person, that person's busiest year, a phrase of the search index.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.endpoint import free_port, wait_ready  # noqa: E402

HTML = {"Accept": "text/html"}


def fetch(url: str) -> tuple[float, int, bytes]:
    t0 = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers=HTML), timeout=120) as r:
        body = r.read()
        return time.perf_counter() - t0, r.status, body


def timed(url: str, n: int) -> tuple[float, float, int]:
    fetch(url)  # warm
    times = [fetch(url)[0] for _ in range(n)]
    return statistics.median(times), sorted(times)[max(0, int(round(0.95 * n)) - 1)], len(fetch(url)[2])


def pick(store: ox.Store) -> tuple[str, str, str]:
    """The most mentioned person, their busiest year of events, and their IRI's local page."""
    q = """SELECT ?e (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?a { ?a <https://schema.org/mentions> ?e }
           ?e a <https://w3id.org/newskg/ns#Person> } GROUP BY ?e ORDER BY DESC(?n) LIMIT 1"""
    person = next(iter(store.query(q, use_default_graph_as_union=True)))["e"].value
    q = f"""SELECT ?y (COUNT(?ev) AS ?n) WHERE {{ ?ev a <https://w3id.org/newskg/ns#Event> ;
            <https://w3id.org/newskg/ns#participant> <{person}> ; <https://w3id.org/newskg/ns#date> ?d
            BIND(SUBSTR(STR(?d), 1, 4) AS ?y) }} GROUP BY ?y ORDER BY DESC(?n) LIMIT 1"""
    year = next(iter(store.query(q, use_default_graph_as_union=True)))["y"].value
    return person, year, "/newskg/id/" + person.split("/newskg/id/", 1)[-1] if "/newskg/id/" in person else person


def shots(base: str, views: dict[str, str], folder: Path) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from tests.test_browser import CHROMIUM, DRIVER, FLAGS
    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="kg-shots-")
    options.add_argument(f"--user-data-dir={profile}")
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for name, path in views.items():
            if name.startswith("_"):
                continue
            driver.get(base + path)
            if name == "query-chart":
                end = time.monotonic() + 60
                while time.monotonic() < end and not driver.execute_script(
                        "return document.querySelectorAll('.yasr .dataTable tbody tr').length"):
                    time.sleep(0.2)
                driver.execute_script("kgYasgui.getTab().getYasr().selectPlugin('chart')")
                time.sleep(1)
            if name == "query-cut":
                end = time.monotonic() + 60
                while time.monotonic() < end and driver.execute_script("return document.getElementById('kg-cut').hidden"):
                    time.sleep(0.2)
            if name.startswith("network"):
                end = time.monotonic() + 90
                while time.monotonic() < end and driver.execute_script(
                        "return document.getElementById('network').dataset.ready") != "1":
                    time.sleep(0.2)
                field = driver.find_element("css selector", "[data-find]")
                field.send_keys(views["_find"])
                time.sleep(1)
            driver.set_window_size(1400, 1000)
            driver.save_screenshot(str(folder / f"{name}.png"))
            print(f"  {folder / (name + '.png')}  ({path[:90]})")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store")
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--shots", help="a folder for the screenshots (docs/screenshots)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kg-workbench-"))
    source = ox.Store.read_only(args.store)
    person, year, page = pick(source)
    articles = len(list(source.named_graphs()))
    source.backup(str(tmp / "store"))
    del source
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, KG_STORE=str(tmp / "store"))
    t0 = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(base + "/health", limit=600)
        print(f"store: {args.store} ({articles} graphs); server ready in {time.perf_counter() - t0:.1f} s "
              "(building the search index of the copy included)")
        who = urllib.parse.quote(person, safe="")
        phrase = urllib.parse.quote('"summit"')
        views = {
            "home": "/",
            "meetings": "/meetings",
            "meetings-faceted": f"/meetings?participant={who}&year={year}",
            "statements-by-words": f"/statements?speaker={who}&q={phrase}",
            "search": f"/search?q={phrase}",
            "entity-paged": page,
            "entity-paged-3": page + "?said=3#said",
            "map": f"/map?participant={who}",
            "network": "/network",
            "query-cut": "/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}),
            "query-chart": "/sparql?" + urllib.parse.urlencode({"query": "SELECT ?date WHERE { ?e a kg:Event ; kg:date ?date }"}),
        }
        print(f"{'view':22} {'p50 ms':>8} {'p95 ms':>8} {'KB':>7}   path")
        for name, path in views.items():
            if name in ("network", "query-cut", "query-chart"):
                continue  # drawn in the browser from /network.json and /sparql: timed below as those
            p50, p95, size = timed(base + path, args.requests)
            print(f"{name:22} {p50 * 1000:8.1f} {p95 * 1000:8.1f} {size / 1024:7.0f}   {path[:70]}")
        for name, path in (("network.json", "/network.json"), ("search.json", f"/search.json?q={phrase}")):
            p50, p95, size = timed(base + path, args.requests)
            print(f"{name:22} {p50 * 1000:8.1f} {p95 * 1000:8.1f} {size / 1024:7.0f}   {path}")
        if args.shots:
            name = person.rsplit("/", 1)[-1].replace("-", " ").split()[-1]
            shots(base, {**views, "_find": name.title()}, Path(args.shots))
    finally:
        server.terminate()
        server.wait(timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
