"""The learned decisions measured: scores on the held-apart part and on dev-news with the rules alone
and with decisions fitted on 50, 100, 200 and all training articles (learning curves), and the
reliability of the stated confidence on the held-apart part.

    python bench/learning.py [--shared ../shared] [--sizes 50,100,200] [--json FILE]

Nothing here is fitted to the held-apart part or to dev-news; each size draws its training
articles in a seeded order (the same draw as `kg train --articles N`).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from kg.extract.nlp import load as load_nlp  # noqa: E402
from kg.learn.corpus import Annotated, load  # noqa: E402
from kg.learn.evaluate import score  # noqa: E402
from kg.learn.reliability import Judged, judge  # noqa: E402
from kg.learn.train import parse, train  # noqa: E402
from kg.read.clean import to_article  # noqa: E402
from kg.read.sources import read_inputs  # noqa: E402

CATEGORIES = ("Person", "Organisation", "GPE", "Role", "Meeting", "Statement")


def devnews(shared: Path) -> list[Annotated]:
    out = []
    for rec in read_inputs([str(shared / "eval/dev-news/text")], max_bytes=10**8):
        gold = json.loads((shared / "eval/dev-news/gold" / f"{rec.id}.json").read_text())
        out.append(Annotated(rec.id, "dev-news", "dev", "", to_article(rec), gold, rec))
    return out


def figures(s: dict) -> dict:
    return {"overall": round(s["overall_f1"], 3), **{c: round(s[c]["f1"], 3) for c in CATEGORIES},
            "meeting status": round(s.get("meeting-attributes.status") or 0, 3)}


def by_source(held: list[Annotated], dev: list[Annotated], shared: Path, nlp, models: str) -> dict:
    """Held-apart (whole and per source) and dev-news figures with these decisions."""
    out = {"held-apart": figures(score(held, shared, nlp, models=models)),
           "dev-news": figures(score(dev, shared, nlp, models=models))}
    for source in sorted({a.source for a in held}):
        out[f"held-apart {source}"] = figures(score([a for a in held if a.source == source], shared, nlp,
                                                    models=models))
    return out


def reliability(held: list[Annotated], nlp, models: str) -> dict:
    from kg.extract.pipeline import extract
    import os
    os.environ["KG_MODELS"] = models
    judged = Judged()
    for doc, ann in parse(nlp, held, None):
        judge(extract(doc, ann.article), ann, judged)
    os.environ.pop("KG_MODELS")
    return {kind: judged.table(kind) for kind in ("meeting", "participant", "statement", "speaker")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--sizes", default="50,100,200")
    ap.add_argument("--cache", help="a folder for the parsed training corpus")
    ap.add_argument("--json")
    args = ap.parse_args()
    shared = Path(args.shared)
    nlp = load_nlp("auto")
    held = load(shared, parts=("heldout",))
    dev = devnews(shared)
    results: dict = {"rules": by_source(held, dev, shared, nlp, "none")}
    sizes = [int(n) for n in args.sizes.split(",") if n] + [None]
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            out = Path(tmp) / f"n{n or 'all'}"
            report = train(shared, out=out, articles=n, seed=13, cache=Path(args.cache) if args.cache else None,
                           nlp=nlp)
            name = f"learned, {report['articles']} articles"
            results[name] = by_source(held, dev, shared, nlp, str(out)) if n is None else \
                {"held-apart": figures(score(held, shared, nlp, models=str(out))),
                 "dev-news": figures(score(dev, shared, nlp, models=str(out)))}
            if n is None:
                results["reliability (held-apart)"] = reliability(held, nlp, str(out))
            print(name, json.dumps(results[name]), flush=True)
    print(json.dumps(results["rules"]))
    for kind, rows in results["reliability (held-apart)"].items():
        print(kind, "  ".join(f"{b}: {k} facts, {r:.2f} right" for b, k, r in rows))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))



if __name__ == "__main__":
    main()
