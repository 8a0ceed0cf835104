"""What changed: events whose status changed after a day, newest first, each with the report that
changed it (its outlet, article, date and evidence sentence), for the /changes page and its Atom
feed. An event's reports are read in publication order (on one day, the strongest status last:
proposed, planned, held, postponed, cancelled); a change is a report whose status differs from the
one before it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from xml.etree import ElementTree as ET

import pyoxigraph as ox

from kg.rdf.vocab import SPARQL_PROLOGUE, XSD

WEIGHT = {"Proposed": 0, "Planned": 1, "Held": 2, "Postponed": 3, "Cancelled": 4}


@dataclass(frozen=True)
class Change:
    event: str
    who: str
    before: str | None  # None: the event's first report
    after: str
    published: str
    outlet: str | None
    article: str
    headline: str | None
    evidence: str | None


QUERY = """SELECT ?event ?m ?a ?published ?status ?outlet ?headline (MIN(?sentence) AS ?evidence) WHERE {
  { SELECT DISTINCT ?event WHERE { ?event a kg:Event ; kg:report ?r . GRAPH ?ra { ?r a kg:Meeting .
      ?ra schema:datePublished ?rd } FILTER(?rd > ?since) } }
  ?event kg:report ?m .
  GRAPH ?a { ?m kg:status ?s . ?a schema:datePublished ?published
             OPTIONAL { ?m kg:evidence/kg:sentence ?sentence }
             OPTIONAL { ?a schema:headline ?headline } }
  OPTIONAL { GRAPH ?a { ?a schema:publisher ?pub } ?pub schema:name ?outlet }
  BIND(REPLACE(STR(?s), "^.*#", "") AS ?status)
} GROUP BY ?event ?m ?a ?published ?status ?outlet ?headline"""

WHO = """SELECT ?event (GROUP_CONCAT(DISTINCT ?name; separator=", ") AS ?who) WHERE { { SELECT * WHERE {
  VALUES ?event { %s } ?event kg:participant ?p . ?p schema:name ?name } ORDER BY ?name } } GROUP BY ?event"""


def changes(store: ox.Store, since: date, *, limit: int = 200) -> list[Change]:
    """The status changes reported after `since`, newest first (at most `limit`)."""
    day = str(ox.Literal(since.isoformat(), datatype=ox.NamedNode(str(XSD.date))))
    rows = [{k: (r[k].value if r[k] is not None else None) for k in ("event", "m", "a", "published", "status",
                                                                     "outlet", "headline", "evidence")}
            for r in store.query(SPARQL_PROLOGUE + QUERY.replace("?since", day), use_default_graph_as_union=True)]
    by_event: dict[str, list[dict]] = {}
    for r in rows:
        by_event.setdefault(r["event"], []).append(r)
    found = []
    for event, reports in by_event.items():
        reports.sort(key=lambda r: (r["published"] or "", WEIGHT.get(r["status"], 0), r["m"]))
        before = None
        for r in reports:
            if r["status"] != before and (r["published"] or "") > since.isoformat():
                found.append((event, before, r))
            before = r["status"]
    found.sort(key=lambda f: (f[2]["published"] or "", f[0], f[2]["m"]), reverse=True)
    found = found[:limit]
    names = _who(store, sorted({f[0] for f in found}))
    return [Change(e, names.get(e, ""), b, r["status"], r["published"], r["outlet"], r["a"], r["headline"],
                   r["evidence"]) for e, b, r in found]


def _who(store: ox.Store, events: list[str]) -> dict[str, str]:
    out = {}
    for k in range(0, len(events), 200):
        values = " ".join(str(ox.NamedNode(e)) for e in events[k:k + 200])
        for r in store.query(SPARQL_PROLOGUE + WHO % values, use_default_graph_as_union=True):
            out[r["event"].value] = r["who"].value
    return out


def atom(found: list[Change], *, feed_url: str, page_url: str, local) -> bytes:
    """The changes as an Atom feed (RFC 4287): one entry per change, linking to the event's page."""
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed")
    ET.SubElement(feed, f"{{{ns}}}title").text = "newskg: meetings whose status changed"
    ET.SubElement(feed, f"{{{ns}}}id").text = feed_url
    ET.SubElement(feed, f"{{{ns}}}link", rel="self", href=feed_url)
    ET.SubElement(feed, f"{{{ns}}}link", rel="alternate", href=page_url)
    ET.SubElement(feed, f"{{{ns}}}updated").text = (found[0].published if found else "1970-01-01") + "T00:00:00Z"
    ET.SubElement(ET.SubElement(feed, f"{{{ns}}}author"), f"{{{ns}}}name").text = "newskg"
    for c in found:
        entry = ET.SubElement(feed, f"{{{ns}}}entry")
        step = f"{c.before.lower()} → {c.after.lower()}" if c.before else f"first reported {c.after.lower()}"
        ET.SubElement(entry, f"{{{ns}}}title").text = f"{c.who or 'A meeting'}: {step}"
        ET.SubElement(entry, f"{{{ns}}}id").text = f"{c.event}#change-{c.published}-{c.article}"
        ET.SubElement(entry, f"{{{ns}}}link", rel="alternate", href=local(c.event))
        ET.SubElement(entry, f"{{{ns}}}updated").text = f"{c.published}T00:00:00Z"
        summary = " ".join(x for x in (c.evidence, f"({c.outlet})" if c.outlet else None) if x)
        ET.SubElement(entry, f"{{{ns}}}summary").text = summary or step
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
