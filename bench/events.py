"""Event fusion quality: B-cubed precision and recall of the store's events against a gold
clustering of meeting reports, and the events the most articles report.

    python bench/events.py STORE [--gold bench/gold/seed-events.json]

The gold lists groups of meeting IRIs (without the store's base) that are one real-world event, the
meetings judged (all of the store's when it gives none; a judged meeting in no group is an event of
its own), and 'joins': a group and an event of the store whose reports are that same real event.
Only judged meetings are scored; a report of the store the gold did not judge, clustered with a
judged one, counts against precision unless a join names its event."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.stores.embedded import EmbeddedStore  # noqa: E402


def bcubed(items: list[str], system: dict[str, set[str]], gold: dict[str, set[str]]) -> tuple[float, float]:
    """B-cubed (precision, recall) over `items`, each with its system and gold cluster (sets of items)."""
    p = sum(len(system[i] & gold[i]) / len(system[i]) for i in items)
    r = sum(len(system[i] & gold[i]) / len(gold[i]) for i in items)
    return p / len(items), r / len(items)


def gold_clusters(spec: dict, events: dict[str, set[str]], base: str) -> tuple[list[str], dict[str, set[str]]]:
    """(judged items, item -> gold cluster): its group, plus the reports of an event the spec
    'joins' to the group (the same real event, found in another event of the store)."""
    judged = spec.get("judged") or sorted({m for ms in events.values() for m in ms})
    gold = {m: {m} for m in judged}
    for group in spec["groups"]:
        for m in group:
            gold[m] = set(group)
    for member, key in spec.get("joins", []):
        extra = events.get(f"{base}event/{key}", set())
        for m in gold[member]:
            gold[m] = gold[m] | extra
    return judged, gold


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store")
    ap.add_argument("--gold")
    ap.add_argument("--base", default="https://w3id.org/newskg/id/")
    args = ap.parse_args()
    store = EmbeddedStore(args.store, args.base, read_only=True)
    events: dict[str, set[str]] = {}
    for r in store.query("SELECT ?m ?e WHERE { ?e a kg:Event ; kg:report ?m }"):
        events.setdefault(r["e"].value, set()).add(r["m"].value.removeprefix(args.base))
    system = {m: ms for ms in events.values() for m in ms}
    meetings = len(list(store.query("SELECT ?m WHERE { GRAPH ?a { ?m a kg:Meeting } }")))
    print(f"{meetings} meetings, {len(events)} events, {meetings - len(system)} meetings without one")
    if args.gold:
        judged, gold = gold_clusters(json.loads(Path(args.gold).read_text()), events, args.base)
        here = [m for m in judged if m in system]  # a store extracted by other code may lack some
        p, r = bcubed(here, system, gold)
        print(f"B-cubed on {len(here)} of {len(judged)} judged reports of {args.gold}: precision {p:.3f}, "
              f"recall {r:.3f}, F1 {2 * p * r / (p + r):.3f}")
    top = store.query("""SELECT ?e ?date ?place ?status (COUNT(DISTINCT ?a) AS ?n)
        (GROUP_CONCAT(DISTINCT ?pn; separator=", ") AS ?who) WHERE {
        ?e a kg:Event ; kg:report ?m ; kg:status ?s ; kg:participant ?p . ?p schema:name ?pn
        GRAPH ?a { ?m a kg:Meeting } OPTIONAL { ?e kg:date ?date } OPTIONAL { ?e kg:location/schema:name ?place }
        BIND(REPLACE(STR(?s), "^.*#", "") AS ?status) } GROUP BY ?e ?date ?place ?status ORDER BY DESC(?n) ?e LIMIT 15""")
    print("\nmost reported events (articles):")
    for r in top:
        v = {k: (r[k].value if r[k] is not None else "") for k in ("e", "date", "place", "status", "n", "who")}
        print(f"  {v['n']:>3}  {v['who'][:45]:45}  {v['date']:10}  {v['place'][:16]:16}  {v['status']:9}  {v['e'].rsplit('/', 1)[-1]}")


if __name__ == "__main__":
    main()
