"""Who is who across a corpus ingest, read as an analyst would (the checks of tests/test_corpus.py,
with the lists behind them).

    python bench/identity.py STORE CORPUS.jsonl [--top 40] [--people 100]

STORE holds an ingest of the articles in CORPUS.jsonl. Prints the most-mentioned entities and
people; every person who shares a surname with a more-mentioned person, with the share of the
articles linked to them whose text names them by given name; spellings that should be one person
(one name key); names that are not names; and, for the most-mentioned person, the articles linked
against the articles whose text names them.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.config import Config  # noqa: E402
from kg.extract.names import name_key, not_a_name, surname  # noqa: E402
from kg.stores import open_embedded  # noqa: E402


def people(store) -> dict[str, dict]:
    """Person IRI -> name and the ids of the articles mentioning them."""
    out: dict[str, dict] = {}
    for r in store.query("""SELECT ?p ?n ?id WHERE { GRAPH ?a { ?a schema:mentions ?p ; schema:identifier ?id }
                            ?p a kg:Person ; schema:name ?n }"""):
        out.setdefault(r["p"].value, {"name": r["n"].value, "articles": set()})["articles"].add(r["id"].value)
    return out


def namesakes(persons: dict[str, dict], texts: dict[str, str], least: int = 3) -> list[tuple[str, int, float]]:
    """(name, articles, share named by given name) for people with a more-mentioned namesake."""
    by_surname: dict[str, list[dict]] = {}
    for p in persons.values():
        if len(name_key(p["name"]).split()) >= 2:
            by_surname.setdefault(surname(p["name"]), []).append(p)
    out = []
    for group in by_surname.values():
        top = max(len(p["articles"]) for p in group)
        for p in group:
            n = len(p["articles"])
            if n < least or n == top:
                continue
            given = p["name"].split()[0]
            named = sum(1 for a in p["articles"] if re.search(rf"\b{re.escape(given)}\b", texts.get(a, "")))
            out.append((p["name"], n, named / n))
    return sorted(out, key=lambda t: t[2])


def duplicates(persons: dict[str, dict], least: int = 3) -> list[list[str]]:
    keys: dict[str, list[str]] = {}
    for p in persons.values():
        if len(p["articles"]) >= least:
            keys.setdefault(name_key(p["name"]), []).append(p["name"])
    return [names for names in keys.values() if len(names) > 1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store")
    ap.add_argument("corpus")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--people", type=int, default=100)
    args = ap.parse_args()
    store = open_embedded(Config.load(store=args.store), read_only=True)
    texts = {r["id"]: r.get("text", "") for r in map(json.loads, Path(args.corpus).read_text().splitlines())}
    print(f"## the {args.top} most-mentioned entities")
    for r in store.query(f"""SELECT ?n ?t (COUNT(DISTINCT ?a) AS ?c) WHERE {{ GRAPH ?a {{ ?a schema:mentions ?e }}
            ?e schema:name ?n ; a ?t FILTER(?t IN (kg:Person, kg:Organisation, kg:Place)) }}
            GROUP BY ?n ?t ORDER BY DESC(?c) ?n LIMIT {args.top}"""):
        print(f"{r['c'].value:>5}  {r['t'].value.rsplit('#', 1)[1]:12} {r['n'].value}")
    persons = people(store)
    ranked = sorted(persons.values(), key=lambda p: (-len(p["articles"]), p["name"]))
    print(f"\n## the {args.people} most-mentioned people")
    for p in ranked[:args.people]:
        print(f"{len(p['articles']):>5}  {p['name']}")
    print("\n## people with a more-mentioned namesake (>= 3 articles): share named by given name")
    for name, n, share in namesakes(persons, texts):
        print(f"{share:6.0%}  {n:>4}  {name}")
    print("\n## one name key, several people (>= 3 articles)")
    for names in duplicates(persons):
        print("  " + " / ".join(names))
    print("\n## names that are not names")
    for p in ranked:
        if not_a_name(p["name"]) or re.search(r"[\[\]()/]", p["name"]):
            print(f"{len(p['articles']):>5}  {p['name']}")
    top = ranked[0]
    last = top["name"].split()[-1]
    naming = sum(1 for t in texts.values() if re.search(rf"\b{re.escape(last)}\b", t))
    print(f"\n## {top['name']}: linked to {len(top['articles'])} articles; {naming} articles' text has "
          f"'{last}' (ratio {len(top['articles']) / max(naming, 1):.2f})")


if __name__ == "__main__":
    main()
