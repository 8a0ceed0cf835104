"""Extraction quality on the development sets, in one run with the model loaded once.

    python bench/evaluate.py [--shared ../shared] [--json FILE]

Ingests each set into a fresh store, exports it and scores the dump with the shared scorers:
the seeds (eval/dev), dev-news split into the part rules are tuned on and the part kept aside
(the BBC articles and every third diplomacy article, in file-name order), dev-news whole, and
PolNeAR train with attribution_score.py. Prints one line of figures per set.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.config import Config  # noqa: E402
from kg.extract.nlp import load  # noqa: E402
from kg.ingest import ingest  # noqa: E402
from kg.stores import open_store  # noqa: E402

CATEGORIES = ("Person", "Organisation", "GPE", "Role", "Meeting", "Statement")


def held_out(gold: list[Path]) -> set[str]:
    """The dev-news articles kept aside: every BBC one and every third of the others."""
    others = sorted(p.stem for p in gold if not p.stem.startswith("bbc_"))
    return {p.stem for p in gold if p.stem.startswith("bbc_")} | set(others[2::3])


def dump(inputs: list[str], work: Path, nlp) -> Path:
    config = Config.load(store=str(work / "store"))
    store = open_store(config)
    ingest(inputs, config, nlp=nlp, store=store)
    out = work / "dump.nq"
    with out.open("wb") as fh:
        store.export("nquads", fh)
    return out


def score(shared: Path, gold: Path, nq: Path, work: Path) -> dict:
    out = work / f"score-{gold.name}.json"
    subprocess.run([sys.executable, str(shared / "eval" / "score.py"), str(gold), "--dump", str(nq),
                    "--json", str(out)], check=True, capture_output=True)
    return json.loads(out.read_text())


def attribution(shared: Path, corpus: Path, nq: Path, work: Path) -> dict:
    out = work / "attribution.json"
    subprocess.run([sys.executable, str(shared / "eval" / "attribution_score.py"), str(corpus), "--dump", str(nq),
                    "--json", str(out)], check=True, capture_output=True)
    return json.loads(out.read_text())


def line(name: str, figures: dict) -> str:
    parts = [f"{c} {figures[c]['f1']:.2f}" for c in CATEGORIES if c in figures]
    attrs = [f"{k.split('.', 1)[1]} {v:.2f}" for k, v in sorted(figures.items())
             if k.startswith("meeting-attributes.") and v is not None]
    return f"{name:15} overall {figures['overall_f1']:.3f}  " + "  ".join(parts) + ("  | meeting " + " ".join(attrs)
                                                                                 if attrs else "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--json", help="write every figure to this file")
    args = ap.parse_args()
    shared = Path(args.shared)
    nlp = load("auto")
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        seeds = tmp / "seeds"
        seeds.mkdir()
        results["seeds"] = score(shared, shared / "eval" / "dev", dump([str(ROOT / "examples" / "seeds")], seeds, nlp),
                                 seeds)
        news = tmp / "dev-news"
        news.mkdir()
        nq = dump([str(shared / "eval" / "dev-news" / "text")], news, nlp)
        gold = sorted((shared / "eval" / "dev-news" / "gold").glob("*.json"))
        aside = held_out(gold)
        for part, keep in (("dev-news tune", lambda p: p.stem not in aside), ("dev-news aside", lambda p: p.stem in aside)):
            d = news / part.replace(" ", "-")
            d.mkdir()
            for p in gold:
                if keep(p):
                    shutil.copy(p, d / p.name)
            results[part] = score(shared, d, nq, news)
        results["dev-news"] = score(shared, shared / "eval" / "dev-news" / "gold", nq, news)
        polnear = tmp / "polnear"
        polnear.mkdir()
        corpus = shared / "corpus" / "polnear-train"
        results["polnear"] = attribution(shared, corpus, dump([str(corpus / "text")], polnear, nlp), polnear)
    for name, figures in results.items():
        if name == "polnear":
            print(f"{name:15} " + "  ".join(f"{k} {v:.2f}" for k, v in figures.items() if isinstance(v, float)))
        else:
            print(line(name, figures))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
