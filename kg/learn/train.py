"""Fit the learned decisions on the training part of the corpus and write them as package data.

    kg train --shared ../shared [--out kg/extract/models] [--articles N] [--seed 13]

Each decision is a logistic regression (scikit-learn) over the features of kg.extract: its
regularisation and threshold are chosen by five-fold cross-validation grouped by article, then it
is fitted on every training article and written as JSON. Seeded folds and a deterministic solver
make the same corpus give the same weights. The held-apart part is never read here.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import random
from dataclasses import dataclass
from pathlib import Path

from kg.extract.decisions import Logistic
from kg.learn.corpus import Annotated

C_GRID = (0.03, 0.1, 0.3, 1.0)
STATEMENT_RECALL = 2.0  # F-beta of the statement decision's cut: a statement missed costs more than one kept
FOLDS = 5


@dataclass(frozen=True)
class Fitted:
    model: Logistic
    oof: list  # out-of-fold probabilities (binary) or predicted classes, for reports
    c: float


def fit(name: str, feats: list[dict], labels: list, groups: list[str], *, seed: int,
        binary: bool = True, split: str | None = None, beta: float = 1.0) -> Fitted:
    """The decision `name`, its regularisation chosen by grouped cross-validation (log-loss), its
    threshold (binary) the one with the best F1 out of fold; with `split`, one threshold for the rows
    that have that feature and one for those that do not (the rules' own choice and the others);
    `beta` > 1 weighs recall over precision in that choice (F-beta)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss

    vec = DictVectorizer(sort=True)
    x = vec.fit_transform(feats)
    y = labels
    folds = _folds(groups, seed)
    best = None
    for c in C_GRID:
        oof: list = [None] * len(y)
        for test in folds:
            train = [i for i in range(len(y)) if i not in test]
            if len({y[i] for i in train}) < 2:
                continue
            clf = LogisticRegression(C=c, max_iter=5000, solver="lbfgs")
            clf.fit(x[train], [y[i] for i in train])
            probs = clf.predict_proba(x[sorted(test)])
            for row, i in zip(probs, sorted(test)):
                oof[i] = dict(zip(clf.classes_, row))
        scored = [(i, p) for i, p in enumerate(oof) if p is not None]
        classes = sorted({*y})
        loss = log_loss([y[i] for i, _ in scored], [[p.get(k, 1e-9) for k in classes] for _, p in scored],
                        labels=classes)
        if best is None or loss < best[0]:
            best = (loss, c, oof)
    _, c, oof = best
    clf = LogisticRegression(C=c, max_iter=5000, solver="lbfgs")
    clf.fit(x, y)
    names = vec.get_feature_names_out()
    if binary:
        probs = [p.get(1, 0.0) if p else 0.0 for p in oof]
        threshold = best_threshold(probs, y, beta)
        cuts = {}
        if split is not None:
            for part, has in (("with", True), ("without", False)):
                rows = [i for i, f in enumerate(feats) if (split in f) == has]
                if rows and 0 < sum(y[i] for i in rows) < len(rows):
                    cuts[part] = best_threshold([probs[i] for i in rows], [y[i] for i in rows], beta)
        weights = {n: (round(float(w), 6),) for n, w in zip(names, clf.coef_[0]) if abs(w) >= 1e-6}
        model = Logistic(name, ("yes",), weights, (round(float(clf.intercept_[0]), 6),), threshold, split, cuts)
        return Fitted(model, probs, c)
    classes = tuple(str(k) for k in clf.classes_)
    coef = clf.coef_ if len(classes) > 2 else [-clf.coef_[0] / 2, clf.coef_[0] / 2]
    bias = clf.intercept_ if len(classes) > 2 else [-clf.intercept_[0] / 2, clf.intercept_[0] / 2]
    weights = {}
    for j, n in enumerate(names):
        w = tuple(round(float(coef[k][j]), 6) for k in range(len(classes)))
        if any(abs(v) >= 1e-6 for v in w):
            weights[n] = w
    model = Logistic(name, classes, weights, tuple(round(float(b), 6) for b in bias))
    return Fitted(model, [max(p, key=p.get) if p else None for p in oof], c)


def best_threshold(probs: list[float], labels: list[int], beta: float = 1.0) -> float:
    """The probability cut with the best F-beta (F1 by default) on these out-of-fold predictions."""
    pairs = sorted(zip(probs, labels), reverse=True)
    positives = sum(labels)
    best, best_f1, tp = 0.5, -1.0, 0
    b2 = beta * beta
    for k, (p, y) in enumerate(pairs, 1):
        tp += y
        f1 = (1 + b2) * tp / (k + b2 * positives) if positives else 0.0
        if f1 > best_f1 and (k == len(pairs) or pairs[k][0] < p):
            best, best_f1 = p, f1
    return round(best, 4)


def _folds(groups: list[str], seed: int) -> list[set[int]]:
    """FOLDS sets of row indexes, every article's rows in one fold, articles dealt in a seeded order."""
    articles = sorted(set(groups))
    random.Random(seed).shuffle(articles)
    fold_of = {a: k % FOLDS for k, a in enumerate(articles)}
    out: list[set[int]] = [set() for _ in range(FOLDS)]
    for i, g in enumerate(groups):
        out[fold_of[g]].add(i)
    return [f for f in out if f]


def parse(nlp, corpus: list[Annotated], cache: Path | None):
    """(doc, annotated) for each article, parsed once per text and model (a DocBin in `cache`)."""
    from spacy.tokens import DocBin
    key = hashlib.sha256("\n".join(f"{a.id}:{a.article.content_hash}" for a in corpus).encode()).hexdigest()[:16]
    path = cache / f"{nlp.meta.get('name', 'model')}-{key}.spacy" if cache else None
    if path is not None and path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe([a.article.text for a in corpus], batch_size=32))
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            DocBin(store_user_data=True, docs=docs).to_disk(path)
    return list(zip(docs, corpus))


def train_meetings(docs, out: Path, seed: int) -> dict:
    from kg.learn.meetings import meeting_rows
    rows = meeting_rows(docs)
    report = {}
    for name, r, binary, split in (("meeting", rows.trigger, True, "found_rule=True"),
                                   ("meeting-participant", rows.participant, True, "rule=True"),
                                   ("meeting-status", rows.status, False, None)):
        fitted = fit(name, r.feats, r.labels, r.groups, seed=seed, binary=binary, split=split)
        write(fitted.model, out)
        report[name] = {"rows": len(r.labels), "C": fitted.c, "threshold": fitted.model.threshold,
                        "cuts": dict(fitted.model.cuts), "features": len(fitted.model.weights)}
    return report


def write(model: Logistic, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{model.name}.json").write_text(json.dumps(model.to_json(), sort_keys=True, separators=(",", ":")) + "\n",
                                            encoding="utf-8")


def cross_validate(docs, shared: Path, nlp, work: Path, seed: int, keep: Path | None = None) -> dict:
    """The scorer's figures on the training articles, each extracted by decisions fitted on the other
    folds (grouped by article, seeded): how the learned extraction does on text it was not fitted to,
    without touching the held-apart part."""
    from kg.learn.evaluate import score_parts
    ids = sorted({ann.id for _, ann in docs})
    random.Random(seed).shuffle(ids)
    fold = {a: k % FOLDS for k, a in enumerate(ids)}
    parts = []
    for k in range(FOLDS):
        train = [(d, a) for d, a in docs if fold[a.id] != k]
        test = [a for _, a in docs if fold[a.id] == k]
        out = work / f"fold-{k}"
        train_meetings(train, out, seed)
        train_statements(train, out, seed)
        train_types(train, out, seed)
        parts.append((test, str(out)))
    return score_parts(parts, shared, nlp, keep=keep)


def train(shared: Path, *, out: Path, root: Path | None = None, articles: int | None = None, seed: int = 13,
          cache: Path | None = None, nlp=None) -> dict:
    """Fit every learned decision on the training part (its first `articles` in a seeded order, for
    learning curves and smoke runs) and write them to `out`. Returns what was fitted."""
    from kg.extract.nlp import load as load_nlp
    from kg.learn.corpus import TRAINING, load
    corpus = load(shared, root or TRAINING, parts=("train",))
    if articles is not None:
        corpus = sorted(corpus, key=lambda a: a.id)
        random.Random(seed).shuffle(corpus)
        corpus = corpus[:articles]
    nlp = nlp or load_nlp("auto")
    docs = parse(nlp, corpus, cache)
    report = {"articles": len(docs), "seed": seed}
    report.update(train_meetings(docs, out, seed))
    report.update(train_statements(docs, out, seed))
    report.update(train_types(docs, out, seed))
    report["calibration"] = calibrate(docs, out, seed)
    return report


CALIBRATED = {"meeting": "meeting", "participant": "meeting-participant", "statement": "statement",
              "speaker": "statement-speaker"}  # the facts judged -> the decision that states their confidence


def calibrate(docs, out: Path, seed: int) -> dict:
    """Platt scaling of each stated confidence: the decisions of every fold, fitted on the others,
    extract that fold's articles; each fact is judged against the gold (kg.learn.reliability) and
    P(right) is fitted as a logistic function of the decision's log-odds. Written into the models
    in `out`; the held-apart part is not read."""
    import tempfile

    from sklearn.linear_model import LogisticRegression

    from kg.extract.decisions import load_models
    from kg.extract.pipeline import extract
    from kg.learn.reliability import Judged, judge
    ids = sorted({ann.id for _, ann in docs})
    random.Random(seed).shuffle(ids)
    fold = {a: k % FOLDS for k, a in enumerate(ids)}
    judged = Judged()
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(FOLDS):
            train = [(d, a) for d, a in docs if fold[a.id] != k]
            models_dir = Path(tmp) / f"fold-{k}"
            train_meetings(train, models_dir, seed)
            train_statements(train, models_dir, seed)
            train_types(train, models_dir, seed)
            models = load_models(models_dir)
            for doc, ann in docs:
                if fold[ann.id] == k:
                    judge(extract(doc, ann.article, models), ann, judged)
    final = load_models(out)
    report = {}
    for kind, name in CALIBRATED.items():
        pairs = judged.pairs.get(kind, [])
        if len({r for _, r in pairs}) < 2:
            continue
        x = [[math.log(min(max(p, 1e-6), 1 - 1e-6) / (1 - min(max(p, 1e-6), 1 - 1e-6)))] for p, _ in pairs]
        clf = LogisticRegression(C=1.0).fit(x, [int(r) for _, r in pairs])
        cal = (round(float(clf.coef_[0][0]), 6), round(float(clf.intercept_[0]), 6))
        write(dataclasses.replace(final[name], calibration=cal), out)
        report[kind] = {"facts": len(pairs), "a": cal[0], "b": cal[1]}
    return report


def train_types(docs, out: Path, seed: int) -> dict:
    from kg.learn.types import type_rows
    rows = type_rows(docs)
    fitted = fit("entity-type", rows.feats, rows.labels, rows.groups, seed=seed, binary=False)
    write(fitted.model, out)
    return {"entity-type": {"rows": len(rows.labels), "C": fitted.c, "features": len(fitted.model.weights)}}


def train_statements(docs, out: Path, seed: int) -> dict:
    from kg.learn.statements import statement_rows
    keep, speaker = statement_rows(docs)
    report = {}
    for name, r, beta in (("statement", keep, STATEMENT_RECALL), ("statement-speaker", speaker, 1.0)):
        fitted = fit(name, r.feats, r.labels, r.groups, seed=seed, beta=beta)
        write(fitted.model, out)
        report[name] = {"rows": len(r.labels), "C": fitted.c, "threshold": fitted.model.threshold,
                        "features": len(fitted.model.weights)}
    return report
