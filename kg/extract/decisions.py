"""Learned decisions over the rules' candidates: logistic models over named features.

A model is a JSON file of package data (`kg/extract/models/<name>.json`, written by `kg train`):
its classes, one weight per feature and class, a bias per class and the threshold chosen for it.
Inference is a sparse dot product in plain Python, so the extractors need no learning library, and
the same features and weights give the same answer on every machine. Without a model file the
rules decide alone.
"""
from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

Features = Mapping[str, float]


@dataclass(frozen=True)
class Logistic:
    name: str
    classes: tuple[str, ...]  # one class: a binary decision, P(classes[0])
    weights: Mapping[str, tuple[float, ...]]  # feature -> one weight per class
    bias: tuple[float, ...]
    threshold: float = 0.5  # for a binary decision: what counts as yes
    split: str | None = None  # a feature whose presence selects its own threshold (`cuts`)
    cuts: Mapping[str, float] = field(default_factory=dict)  # "with" / "without" that feature
    calibration: tuple[float, float] | None = None  # (a, b): P(right) = sigmoid(a * logit(p) + b)

    def scores(self, feats: Features) -> list[float]:
        z = list(self.bias)
        for name, value in feats.items():
            w = self.weights.get(name)
            if w is not None:
                for k, wk in enumerate(w):
                    z[k] += wk * value
        return z

    def cut(self, feats: Features) -> float:
        """The threshold for these features: one for rows with the split feature, one without."""
        if self.split is None:
            return self.threshold
        return self.cuts.get("with" if self.split in feats else "without", self.threshold)

    def yes(self, feats: Features) -> tuple[bool, float]:
        p = self.probability(feats)
        return p >= self.cut(feats), p

    def probability(self, feats: Features) -> float:
        """P(yes) of a binary decision."""
        z = self.scores(feats)[0]
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def calibrated(self, p: float) -> float:
        """How likely the fact a decision of probability p made is right (Platt scaling fitted on
        articles the decision was not fitted to); p itself without a calibration."""
        if self.calibration is None:
            return p
        a, b = self.calibration
        p = min(max(p, 1e-6), 1 - 1e-6)
        z = a * math.log(p / (1 - p)) + b
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def probabilities(self, feats: Features) -> dict[str, float]:
        """P(class) of a decision among several classes (softmax)."""
        z = self.scores(feats)
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return {c: v / total for c, v in zip(self.classes, e)}

    def best(self, feats: Features) -> tuple[str, float]:
        probs = self.probabilities(feats)
        c = max(self.classes, key=lambda k: (probs[k], k))
        return c, probs[c]

    def to_json(self) -> dict:
        return {"name": self.name, "classes": list(self.classes), "bias": list(self.bias),
                "threshold": self.threshold, "split": self.split, "cuts": dict(self.cuts),
                "calibration": list(self.calibration) if self.calibration else None,
                "weights": {k: list(v) for k, v in sorted(self.weights.items())}}

    @classmethod
    def from_json(cls, data: dict) -> "Logistic":
        return cls(data["name"], tuple(data["classes"]), {k: tuple(v) for k, v in data["weights"].items()},
                   tuple(data["bias"]), data.get("threshold", 0.5), data.get("split"), data.get("cuts") or {},
                   tuple(data["calibration"]) if data.get("calibration") else None)


Models = Mapping[str, Logistic]


def load_models(directory: str | Path | None = None) -> dict[str, Logistic]:
    """Every model in `directory` (default: KG_MODELS, else the package's own), by name; {} when
    there are none or KG_MODELS is 'none'."""
    if directory is None:
        from kg.config import Config
        directory = Config.load().models or None
    if directory is None:
        return dict(_package_models())
    if str(directory) == "none":
        return {}
    folder = Path(directory).resolve()
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.json")))
    return _cached(str(folder), stamp)


@functools.lru_cache(maxsize=16)
def _cached(directory: str, stamp: tuple) -> dict[str, Logistic]:
    """The models of a folder, read again when a file in it changed (`stamp`: names and times)."""
    del stamp
    return _read(Path(directory))


@functools.cache
def _package_models() -> tuple[tuple[str, Logistic], ...]:
    folder = resources.files("kg.extract") / "models"
    if not folder.is_dir():
        return ()
    return tuple(sorted(_read(Path(str(folder))).items()))


def _read(folder: Path) -> dict[str, Logistic]:
    out = {}
    for path in sorted(folder.glob("*.json")):
        model = Logistic.from_json(json.loads(path.read_text(encoding="utf-8")))
        out[model.name] = model
    return out


def bucket(n: float, edges: tuple[float, ...] = (0, 1, 2, 3, 5, 8, 13, 21)) -> str:
    """A count or distance as a coarse feature value: the largest edge it reaches."""
    label = "<" + str(edges[0])
    for e in edges:
        if n >= e:
            label = str(e)
    return label
