"""Score annotated articles end to end: ingest them into a scratch store with the given decisions,
export, and run the shared scorer on their gold (its words read back from the corpus)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from kg.config import Config
from kg.learn.corpus import Annotated


def score(corpus: list[Annotated], shared: Path, nlp, *, models: str = "", keep: Path | None = None) -> dict:
    """The scorer's figures (its --json output) for these articles, extracted with the decisions in
    `models` ('' the package's, 'none' the rules alone)."""
    return score_parts([(corpus, models)], shared, nlp, keep=keep)


def score_parts(parts: list[tuple[list[Annotated], str]], shared: Path, nlp, *, keep: Path | None = None) -> dict:
    """As `score`, over several sets of articles each extracted with its own decisions (the folds of
    a cross-validation), scored together."""
    from kg.ingest import ingest_records
    from kg.stores import open_store
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        gold = work / "gold"
        gold.mkdir()
        config = Config.load(env={**os.environ, "KG_WORKERS": "0"}, store=str(work / "store"))
        store = open_store(config)
        for corpus, models in parts:
            for a in corpus:
                (gold / f"{a.id}.json").write_text(json.dumps(a.gold, ensure_ascii=False), encoding="utf-8")
            old = os.environ.get("KG_MODELS")
            os.environ["KG_MODELS"] = models
            try:
                ingest_records([a.record for a in corpus], config, nlp=nlp, store=store)
            finally:
                if old is None:
                    os.environ.pop("KG_MODELS", None)
                else:
                    os.environ["KG_MODELS"] = old
        dump = work / "dump.nq"
        store.flush()
        with dump.open("wb") as fh:
            store.export("nquads", fh)
        if keep is not None:  # the dump and the gold, for reading the errors
            keep.mkdir(parents=True, exist_ok=True)
            (keep / "dump.nq").write_bytes(dump.read_bytes())
            for g in gold.iterdir():
                (keep / "gold").mkdir(exist_ok=True)
                (keep / "gold" / g.name).write_bytes(g.read_bytes())
        out = work / "score.json"
        subprocess.run([sys.executable, str(shared / "eval" / "score.py"), str(gold), "--dump", str(dump),
                        "--json", str(out)], check=True, capture_output=True)
        return json.loads(out.read_text())
