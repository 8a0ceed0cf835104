"""End to end with the statistical model: the seeds and the PolNeAR sample scored by shared/eval.
These are the issue's acceptance figures; they run in CI (marked `model`)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kg.config import Config
from kg.ingest import ingest
from kg.stores import EmbeddedStore
from kg.stores.validate import validate
from kg.stores.base import Store
from tests.conftest import SEEDS, SHARED

pytestmark = [pytest.mark.model,
              pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists() and not os.environ.get("CI"),
                                 reason="needs ../shared/eval (CI has it and never skips)")]


def _build(model_nlp, tmp_path, source) -> tuple[Store, str]:
    config = Config.load(env={}, store=str(tmp_path / "store"))
    store = EmbeddedStore(config.store, config.base_iri)
    summary = ingest([str(source)], config, nlp=model_nlp, store=store)
    assert summary.failed == 0, summary.errors
    dump = tmp_path / "dump.nq"
    with dump.open("wb") as out:
        store.export("nquads", out)
    return store, str(dump)


def _score(script: str, *args: str, tmp_path) -> dict:
    out = tmp_path / "score.json"
    subprocess.run([sys.executable, str(SHARED / "eval" / script), *args, "--json", str(out)], check=True,
                   capture_output=True, text=True)
    return json.loads(out.read_text())


def test_model_seeds_meet_the_extraction_targets(model_nlp, tmp_path):
    store, dump = _build(model_nlp, tmp_path, SEEDS)
    s = _score("score.py", str(SHARED / "eval" / "dev"), "--dump", dump, tmp_path=tmp_path)
    assert s["overall_f1"] >= 0.95, s
    assert s["Person"]["f1"] >= 0.90 and s["Organisation"]["f1"] >= 0.80 and s["GPE"]["f1"] >= 0.85
    assert s["Role"]["f1"] >= 0.60
    assert s["Meeting"]["f1"] >= 0.75 and s["meeting-attributes.status"] >= 0.80
    assert s["meeting-attributes.date"] >= 0.60
    assert s["Statement"]["f1"] >= 0.80
    assert s["article-attributes.date"] >= 2 / 3 and s["article-attributes.headline"] >= 4 / 5
    conforms, report = validate(store)
    assert conforms, report


def test_model_polnear_attribution_targets(model_nlp, tmp_path):
    corpus = SHARED / "corpus" / "polnear-train"
    _store, dump = _build(model_nlp, tmp_path, corpus / "text")
    s = _score("attribution_score.py", str(corpus), "--dump", dump, tmp_path=tmp_path)
    assert s["precision"] >= 0.85 and s["speech_recall"] >= 0.80 and s["speaker_accuracy"] >= 0.85, s


def test_model_seeds_one_at_a_time_in_opposite_orders_give_the_same_graph(model_nlp, tmp_path):
    seeds = sorted(SEEDS.glob("*.txt"))
    dumps = []
    for name, order in (("forward", seeds), ("reverse", seeds[::-1])):
        config = Config.load(env={}, store=str(tmp_path / name))
        store = EmbeddedStore(config.store, config.base_iri)
        for f in order:
            ingest([str(f)], config, nlp=model_nlp, store=store)
        again = ingest([str(SEEDS)], config, nlp=model_nlp, store=store)
        assert (again.articles, again.skipped) == (0, 5)
        out = tmp_path / f"{name}.nq"
        with out.open("wb") as fh:
            store.export("nquads", fh)
        dumps.append(out.read_bytes())
    assert dumps[0] == dumps[1]


def test_model_devnews_meets_the_extraction_targets(model_nlp, tmp_path):
    """dev-news, 27 articles the learned decisions were not fitted to (the rules were tuned on them:
    with the rules alone meetings scored 0.76, with the learned decisions 0.67 — docs/learning.md).
    The floors are the figures measured with the shipped weights, less a margin."""
    _store, dump = _build(model_nlp, tmp_path, SHARED / "eval" / "dev-news" / "text")
    s = _score("score.py", str(SHARED / "eval" / "dev-news" / "gold"), "--dump", dump, tmp_path=tmp_path)
    assert s["overall_f1"] >= 0.80, s
    assert s["Person"]["f1"] >= 0.93 and s["GPE"]["f1"] >= 0.93 and s["Organisation"]["f1"] >= 0.80, s
    assert s["Role"]["f1"] >= 0.78 and s["Statement"]["f1"] >= 0.80, s
    assert s["Meeting"]["f1"] >= 0.52, s
    assert s["meeting-attributes.status"] >= 0.85 and s["meeting-attributes.date"] >= 0.70, s
