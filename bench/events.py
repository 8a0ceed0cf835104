"""Event fusion quality: B-cubed precision and recall of the store's events against a gold
clustering of meeting reports, and the events the most articles report.

    python bench/events.py STORE [--gold bench/gold/seed-events.json]

The gold lists groups of meeting IRIs (without the store's base) that are one real-world event;
a meeting it does not list is an event of its own. Only meetings in the store are scored."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.stores.embedded import EmbeddedStore  # noqa: E402


def bcubed(system: dict[str, str], gold: dict[str, str]) -> tuple[float, float]:
    """B-cubed (precision, recall) of two clusterings given as item -> cluster id, on their common items."""
    items = sorted(system.keys() & gold.keys())
    sys_members: dict[str, set[str]] = {}
    gold_members: dict[str, set[str]] = {}
    for i in items:
        sys_members.setdefault(system[i], set()).add(i)
        gold_members.setdefault(gold[i], set()).add(i)
    p = sum(len(sys_members[system[i]] & gold_members[gold[i]]) / len(sys_members[system[i]]) for i in items)
    r = sum(len(sys_members[system[i]] & gold_members[gold[i]]) / len(gold_members[gold[i]]) for i in items)
    return p / len(items), r / len(items)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store")
    ap.add_argument("--gold")
    ap.add_argument("--base", default="https://w3id.org/newskg/id/")
    args = ap.parse_args()
    store = EmbeddedStore(args.store, args.base, read_only=True)
    system = {r["m"].value.removeprefix(args.base): r["e"].value for r in store.query(
        "SELECT ?m ?e WHERE { ?e a kg:Event ; kg:report ?m }")}
    meetings = len(list(store.query("SELECT ?m WHERE { GRAPH ?a { ?m a kg:Meeting } }")))
    print(f"{meetings} meetings, {len(set(system.values()))} events, {meetings - len(system)} meetings without one")
    if args.gold:
        spec = json.loads(Path(args.gold).read_text())
        gold = {m: f"gold-{i}" for i, group in enumerate(spec["events"]) for m in group}
        gold |= {m: f"own-{m}" for m in system if m not in gold}
        p, r = bcubed(system, gold)
        print(f"B-cubed against {args.gold}: precision {p:.3f}, recall {r:.3f}, F1 {2 * p * r / (p + r):.3f}")
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
