"""What changed: status changes of events after a day, as a page and an Atom feed."""
from __future__ import annotations

from datetime import date
from xml.etree import ElementTree as ET

import pyoxigraph as ox
import pytest

from kg.config import Config
from kg.serve.app import create_app
from kg.serve.changes import changes

KG = "https://w3id.org/newskg/ns#"
S = "https://schema.org/"
B = "https://w3id.org/newskg/id/"


def _store(tmp_path) -> ox.Store:
    """One event, reported planned on 1 Oct, planned again on 10 Oct, cancelled on 22 Oct."""
    store = ox.Store(str(tmp_path / "store"))
    ev, p1, p2 = ox.NamedNode(B + "event/e1"), ox.NamedNode(B + "person/a"), ox.NamedNode(B + "person/b")
    quads = [ox.Quad(ev, ox.NamedNode(KG + "participant"), p, ox.NamedNode(B + "graph/events")) for p in (p1, p2)]
    quads += [ox.Quad(p1, ox.NamedNode(S + "name"), ox.Literal("Anna Weber"), ox.NamedNode(B + "graph/entities")),
              ox.Quad(p2, ox.NamedNode(S + "name"), ox.Literal("Karl Huber"), ox.NamedNode(B + "graph/entities")),
              ox.Quad(ev, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(KG + "Event"),
                      ox.NamedNode(B + "graph/events"))]
    for k, (day, status) in enumerate([("2025-10-01", "Planned"), ("2025-10-10", "Planned"), ("2025-10-22", "Cancelled")]):
        a = ox.NamedNode(f"{B}article/a{k}")
        m = ox.NamedNode(f"{a.value}/meeting/1")
        quads += [ox.Quad(ev, ox.NamedNode(KG + "report"), m, ox.NamedNode(B + "graph/events")),
                  ox.Quad(m, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(KG + "Meeting"), a),
                  ox.Quad(m, ox.NamedNode(KG + "status"), ox.NamedNode(KG + status), a),
                  ox.Quad(a, ox.NamedNode(S + "datePublished"),
                          ox.Literal(day, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")), a)]
    store.extend(quads)
    return store


@pytest.mark.parametrize("since, steps", [
    (date(2025, 9, 1), [("Planned", "Cancelled", "2025-10-22"), (None, "Planned", "2025-10-01")]),
    (date(2025, 10, 5), [("Planned", "Cancelled", "2025-10-22")]),  # the second "planned" is no change
    (date(2025, 10, 22), []),
])
def test_changes_are_the_steps_after_the_day_newest_first(tmp_path, since, steps):
    found = changes(_store(tmp_path), since)
    assert [(c.before, c.after, c.published) for c in found] == steps
    assert all(c.who == "Anna Weber, Karl Huber" for c in found)


def test_changes_page_and_atom_feed(tmp_path):
    store = _store(tmp_path)
    del store
    config = Config.load(env={}, store=str(tmp_path / "store"))
    client = create_app(config).test_client()
    page = client.get("/changes?since=2025-10-05").get_data(as_text=True)
    assert "Anna Weber, Karl Huber" in page and "planned</span> → <span class=\"status\">cancelled" in page
    r = client.get("/changes.atom?since=2025-10-05")
    assert r.mimetype == "application/atom+xml"
    entries = ET.fromstring(r.data).findall("{http://www.w3.org/2005/Atom}entry")
    assert [e.findtext("{http://www.w3.org/2005/Atom}title") for e in entries] == ["Anna Weber, Karl Huber: planned → cancelled"]
    assert client.get("/changes?since=yesterday").status_code == 400
