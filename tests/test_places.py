"""Places -> GeoNames and ISO codes: clear names alone, ambiguous ones by the article's context,
no link when unsure; the reading an article decided gives the place an IRI of its own."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.config import Config
from kg.ingest import ingest_records
from kg.extract.nlp import blank
from kg.geo import candidates
from kg.link.places import decide
from kg.stores import EmbeddedStore

from .helpers import record


def _near(name: str) -> list:
    return [decide(name)]


@pytest.mark.parametrize("name, geonameid", [
    ("Moscow", 524901),        # not Moscow, Idaho
    ("Paris", 2988507),        # not Paris, Texas
    ("Washington", 4140963),   # the capital, not the state, when nothing says otherwise
    ("Kiev", 703448),          # an alternate name of a capital
    ("St. Petersburg", 498817),  # Russia's (5 million), not Florida's, whichever way "Saint" is written
    ("U.S.", 6252001), ("Britain", 2635167), ("Russia", 2017370),
    ("Mexico", 3996063),       # the country, not Mexico City
    ("Birmingham", 2655603),   # England's, five times the people of Alabama's
])
def test_places_clear_names_link_alone(name, geonameid):
    assert decide(name).geonameid == geonameid


@pytest.mark.parametrize("name", ["Georgia", "Cambridge", "Crimea", "Hamas", "Kremlin",
                                  "England",        # not owl:sameAs the United Kingdom
                                  "Garden City",    # several towns; never Singapore by its nickname
                                  "March", "Sunday"])  # calendar words the NER took for places
def test_places_unsure_or_unknown_names_do_not_link(name):
    assert decide(name) is None


@pytest.mark.parametrize("name, context, cues, geonameid", [
    ("Georgia", ["Tbilisi"], [], 614540),                 # a Georgian city: the country
    ("Georgia", ["Russia", "Armenia"], [], 614540),       # its neighbours: the country
    ("Georgia", ["Atlanta"], [], 4197000),                # a city in the state: the US state
    ("Washington", ["Seattle"], [], 5815135),             # the state
    ("Washington", [], ["the Washington state governor"], 5815135),
    ("Washington", ["Seattle"], ["in Washington, D.C. on"], 4140963),
    ("Birmingham", ["Alabama"], [], 4049979),
    ("Cambridge", ["London"], [], 2653941), ("Cambridge", ["Boston"], [], 4931972),
    ("Naples", [], ["in Naples, Fla., on"], 4165565),    # "City, State" in AP style
    ("St. Petersburg", [], ["in St. Petersburg, Fla., on"], 4171563),
    ("Margate", [], ["center in Margate, Fla., was"], 4163407),
    ("San Francisco", ["Buenos Aires"], [], 5391959),     # an Argentine town needs more than its country
    ("San Francisco", ["Buenos Aires", "Argentina", "Rosario"], [], 5391959),  # however many places share it
    ("Dallas", ["Portland"], [], 4684888),                # Dallas, Oregon is eighty times smaller
    ("Florida", ["Havana"], [], 4155751),                 # a Cuban town never displaces the US state
    ("Mali", ["Beijing"], [], 2453866),                   # nor a Chinese town the country
])
def test_places_ambiguous_names_follow_the_article(name, context, cues, geonameid):
    assert decide(name, [f for c in context for f in _near(c)], cues).geonameid == geonameid


def test_places_candidates_carry_country_codes():
    georgia = {f.kind: f for f in candidates("Georgia")}
    assert georgia["country"].country == "GE" and (georgia["state"].country, georgia["state"].admin1) == ("US", "GA")


def test_places_ingest_links_and_splits_the_two_georgias(tmp_path):
    nlp = blank([{"label": "PERSON", "pattern": p} for p in ("Vladimir Putin", "Donald Trump", "Joe Biden")]
                + [{"label": "GPE", "pattern": p} for p in ("Georgia", "Tbilisi", "Atlanta", "Moscow", "Washington")])
    texts = {
        "caucasus": "Vladimir Putin met officials from Georgia in Moscow. Protests went on in Tbilisi.",
        "south": "Donald Trump spoke in Georgia on Monday. He flew from Atlanta to Washington.",
        "unsure": "Joe Biden said Georgia matters.",
    }
    stores = []
    for order in (list(texts), list(reversed(texts))):
        config = Config.load(env={}, store=str(tmp_path / "-".join(order)))
        store = EmbeddedStore(config.store, config.base_iri)
        for rid in order:
            ingest_records([record(texts[rid], rid=rid)], config, nlp=nlp, store=store)
        stores.append(store)
    assert stores[0].sorted_quads() == stores[1].sorted_quads()  # the order of articles does not matter

    rows = {(r["p"].value, r["l"].value if r["l"] else None, r["c"].value if r["c"] else None)
            for r in stores[0].ox.query("""SELECT ?p ?l ?c WHERE { ?p a <https://w3id.org/newskg/ns#Place> ;
                <https://schema.org/name> "Georgia" .
                OPTIONAL { ?p <http://www.w3.org/2002/07/owl#sameAs> ?l }
                OPTIONAL { ?p <https://w3id.org/newskg/ns#countryCode> ?c } }""", use_default_graph_as_union=True)}
    base = "https://w3id.org/newskg/id/place/"
    assert rows == {(base + "georgia-gn614540", "https://sws.geonames.org/614540/", "GE"),
                    (base + "georgia-gn4197000", "https://sws.geonames.org/4197000/", "US"),
                    (base + "georgia", None, None)}
    moscow = list(stores[0].ox.quads_for_pattern(ox.NamedNode(base + "moscow"),
                                                 ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs"), None))
    assert [q.object.value for q in moscow] == ["https://sws.geonames.org/524901/"]
