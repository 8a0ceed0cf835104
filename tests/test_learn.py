"""The learned decisions: inference from their JSON, the trainer's choices, and (with the corpora
and the model, in CI) a smoke training run whose weights the extractors then use."""
from __future__ import annotations

import json
import os

import pytest

from kg.extract.decisions import Logistic, bucket, load_models
from kg.learn.train import _folds, best_threshold, fit
from tests.conftest import SHARED


@pytest.mark.parametrize("feats, expected", [({}, 0.5), ({"a": 1.0}, 0.8807970779778823), ({"a": 1.0, "b": 1.0}, 0.5)])
def test_learn_logistic_is_a_sparse_dot_product(feats, expected):
    model = Logistic("m", ("yes",), {"a": (2.0,), "b": (-2.0,)}, (0.0,))
    assert model.probability(feats) == pytest.approx(expected)


def test_learn_logistic_round_trips_through_json_and_splits_its_threshold(tmp_path):
    model = Logistic("m", ("yes",), {"rule=True": (1.0,)}, (-0.5,), 0.6, "rule=True", {"with": 0.3, "without": 0.9})
    (tmp_path / "m.json").write_text(json.dumps(model.to_json()))
    loaded = load_models(tmp_path)["m"]
    assert loaded == model
    assert loaded.yes({"rule=True": 1.0}) == (True, pytest.approx(0.6224593312))
    assert loaded.yes({})[0] is False  # 0.38 < 0.9 without the rules' reading


def test_learn_softmax_picks_the_likeliest_class():
    model = Logistic("s", ("Held", "Planned"), {"will": (-1.0, 1.0)}, (0.5, 0.0))
    assert model.best({})[0] == "Held" and model.best({"will": 1.0})[0] == "Planned"


@pytest.mark.parametrize("n, expected", [(0, "0"), (1, "1"), (4, "3"), (30, "21")])
def test_learn_bucket(n, expected):
    assert bucket(n) == expected


def test_learn_best_threshold_maximises_f1():
    probs, labels = [0.9, 0.8, 0.7, 0.4, 0.2], [1, 1, 0, 1, 0]
    assert best_threshold(probs, labels) == 0.4  # F1 6/7 against 4/5 at 0.8


def test_learn_folds_keep_an_article_together_and_are_seeded():
    groups = [f"a{i // 3}" for i in range(60)]
    folds = _folds(groups, seed=13)
    assert sorted(i for f in folds for i in f) == list(range(60))
    assert all(len({groups[i] for i in f} & {groups[i] for i in g}) == 0 for f in folds for g in folds if f is not g)
    assert folds == _folds(groups, seed=13)


def test_learn_fit_learns_a_separable_decision_and_is_deterministic():
    feats = [{"bias": 1.0, f"w={w}": 1.0} for w in ["met", "met", "talks", "said", "said", "grew"] * 10]
    labels = [1, 1, 1, 0, 0, 0] * 10
    groups = [f"a{i}" for i in range(60)]
    a = fit("m", feats, labels, groups, seed=1)
    b = fit("m", feats, labels, groups, seed=1)
    assert a.model == b.model
    assert a.model.probability({"bias": 1.0, "w=met": 1.0}) > 0.8 > 0.2 > a.model.probability({"bias": 1.0, "w=said": 1.0})


@pytest.mark.model
@pytest.mark.skipif(not (SHARED / "corpus").exists() and not os.environ.get("CI"),
                    reason="needs ../shared (CI has it and never skips)")
def test_learn_a_smoke_training_run_gives_weights_the_extractors_use(model_nlp, tmp_path):
    from kg.extract.meetings import MODELS, extract_meetings
    from kg.learn.train import train
    from tests.helpers import analyse
    report = train(SHARED, out=tmp_path, articles=12, seed=3, nlp=model_nlp)
    models = load_models(tmp_path)
    assert report["articles"] == 12 and MODELS <= set(models)
    assert all(len(models[name].weights) > 10 for name in MODELS)
    art, doc, ents, roles = analyse(model_nlp, "Karl Huber met Anna Weber in Vienna on Monday.")
    meetings, _ = extract_meetings(doc, art, ents, roles, models=load_models(tmp_path))
    assert all(m.confidence is not None for m in meetings)


def test_learn_models_are_read_again_when_their_files_change(tmp_path):
    import os
    model = Logistic("m", ("yes",), {"a": (1.0,)}, (0.0,))
    (tmp_path / "m.json").write_text(json.dumps(model.to_json()))
    assert load_models(tmp_path)["m"].calibration is None
    (tmp_path / "m.json").write_text(json.dumps({**model.to_json(), "calibration": [0.5, 0.1]}))
    os.utime(tmp_path / "m.json", ns=(1, 10**18))  # a later time, whatever the file system's clock
    assert load_models(tmp_path)["m"].calibration == (0.5, 0.1)
