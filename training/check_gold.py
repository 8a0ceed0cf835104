"""Check an annotator's gold files against their texts; turn evidence sentences into offsets.

    python training/check_gold.py FOLDER          (FOLDER/texts.jsonl and FOLDER/gold/<id>.json)

Every meeting, statement and role needs "evidence": [start, end] into the text exactly as given. An
annotator may write the sentence itself instead ("evidence": "the sentence, copied exactly"): this
tool replaces it by its offsets (the first occurrence; give offsets by hand when a sentence repeats).
Prints every problem; exits 1 if there is any.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

STATUS = {"proposed", "planned", "held", "cancelled", "postponed"}
TYPES = {"Person", "Organisation", "GPE"}
NO_QUOTES = str.maketrans("", "", "\"\u201c\u201d\u201e\u00ab\u00bb")
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


def _squash(s: str) -> str:
    """Compared without double quote marks (a quote continued over paragraphs reopens each one)."""
    return " ".join(s.translate(NO_QUOTES).translate(APOSTROPHES).split())


def _quoted(quote: str, text: str) -> bool:
    """Every part of a direct quote (parts of a split quote joined by ' ... ') is in the text."""
    body = _squash(text)
    return all(_squash(part).strip(" ,.") in body for part in re.split(r"\.\.\.|\u2026", quote)
               if _squash(part).strip(" ,."))


def _evidence(item: dict, text: str, where: str, problems: list[str]) -> None:
    ev = item.get("evidence")
    if isinstance(ev, str):
        k = text.find(ev)
        if k < 0:
            problems.append(f"{where}: evidence sentence not found verbatim in the text: {ev[:60]!r}")
            return
        item["evidence"] = ev = [k, k + len(ev)]
    if not (isinstance(ev, list) and len(ev) == 2 and all(isinstance(x, int) for x in ev)
            and 0 <= ev[0] < ev[1] <= len(text)):
        problems.append(f"{where}: needs evidence [start, end] inside the text (got {ev!r})")


def _names(gold: dict) -> set[str]:
    out = set()
    for e in gold.get("entities", []):
        out.add(e.get("name", ""))
        out.update(e.get("aliases", []) or [])
    return out


def check(gold: dict, text: str) -> list[str]:
    problems: list[str] = []
    known = _names(gold)
    for e in gold.get("entities", []):
        if e.get("type") not in TYPES or not e.get("name"):
            problems.append(f"entity {e.get('name')!r}: type must be one of {sorted(TYPES)} and name set")
        for k, r in enumerate(e.get("roles", []) or []):
            _evidence(r, text, f"role {k} of {e.get('name')!r}", problems)
    for k, m in enumerate(gold.get("meetings", [])):
        where = f"meeting {k}"
        if not m.get("participants") or any(p not in known for p in m["participants"]):
            problems.append(f"{where}: participants must be names from the entities list: {m.get('participants')}")
        if not m.get("status") or not set(m["status"]) <= STATUS:
            problems.append(f"{where}: status must be a list drawn from {sorted(STATUS)}")
        if m.get("kind") not in ("meeting", "phone call"):
            problems.append(f"{where}: kind must be 'meeting' or 'phone call'")
        if m.get("date") and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", m["date"]):
            problems.append(f"{where}: date must be an ISO prefix YYYY, YYYY-MM or YYYY-MM-DD")
        _evidence(m, text, where, problems)
    for k, s in enumerate(gold.get("statements", [])):
        where = f"statement {k}"
        if not s.get("speaker") or not isinstance(s["speaker"], list):
            problems.append(f"{where}: speaker must be a list of acceptable names")
        if not s.get("text") or not isinstance(s.get("direct"), bool):
            problems.append(f"{where}: needs text and direct true/false")
        elif s["direct"] and not _quoted(s["text"], text):
            problems.append(f"{where}: direct quote not found in the text (copy the words exactly): {s['text'][:60]!r}")
        _evidence(s, text, where, problems)
    return problems


def main(folder: Path) -> int:
    texts = {}
    for line in (folder / "texts.jsonl").read_text(encoding="utf-8").splitlines():
        a = json.loads(line)
        texts[a["id"]] = a["text"]
    bad = 0
    for i, text in texts.items():
        path = folder / "gold" / f"{i}.json"
        if not path.exists():
            print(f"{i}: no gold file yet")
            bad += 1
            continue
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            print(f"{i}: not valid JSON: {exc}")
            bad += 1
            continue
        problems = check(gold, text)
        path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        for p in problems:
            print(f"{i}: {p}")
        bad += bool(problems)
    print(f"{len(texts) - bad} of {len(texts)} files pass")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
