"""Atomic articles: an ingest killed with SIGKILL at random points leaves a store that opens,
validates and holds no partial article; running the same ingest again ends with the same graph
as an uninterrupted run."""
from __future__ import annotations

import io
import os
import random
import shutil
import signal
import subprocess
import sys
import time

from kg.config import Config
from kg.stores import EmbeddedStore
from kg.stores.validate import validate

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


def _ingest(folder, store, *, kill_after: float | None = None) -> float:
    """Run `kg ingest` in a child process; SIGKILL it after `kill_after` seconds. Returns its time."""
    env = dict(os.environ, KG_STORE=str(store), KG_SPACY_MODEL="blank", KG_BATCH_SIZE="4")
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "ingest", str(folder)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if kill_after is None:
        assert proc.wait(300) == 0
        return time.monotonic() - t0
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    return time.monotonic() - t0


def _dump(path) -> bytes:
    config = Config.load(env={}, store=str(path))
    buf = io.BytesIO()
    EmbeddedStore(config.store, config.base_iri).export("nquads", buf)
    return buf.getvalue()


def test_crash_sigkill_leaves_no_partial_article_and_rerun_converges(tmp_path):
    folder = tmp_path / "in"
    _articles(folder, 400)
    one = tmp_path / "one"
    one.mkdir()
    (one / "a.txt").write_text((folder / "a000.txt").read_text())
    startup = _ingest(one, tmp_path / "warmup")  # process start and imports, one article
    whole = _ingest(folder, tmp_path / "reference")
    reference = _dump(tmp_path / "reference")
    crashed = tmp_path / "crashed"
    rng = random.Random(11)
    seen_partial_runs = 0
    share = 0.5  # of the writing part of a run, after which the kill comes
    for attempt in range(10):  # kill in the middle of runs (bounded); each run goes on where the last stopped
        _ingest(folder, crashed, kill_after=startup + rng.uniform(0.2, 1.0) * share * (whole - startup))
        config = Config.load(env={}, store=str(crashed))
        store = EmbeddedStore(config.store, config.base_iri)
        conforms, report = validate(store)
        assert conforms, report
        articles = [g for g in store.ox.named_graphs() if "/article/" in g.value]
        for g in articles:  # every article graph was written whole: its hash is there
            assert store.content_hash(g), g
        del store
        seen_partial_runs += 0 < len(articles) < 400
        if len(articles) == 400 and seen_partial_runs < 2:  # the kill came too late (a fast machine): again,
            shutil.rmtree(crashed)                          # from an empty store, earlier
            share /= 2
        elif not articles:
            share = min(1.0, share * 2)  # too early: later
        if seen_partial_runs >= 2:
            break
    assert seen_partial_runs >= 1, "no kill landed in the middle of an ingest"
    _ingest(folder, crashed)
    assert _dump(crashed) == reference


def test_crash_sigkill_of_ingest_ends_its_nlp_child_too(tmp_path):
    """The forked NLP child waits on its own queue: without a parent-death signal it lived for ever."""
    folder = tmp_path / "in"
    _articles(folder, 400)
    env = dict(os.environ, KG_STORE=str(tmp_path / "store"), KG_SPACY_MODEL="blank", KG_BATCH_SIZE="4",
               KG_WORKERS="1")
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "ingest", str(folder)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[int] = []
    deadline = time.monotonic() + 60
    while not children and time.monotonic() < deadline and proc.poll() is None:
        out = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout
        children = [int(p) for p in out.split()]
        time.sleep(0.05)
    assert children, "the ingest forked no NLP child (a single core?)"
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    deadline = time.monotonic() + 10
    while any(os.path.exists(f"/proc/{c}") and "zombie" not in open(f"/proc/{c}/status").read().lower()
              for c in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [c for c in children if os.path.exists(f"/proc/{c}")
             and "zombie" not in open(f"/proc/{c}/status").read().lower()]
    assert not alive, f"NLP child processes outlived kg ingest: {alive}"
