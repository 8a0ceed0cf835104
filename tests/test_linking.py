"""Linking across the store by evidence: a bare surname goes to the person its article names, the
one whose title fits, the only one, or the one by far the most named; never to a namesake the
article does not name; whatever the order of arrival. And the shared graph holds only what the
current articles support."""
from __future__ import annotations

import io
import shutil

import pytest

from kg.config import Config
from kg.extract.nlp import blank
from kg.ingest import ingest, ingest_records
from kg.stores import EmbeddedStore
from tests.conftest import SEEDS
from tests.helpers import record

NAMES = ["Donald Trump", "Melania Trump", "Trump", "Ivanka Trump", "George W. Bush", "George Bush", "Bush",
         "Donald J. Trump"]
FULL = [f"President Donald Trump spoke to reporters in Washington on day {i} of the visit." for i in range(6)]
MELANIA = ["First lady Melania Trump visited a school in Ohio on Friday with the children."]


@pytest.fixture(scope="module")
def names_nlp():
    return blank([{"label": "PERSON", "pattern": n} for n in NAMES] + [{"label": "GPE", "pattern": "Washington"}])


def _linked(names_nlp, tmp_path, texts: list[str], *, one_by_one: bool = True, reverse: bool = False) -> dict:
    """Ingest the texts; the name of each article's people, by article id."""
    config = Config.load(env={}, store=str(tmp_path / ("rev" if reverse else "fwd")))
    store = EmbeddedStore(config.store, config.base_iri)
    records = [record(t, rid=f"a{i}") for i, t in enumerate(texts)]
    for batch in ([[r] for r in (reversed(records) if reverse else records)] if one_by_one else [records]):
        ingest_records(batch, config, nlp=names_nlp, store=store)
    rows = store.query("""SELECT ?id ?n WHERE { GRAPH ?a { ?a schema:identifier ?id ; schema:mentions ?p }
                          ?p a kg:Person ; schema:name ?n }""")
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(r["id"].value, set()).add(r["n"].value)
    buf = io.BytesIO()
    store.export("nquads", buf)
    out["_dump"] = buf.getvalue()
    return out


@pytest.mark.parametrize("texts, article, expected", [
    # the one by far the most named
    (MELANIA + FULL + ["Trump said the talks went well."], "a7", {"Donald Trump"}),
    # namesakes of comparable weight: the bare surname stays a person of its own
    (MELANIA + FULL[:2] + ["Trump said the talks went well."], "a3", {"Trump"}),
    # a title that fits one of them decides
    (MELANIA + FULL[:2] + ["President Trump said the talks went well."], "a3", {"Donald Trump"}),
    # the only one there is
    (MELANIA + ["Trump said the visit went well."], "a1", {"Melania Trump"}),
    # an article that names one of them links its bare surname to that one
    (FULL + ["First lady Melania Trump spoke. Trump said the visit went well."], "a6", {"Melania Trump"}),
    # a middle-initial variant joins a dominant plain name, never a rare one
    (FULL + ["— Donald J. Trump, on the day of the visit to the base."], "a6", {"Donald Trump"}),
    (["George Bush spoke in Texas about the war on terror today.",
      "George W. Bush spoke in Texas about the war on terror today."], "a1", {"George W. Bush"}),
])
def test_linking_bare_surnames_and_variants_by_evidence(names_nlp, tmp_path, texts, article, expected):
    forward = _linked(names_nlp, tmp_path, texts)
    assert forward[article] == expected
    backward = _linked(names_nlp, tmp_path, texts, reverse=True)
    assert backward["_dump"] == forward["_dump"], "the order of arrival decided"
    assert _linked(names_nlp, tmp_path / "batch", texts, one_by_one=False)["_dump"] == forward["_dump"]


def test_linking_reingest_of_a_changed_article_equals_a_fresh_ingest(nlp, tmp_path):
    """Drop the paragraphs of a seed that name Rustem Umerov and the Istanbul rounds, ingest again:
    the store equals a fresh ingest of the changed set, quad for quad."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    changed = next((tmp_path / "seeds").glob("001*"))
    kept = [p for p in changed.read_text().split("\n\n") if "Umerov" not in p and "Istanbul" not in p]
    assert len(kept) < len(changed.read_text().split("\n\n"))
    grown, fresh = Config.load(env={}, store=str(tmp_path / "grown")), Config.load(env={}, store=str(tmp_path / "fresh"))
    ingest([str(SEEDS)], grown, nlp=nlp)
    changed.write_text("\n\n".join(kept))
    assert ingest([str(tmp_path / "seeds")], grown, nlp=nlp).articles == 1
    ingest([str(tmp_path / "seeds")], fresh, nlp=nlp)
    dumps = []
    for config in (grown, fresh):
        buf = io.BytesIO()
        EmbeddedStore(config.store, config.base_iri).export("nquads", buf)
        dumps.append(set(buf.getvalue().decode().splitlines()))
    assert dumps[0] == dumps[1], (sorted(dumps[0] - dumps[1])[:5], sorted(dumps[1] - dumps[0])[:5])


@pytest.mark.parametrize("etype, expected", [
    ("Place", "http://x/place/trump-tower"),  # a meeting's place stays a place
    ("Person", "http://x/person/trump-tower"),
])
def test_linking_keeps_the_type_the_article_gives(etype, expected):
    """Never the type of whichever namesake the store holds first: that made the graph depend on
    the order of arrival."""
    from kg.link.linker import EntityIndex
    from kg.model import Entity
    from kg.rdf.triples import Minter
    index = EntityIndex(Minter("http://x/"))
    index.add("http://x/organisation/trump-tower", "Organisation", "Trump Tower", set())
    entity = Entity(f"{etype}:Trump Tower", etype, "Trump Tower", (), ())
    assert index.link([entity]).iris[entity.key] == expected


def test_linking_a_dominant_persons_name_typed_an_organisation_joins_that_person(names_nlp, tmp_path):
    """The model calls "Trump" an organisation in one article ("Trump officials"): it is the person the
    store names in full by far the most."""
    config = Config.load(env={}, store=str(tmp_path / "s"))
    store = EmbeddedStore(config.store, config.base_iri)
    ingest_records([record(t, rid=f"a{i}") for i, t in enumerate(FULL)], config, nlp=names_nlp, store=store)
    as_org = blank([{"label": "ORG", "pattern": "Trump"}, {"label": "GPE", "pattern": "Washington"}])
    ingest_records([record("Trump officials met in Washington on Monday to discuss the budget.", rid="org")],
                   config, nlp=as_org, store=store)
    orgs = {r["n"].value for r in store.query("SELECT ?n WHERE { ?o a kg:Organisation ; schema:name ?n }")}
    assert "Trump" not in orgs
    assert bool(store.query("""ASK { GRAPH ?a { ?a schema:identifier "org" ; schema:mentions ?e }
                                  ?e schema:name "Donald Trump" ; a kg:Person }"""))
