"""Agreement of the independent annotators: the articles annotated twice, one annotation scored
against the other with the shared scorer (per category F1, which is symmetric up to swapping
precision and recall); and our annotations of the dev-2025 texts against that set's own gold (three
other annotators).

    python bench/agreement.py [--shared ../shared] [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from kg.learn.corpus import load  # noqa: E402
from kg.learn.gold import to_quads  # noqa: E402

CATEGORIES = ("Person", "Organisation", "GPE", "Role", "Meeting", "Statement")


def agreement(golds: list[dict], others: list[dict], shared: Path) -> dict:
    """The scorer's figures for `others` (as extracted facts) against `golds`."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "gold").mkdir()
        for g in golds:
            (work / "gold" / f"{g['id']}.json").write_text(json.dumps(g), encoding="utf-8")
        dump = work / "other.nq"
        ox.serialize([q for o in others for q in to_quads(o)], str(dump), ox.RdfFormat.N_QUADS)
        out = work / "score.json"
        subprocess.run([sys.executable, str(shared / "eval" / "score.py"), str(work / "gold"), "--dump", str(dump),
                        "--json", str(out)], check=True, capture_output=True)
        return json.loads(out.read_text())


def line(name: str, s: dict) -> str:
    return f"{name:34} " + "  ".join(f"{c} {s[c]['f1']:.2f}" for c in CATEGORIES) + f"  overall {s['overall_f1']:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--json")
    args = ap.parse_args()
    shared = Path(args.shared)
    first = {a.id: a for a in load(shared)}
    second = {a.id: a for a in load(shared, second=True)}
    both = sorted(second)
    results = {"double": agreement([first[i].gold for i in both], [second[i].gold for i in both], shared)}
    d25 = [a for a in first.values() if a.source == "dev2025"]
    official = [json.loads((shared / "eval/dev-2025/gold" / f"{a.id}.json").read_text()) for a in d25]
    results["dev2025"] = agreement(official, [a.gold for a in d25], shared)
    print(line(f"double annotation ({len(both)} articles)", results["double"]))
    print(line(f"ours vs dev-2025 gold ({len(d25)})", results["dev2025"]))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
