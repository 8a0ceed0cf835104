"""Atomic articles: an ingest killed with SIGKILL at random points leaves a store that opens,
validates and holds no partial article; running the same ingest again ends with the same graph
as an uninterrupted run."""
from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import time

from kg.config import Config
from kg.store import Store
from kg.validate import validate

NAMES = ["Russia", "Ukraine", "France", "Germany", "China", "Kremlin", "NATO", "Japan", "Turkey", "Poland"]


def _articles(folder, n: int) -> None:
    folder.mkdir()
    rng = random.Random(7)
    for i in range(n):
        a, b, c = rng.sample(NAMES, 3)
        (folder / f"a{i:03d}.txt").write_text(
            f"Officials in {a} said that talks with {b} would resume in {c} next week. "
            f"{a} stressed that any agreement must include {b} and {c}. "
            f"The summit between {a} and {b} in {c} was postponed, {c} said on Friday.")


def _ingest(folder, store, *, kill_after: float | None = None) -> None:
    env = dict(os.environ, KG_STORE=str(store), KG_SPACY_MODEL="blank", KG_BATCH_SIZE="4")
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "ingest", str(folder)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if kill_after is None:
        assert proc.wait(120) == 0
        return
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)


def _dump(path) -> bytes:
    config = Config.load(env={}, store=str(path))
    buf = io.BytesIO()
    Store(config.store, config.base_iri).export("nquads", buf)
    return buf.getvalue()


def test_crash_sigkill_leaves_no_partial_article_and_rerun_converges(tmp_path):
    folder = tmp_path / "in"
    _articles(folder, 300)
    _ingest(folder, tmp_path / "reference")
    reference = _dump(tmp_path / "reference")
    crashed = tmp_path / "crashed"
    rng = random.Random(11)
    seen_partial_runs = 0
    for _ in range(4):
        _ingest(folder, crashed, kill_after=rng.uniform(1.0, 3.0))
        config = Config.load(env={}, store=str(crashed))
        store = Store(config.store, config.base_iri)
        conforms, report = validate(store)
        assert conforms, report
        articles = [g for g in store.ox.named_graphs() if "/article/" in g.value]
        for g in articles:  # every article graph was written whole: its hash is there
            assert store.content_hash(g), g
        seen_partial_runs += 0 < len(articles) < 300
        del store
    assert seen_partial_runs >= 1, "no kill landed in the middle of an ingest; raise the article count"
    _ingest(folder, crashed)
    assert _dump(crashed) == reference
