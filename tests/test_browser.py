"""The query page in a real headless browser (Debian's chromium): the page's script runs a shipped
example against the endpoint and renders the results as a table with links."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM and not os.environ.get("CI"),
                                reason="chromium is not installed (CI installs it and never skips)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=15000"]


def _dom(url: str, tmp_path) -> str:
    assert CHROMIUM, "chromium is missing: .ci/run installs it"
    proc = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", url],
                          capture_output=True, text=True, timeout=90)
    return proc.stdout


def test_browser_query_page_runs_an_example_and_links_results(live_server, tmp_path):
    dom = _dom(live_server + "/sparql?run", tmp_path)
    assert 'id="result-table"' in dom, dom[-2000:]
    table = dom[dom.index('id="result-table"'):]
    assert "Kremlin Says Russia Eager for Putin-Trump Summit" in table
    assert 'href="/newskg/id/article/001_6dee4a507677732a"' in table
    assert "5 rows" in dom


def test_browser_entity_page_renders(live_server, tmp_path):
    dom = _dom(live_server + "/newskg/id/person/vladimir-putin", tmp_path)
    assert "<h1>Vladimir Putin" in dom and 'class="meeting"' in dom and 'class="statement"' in dom
