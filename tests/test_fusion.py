"""Events and quotations across articles (kg.link.fusion): which reports are one real-world event,
its status history, the same words as one quotation; deterministic, incremental, re-ingest safe."""
from __future__ import annotations

import io
import random
from dataclasses import replace
from datetime import date

import pytest

from kg.config import Config
from kg.ingest import ingest_records
from kg.link.fusion import (Report, Said, acting, block_groups, block_reports, cluster_meetings, cluster_statements,
                            join_groups, joinable)
from kg.link.fusion_store import rebuild
from kg.rdf.triples import Minter
from kg.stores import EmbeddedStore
from tests.conftest import PEOPLE, PLACES
from tests.helpers import record

MINTER = Minter("https://example.org/id/")
TRUMP, PUTIN, KIM = "p:trump", "p:putin", "p:kim"
N = iter(range(10_000))


def rep(published: str | None, status: str = "Held", when: str | None = None, place: str | None = None,
        country: str | None = None, who: tuple[str, ...] = (TRUMP, PUTIN), call: bool = False) -> Report:
    i = next(N)
    return Report(f"a:{i}/meeting/1", f"a:{i}", date.fromisoformat(published) if published else None,
                  f"o:{i % 3}", call, frozenset(who), status, when, place, country)


def groups(reports: list[Report]) -> list[set[str]]:
    return sorted(({r.iri for r in e.reports} for e in cluster_meetings(reports, MINTER)), key=sorted)


def together(reports: list[Report]) -> bool:
    return len(cluster_meetings(reports, MINTER)) == 1


ANCHORAGE = dict(place="place:anchorage", country="US")
ALASKA = dict(place="place:alaska", country="US")
BUDAPEST = dict(place="place:budapest", country="HU")
ISTANBUL = dict(place="place:istanbul", country="TR")


@pytest.mark.parametrize("reports, joined", [
    # one day, places in one country (and an extraction error elsewhere): one event
    ([rep("2025-08-16", when="2025-08-15", **ANCHORAGE), rep("2025-08-16", when="2025-08-15", **ALASKA)], True),
    ([rep("2025-08-16", when="2025-08-15", **ALASKA), rep("2025-08-17", when="2025-08-15", **BUDAPEST)], True),
    # the same participants and place on three dates: three rounds
    ([rep("2025-08-01", when="2025-05-16", **ISTANBUL), rep("2025-08-01", when="2025-06-02", **ISTANBUL)], False),
    # a day apart at one place: one summit whose day two outlets count differently
    ([rep("2018-06-12", when="2018-06-12", **ISTANBUL), rep("2018-06-12", when="2018-06-11", **ISTANBUL)], True),
    # two places, no dates: the Alaska summit and the Budapest summit
    ([rep("2025-11-17", **ALASKA), rep("2025-11-17", "Cancelled", **BUDAPEST)], False),
    # a plan at the event's place, published before it, a few days off (a nearby clause's date): that
    # event; a held meeting a few days off is another one
    ([rep("2018-06-13", when="2018-06-12", place="place:sg", country="SG"),
      rep("2018-06-08", "Planned", when="2018-06-08", place="place:sg", country="SG")], True),
    ([rep("2018-06-13", when="2018-06-12", place="place:sg", country="SG"),
      rep("2018-06-09", when="2018-06-08", place="place:sg", country="SG")], False),
    # undated at one place: articles weeks apart are one event, a year apart two
    ([rep("2018-07-11", **BUDAPEST), rep("2018-07-16", **BUDAPEST)], True),
    ([rep("2017-05-21", **BUDAPEST), rep("2018-07-16", **BUDAPEST)], False),
    # an undated report at a place joins the dated event there
    ([rep("2025-08-16", when="2025-08-15", **ALASKA), rep("2025-09-01", **ALASKA)], True),
    # weeks after the event at that place, with none due there, a report is about that event (its
    # status misread); months after, not
    ([rep("2018-07-17", when="2018-07-16", place="place:hel", country="FI"),
      rep("2018-07-26", "Cancelled", place="place:hel", country="FI")], True),
    ([rep("2018-07-17", when="2018-07-16", place="place:hel", country="FI"),
      rep("2018-07-23", "Proposed", place="place:hel", country="FI")], True),
    ([rep("2018-07-17", when="2018-07-16", place="place:hel", country="FI"),
      rep("2018-11-30", "Cancelled", place="place:hel", country="FI")], False),
    # a month joins the one day inside it
    ([rep("2025-08-16", when="2025-08-15", **ALASKA), rep("2025-11-17", when="2025-08")], True),
    # a call is not a meeting
    ([rep("2025-03-19", when="2025-03-18"), rep("2025-03-19", when="2025-03-18", call=True)], False),
    # other participants, same day: two events
    ([rep("2025-03-19", when="2025-03-18"), rep("2025-03-19", when="2025-03-18", who=(TRUMP, KIM))], False),
    # one participant named (the other side not in the sentence), same day: the event of the day
    ([rep("2018-07-16", when="2018-07-16"), rep("2018-07-16", when="2018-07-16"),
      rep("2018-07-17", when="2018-07-16", who=(PUTIN,))], True),
    # a planned summit, then its cancellation dated the day it was called off: one event
    ([rep("2018-05-10", "Planned", when="2018-06-12", place="place:sg", country="SG"),
      rep("2018-05-24", "Cancelled", when="2018-05-24")], True),
])
def test_fusion_joins_reports_of_one_event_and_only_those(reports, joined):
    assert together(reports) is joined


def test_fusion_a_cancelled_and_a_later_held_summit_are_two_events():
    planned = rep("2018-05-10", "Planned", when="2018-06-12", place="place:sg", country="SG")
    cancelled = rep("2018-05-24", "Cancelled", place="place:sg", country="SG")
    held = rep("2019-03-01", when="2019-02-28", place="place:hanoi", country="VN")
    assert groups([planned, cancelled, held]) == sorted([{planned.iri, cancelled.iri}, {held.iri}], key=sorted)


def test_fusion_a_future_summit_without_date_or_place_joins_the_one_open_event_only():
    alaska = rep("2025-08-01", "Planned", when="2025-08-15", **ALASKA)
    future = rep("2025-08-05", "Planned")
    assert together([alaska, future])
    budapest = rep("2025-08-02", "Proposed", when="2025-10", **BUDAPEST)
    assert len(cluster_meetings([alaska, budapest, future], MINTER)) == 3  # two open: it stays its own
    held = rep("2025-08-03", "Held", when="2025-08-02", **ALASKA)  # already held when the article appeared
    assert not together([held, rep("2025-08-05", "Planned")])


def test_fusion_an_undated_held_report_joins_the_last_event_of_the_month_before():
    """"Trade dominated Modi's meeting with Trump" the day after: the meeting of the day before, not
    an arrival two days earlier that one outlet read as a meeting."""
    misread = rep("2025-02-13", when="2025-02-12")
    summit = [rep("2025-02-04", "Planned", when="2025-02-13"), rep("2025-02-13", "Planned", when="2025-02-13")]
    after = rep("2025-02-14")
    assert groups([misread, *summit, after]) == sorted([{misread.iri}, {r.iri for r in [*summit, after]}], key=sorted)
    assert not together([rep("2025-01-01", when="2024-11-20"), rep("2025-01-01")])  # none in 30 days


def test_fusion_an_undated_report_at_a_place_joins_an_event_that_gives_none():
    """"During his stay in New Delhi, Putin will hold talks with Modi": the summit dated December 5th
    by reports that name no place; a dated event at another place stays apart."""
    dated = [rep("2025-10-07", "Planned", when="2025-12-05"), rep("2025-12-05", when="2025-12-05")]
    stay = rep("2025-11-28", "Planned", place="place:delhi", country="IN")
    assert together([*dated, stay])
    elsewhere = [rep("2025-10-07", "Planned", when="2025-12-05", **BUDAPEST)]
    assert not together([*elsewhere, stay])


def test_fusion_an_events_participants_take_in_the_heads_of_its_delegations():
    """Two reports name only the countries; a third's article says who led their delegations: one
    event, with the countries and their heads."""
    countries = ("place:russia", "place:ukraine")
    plain = [rep("2025-05-14", "Planned", when="2025-05-16", who=countries, **ISTANBUL),
             rep("2025-05-17", when="2025-05-16", who=countries, **ISTANBUL)]
    led = replace(rep("2025-05-16", when="2025-05-16", who=countries, **ISTANBUL),
                  delegates=frozenset({"p:medinsky", "p:umerov"}))
    (event,) = cluster_meetings([*plain, led], MINTER)
    assert event.participants == {*countries, "p:medinsky", "p:umerov"}
    (event,) = cluster_meetings(plain, MINTER)
    assert event.participants == set(countries)


@pytest.mark.model
def test_fusion_in_the_store_an_event_counts_the_heads_its_articles_name(model_nlp, tmp_path):
    items = [("a", "2025-05-14", "Russia and Ukraine will hold direct talks in Istanbul on May 16, the Kremlin said."),
             ("b", "2025-05-15", "Russia and Ukraine will hold talks in Istanbul on Friday. "
                                 "The Russian delegation will be led by presidential aide Vladimir Medinsky."),
             ("c", "2025-05-16", "Russia and Ukraine held talks in Istanbul on Friday. "
                                 "The Ukrainian delegation was headed by Defence Minister Rustem Umerov.")]
    store = _ingest(model_nlp, tmp_path, items, "fwd")
    (row,) = store.query("""SELECT (GROUP_CONCAT(?n; separator="|") AS ?who) WHERE {
        ?e a kg:Event ; kg:participant ?p . ?p schema:name ?n } GROUP BY ?e""")
    assert sorted(row["who"].value.split("|")) == ["Russia", "Rustem Umerov", "Ukraine", "Vladimir Medinsky"]
    assert _dump(store) == _dump(_ingest(model_nlp, tmp_path, items[::-1], "rev"))


def test_fusion_rounds_of_talks_are_separate_events_and_a_named_round_finds_its_own():
    first = rep("2025-05-16", when="2025-05-16", **ISTANBUL)
    second = [replace(rep("2025-06-02", when="2025-06-02", **ISTANBUL), round=2),
              replace(rep("2025-06-03", when="2025-06-02", **ISTANBUL), round=2)]
    # a month on, undated: the last event before it is round 2, but it names round 1
    swap = replace(rep("2025-06-10", **ISTANBUL), round=1)
    assert groups([first, *second, swap]) == sorted([{first.iri, swap.iri}, {r.iri for r in second}], key=sorted)
    # "the second round ... in June": the event of that round, though June has two events
    june = [replace(rep("2025-06-20", when="2025-06-19", **ISTANBUL), round=3), *second]
    month = replace(rep("2025-07-01", when="2025-06", **ISTANBUL), round=2)
    (joined,) = [e for e in cluster_meetings([*june, month], MINTER) if month in e.reports]
    assert {r.iri for r in joined.reports} == {month.iri, *(r.iri for r in second)}
    # a series begun again years later: round 2 of 2021 is not the round 2 a 2025 report names
    old = replace(rep("2021-04-16", when="2021-04-15", **ISTANBUL), round=2)
    now = rep("2025-06-03", when="2025-06-02", **ISTANBUL)
    named = replace(rep("2025-06-10", **ISTANBUL), round=2)
    assert groups([old, now, named]) == sorted([{old.iri}, {now.iri, named.iri}], key=sorted)


@pytest.mark.model
def test_fusion_in_the_store_three_rounds_at_one_place_are_three_events(model_nlp, tmp_path):
    items = [("r1", "2025-05-16", "Russian and Ukrainian delegations held their first direct talks in three years "
                                  "in Istanbul on Friday."),
             ("r2", "2025-06-02", "The second round of talks between Russia and Ukraine took place in Istanbul on Monday."),
             ("r2b", "2025-06-03", "Russia and Ukraine held a second round of talks in Istanbul on Monday, "
                                   "two weeks after the first round."),
             ("r3", "2025-07-23", "Russia and Ukraine held a third round of talks in Istanbul on Wednesday."),
             ("r3b", "2025-07-24", "The third round of talks between Russia and Ukraine in Istanbul lasted less than an hour."),
             ("r1b", "2025-06-10", "The first round of talks between Russia and Ukraine in Istanbul produced a prisoner swap.")]
    store = _ingest(model_nlp, tmp_path, items, "fwd")
    assert sorted(v[3] for v in _events(store).values()) == ["r1 r1b", "r2 r2b", "r3 r3b"]
    assert _dump(store) == _dump(_ingest(model_nlp, tmp_path, items[::-1], "rev"))


def test_fusion_a_host_one_report_of_three_names_takes_part():
    sides, host = (TRUMP, PUTIN), (TRUMP, PUTIN, KIM)
    three = [rep("2025-07-27", "Planned", when="2025-07-28", who=sides), rep("2025-07-28", when="2025-07-28", who=sides),
             rep("2025-07-29", when="2025-07-28", who=host)]
    (event,) = cluster_meetings(three, MINTER)
    assert event.participants == set(host)
    (event,) = cluster_meetings([*three, rep("2025-07-30", when="2025-07-28", who=sides)], MINTER)
    assert event.participants == set(sides)  # one report of four: a name caught in a sentence


def test_fusion_a_plan_dated_before_its_article_is_the_event_a_day_apart():
    """"To meet on Sunday (July 27)" in an article of Monday 28 July, when the talks were that Monday:
    an outlet's slip, the same talks; a held meeting a day apart with no place stays another."""
    talks = [rep("2025-07-27", "Planned", when="2025-07-28", **ISTANBUL), rep("2025-07-29", when="2025-07-28", **ISTANBUL)]
    assert together([*talks, rep("2025-07-28", "Planned", when="2025-07-27")])
    assert not together([*talks, rep("2025-07-28", "Held", when="2025-07-27")])
    assert not together([*talks, rep("2025-07-26", "Planned", when="2025-07-27")])  # a plan ahead: its own day


def test_fusion_status_is_the_latest_reports_with_its_dates():
    reports = [rep("2018-05-10", "Planned", when="2018-06-12", place="place:sg", country="SG"),
               rep("2018-05-24", "Cancelled", place="place:sg", country="SG"),
               rep("2018-06-01", "Planned", when="2018-06-12"),
               rep("2018-06-13", "Held", when="2018-06-12", place="place:sg", country="SG"),
               rep("2018-07-01", "Planned", when="2018-06-12")]  # after the day: does not count
    (event,) = cluster_meetings(reports, MINTER)
    assert (event.status, event.status_as_of) == ("Held", date(2018, 6, 13))
    assert (event.date, event.place, event.first.published) == ("2018-06-12", "place:sg", date(2018, 5, 10))


def test_fusion_is_a_function_of_the_reports_not_their_order():
    reports = [rep("2025-08-16", when="2025-08-15", **ALASKA), rep("2025-09-01", **ALASKA),
               rep("2025-11-17", when="2025-08"), rep("2025-10-20", "Proposed", **BUDAPEST),
               rep("2025-10-22", "Cancelled", **BUDAPEST), rep("2025-08-05", "Planned"), rep("2025-12-01", "Planned"),
               rep("2025-08-16", when="2025-08-15", who=(PUTIN,)), rep("2025-08-01", when="2025-05-16", **ISTANBUL)]
    first = cluster_meetings(reports, MINTER)
    for seed in range(5):
        shuffled = reports[:]
        random.Random(seed).shuffle(shuffled)
        assert cluster_meetings(shuffled, MINTER) == first


def _random_reports(rng: random.Random, count: int) -> list[Report]:
    people, places = [TRUMP, PUTIN, KIM, "p:xi"], [None, ALASKA, BUDAPEST, ISTANBUL]
    out = []
    for _ in range(count):
        day = date(2025, 1, 1).toordinal() + rng.randrange(40)
        published = date.fromordinal(day + rng.choice((-20, -3, 0, 1, 2, 30)))
        when = rng.choice((date.fromordinal(day).isoformat(),) * 3 + (date.fromordinal(day).isoformat()[:7], None))
        place = rng.choice(places) or {}
        out.append(rep(published.isoformat(), rng.choice(("Held", "Held", "Planned", "Proposed", "Cancelled")), when,
                       **place, who=tuple(rng.sample(people, rng.choice((1, 2, 2, 3)))), call=rng.random() < 0.2))
    return out


@pytest.mark.parametrize("seed", range(30))
def test_fusion_groups_closed_under_joinable_give_the_whole_clusterings_events(seed):
    """What lets a batch decide again only what it reaches (kg.link.fusion_store): the blocks of
    some reports, with every group of other blocks connected to them through `joinable`, give
    exactly the events that clustering all the reports gives them."""
    rng = random.Random(seed)
    reports = _random_reports(rng, 80)
    whole = {frozenset(r.iri for r in e.reports) for e in cluster_meetings(reports, MINTER)}
    blocks = block_reports(reports)
    chosen = rng.sample(sorted(blocks, key=lambda k: (k[0], sorted(k[1]))), 2)
    groups = [g for key in chosen for g in block_groups(blocks[key])]
    others = [g for key in blocks if key not in chosen for g in block_groups(blocks[key])]
    frontier = groups
    while frontier:
        frontier = [g for g in others if any(joinable(g, f, {}) for f in frontier) and not any(g is x for x in groups)]
        groups += frontier
    part = {frozenset(r.iri for r in e.reports) for e in join_groups(groups, MINTER, {})}
    assert part <= whole
    assert {iri for e in part for iri in e} == {r.iri for g in groups for r in g}


def test_fusion_a_country_acting_through_its_leader_is_not_a_second_participant():
    assert acting(frozenset({TRUMP, KIM, "place:nk"}), {KIM: {"place:nk"}}) == {TRUMP, KIM}
    assert acting(frozenset({"place:us", "place:nk"}), {}) == {"place:us", "place:nk"}


def said(text: str, published: str = "2020-01-01", speaker: str = PUTIN, direct: bool = True) -> Said:
    i = next(N)
    return Said(f"a:{i}/statement/1", f"a:{i}", date.fromisoformat(published), f"o:{i}", speaker, text, direct)


@pytest.mark.parametrize("a, b, joined", [
    ("We are ready for talks.", "we are READY for talks", True),  # case and punctuation
    ("the meeting in Budapest will not take place", "He said the meeting in Budapest will not take place soon.", True),
    ("No.", "No", True),
    ("We are ready.", "We are ready for talks.", False),  # too short to be inside another
    ("the meeting will not take place", "the meeting will take place", False),
])
def test_fusion_statements_with_the_same_words_are_one_quotation(a, b, joined):
    quotes = cluster_statements([said(a), said(b)], MINTER)
    assert (len(quotes) == 1) is joined
    assert len(cluster_statements([said(a), said(b, speaker=TRUMP)], MINTER)) == 2  # another speaker


def test_fusion_quotation_keeps_the_direct_words_and_the_first_report():
    late = said("the meeting in Budapest will not take place", "2025-10-23", direct=False)
    early = said("The meeting in Budapest will not take place, for now.", "2025-10-22")
    (q,) = cluster_statements([late, early], MINTER)
    assert q.text == early.text and q.first == early and len(q.reports) == 2


# ------------------------------------------------------------------ through the store (no model)
@pytest.fixture(scope="module")
def names_nlp():
    from kg.extract.nlp import blank
    return blank([{"label": "PERSON", "pattern": p} for p in PEOPLE] + [{"label": "GPE", "pattern": p} for p in PLACES])


HELSINKI = [("before", "2018-07-10", "Vladimir Putin and Donald Trump will meet in Helsinki on July 16. "
                                     "\"It was a frank and useful conversation,\" Putin said."),
            ("held", "2018-07-17", "Donald Trump met Vladimir Putin in Helsinki on July 16. "
                                   "\"It was a frank and useful conversation,\" Putin said on Monday."),
            ("after", "2018-08-01", "Trump and Putin met in Helsinki last month."),
            ("other", "2018-08-02", "Vladimir Putin met Steve Witkoff in Moscow on July 30.")]


def _ingest(nlp, tmp_path, items, name: str, *, one_by_one: bool = True) -> EmbeddedStore:
    config = Config.load(env={}, store=str(tmp_path / name))
    store = EmbeddedStore(config.store, config.base_iri)
    records = [record(text, rid=rid, published=pub, publisher=f"Outlet {rid}") for rid, pub, text in items]
    for batch in ([[r] for r in records] if one_by_one else [records]):
        ingest_records(batch, config, nlp=nlp, store=store)
    return store


def _events(store: EmbeddedStore) -> dict[str, tuple]:
    rows = store.query("""SELECT ?e ?status ?asof ?first (GROUP_CONCAT(DISTINCT ?id; separator=" ") AS ?ids) WHERE {
        ?e a kg:Event ; kg:status ?status ; kg:statusAsOf ?asof ; kg:firstReported ?first ; kg:report ?m .
        GRAPH ?a { ?m a kg:Meeting . ?a schema:identifier ?id ; schema:mentions ?e } } GROUP BY ?e ?status ?asof ?first""")
    return {r["e"].value: (r["status"].value.rsplit("#")[-1], r["asof"].value, r["first"].value,
                           " ".join(sorted(r["ids"].value.split()))) for r in rows}


def _dump(store: EmbeddedStore) -> bytes:
    buf = io.BytesIO()
    store.export("nquads", buf)
    return buf.getvalue()


def test_fusion_in_the_store_one_event_per_summit_with_its_history(names_nlp, tmp_path):
    store = _ingest(names_nlp, tmp_path, HELSINKI, "fwd")
    events = sorted(_events(store).values(), key=lambda v: v[3])
    assert events == [("Held", "2018-08-01", "2018-07-10", "after before held"), ("Held", "2018-08-02", "2018-08-02", "other")]
    (q,) = store.query("""SELECT ?q (COUNT(?s) AS ?n) WHERE { ?q a kg:Quotation ; kg:report ?s ; kg:text ?t
                          FILTER(CONTAINS(?t, "useful conversation")) } GROUP BY ?q""")
    assert q["n"].value == "2"
    unreported = store.query("""ASK { { GRAPH ?a { ?m a kg:Meeting } FILTER NOT EXISTS { ?e kg:report ?m } } UNION
                                { GRAPH ?a { ?s a kg:Statement } FILTER NOT EXISTS { ?q kg:report ?s } } }""")
    assert not bool(unreported)


def test_fusion_any_order_and_batching_give_the_same_store(names_nlp, tmp_path):
    forward = _ingest(names_nlp, tmp_path, HELSINKI, "fwd")
    backward = _ingest(names_nlp, tmp_path, HELSINKI[::-1], "rev")
    batch = _ingest(names_nlp, tmp_path, HELSINKI, "batch", one_by_one=False)
    assert _dump(forward) == _dump(backward) == _dump(batch)


@pytest.mark.parametrize("seed", range(6))
def test_fusion_what_a_batch_decides_again_is_what_deciding_everything_gives(names_nlp, tmp_path, seed):
    """Random batches, re-ingests among them: after each, deciding every event and quotation of
    the store again changes nothing."""
    rng = random.Random(seed)
    texts = HELSINKI + [("moscow", "2018-08-03", "Putin met Steve Witkoff in Moscow on July 30. \"We agreed,\" Witkoff said."),
                        ("call", "2018-07-20", "Trump spoke by phone with Putin on July 19."),
                        ("plan", "2018-07-01", "Trump said he will meet Putin soon. \"It was a frank and useful conversation,\" Putin said.")]
    config = Config.load(env={}, store=str(tmp_path / "s"))
    store = EmbeddedStore(config.store, config.base_iri)
    for _ in range(5):
        batch = rng.sample(texts, rng.randint(1, 3))
        if rng.random() < 0.7:  # a changed article: another day, other participants, no meeting left
            rid, pub, text = rng.choice(texts)
            text = rng.choice([text.replace("July 16", "July 17"), text.replace("Trump", "Steve Witkoff"),
                               "Vladimir Putin said on Tuesday that he had nothing new to report about any talks."])
            batch = [b for b in batch if b[0] != rid] + [(rid, pub, text)]
        ingest_records([record(t, rid=rid, published=pub, publisher=f"Outlet {rid}") for rid, pub, t in batch],
                       config, nlp=names_nlp, store=store)
        before = _dump(store)
        rebuild(store)
        assert _dump(store) == before


def test_fusion_reingest_moves_reports_and_leaves_no_empty_event(names_nlp, tmp_path):
    store = _ingest(names_nlp, tmp_path, HELSINKI, "re")
    changed = [("after", "2018-08-01", "Vladimir Putin met Steve Witkoff in Moscow on July 30.")]
    config = Config.load(env={}, store=str(tmp_path / "re"))
    ingest_records([record(t, rid=rid, published=pub, publisher=f"Outlet {rid}") for rid, pub, t in changed],
                   config, nlp=names_nlp, store=store)
    events = sorted(_events(store).values(), key=lambda v: v[3])
    assert events == [("Held", "2018-08-02", "2018-08-01", "after other"), ("Held", "2018-07-17", "2018-07-10", "before held")]
    empty = store.query("ASK { ?e a kg:Event FILTER NOT EXISTS { ?e kg:report ?m } }")
    assert not bool(empty)
    fresh = _ingest(names_nlp, tmp_path, [HELSINKI[0], HELSINKI[1], changed[0], HELSINKI[3]], "fresh")
    assert _dump(store) == _dump(fresh)


def test_fusion_a_role_read_later_changes_who_acted_in_an_earlier_meeting(nlp, tmp_path):
    """Russia beside Putin is a second participant until an article says he is Russia's president:
    then the earlier meeting is decided again (the membership came), whichever article came first."""
    config = Config.load(env={}, store=str(tmp_path / "s"))
    store = EmbeddedStore(config.store, config.base_iri)
    who = "SELECT ?p WHERE { ?e a kg:Event ; kg:participant ?p }"
    texts = [("met", "2018-07-17", "Trump met Vladimir Putin and Russia in Helsinki on July 16, officials said on Monday."),
             ("role", "2018-07-18", "Russian President Vladimir Putin said on Tuesday that the talks had gone well for everyone.")]
    for rid, pub, text in texts:
        ingest_records([record(text, rid=rid, published=pub, publisher="Outlet")], config, nlp=nlp, store=store)
        if rid == "met":
            assert {r["p"].value.rsplit("/", 1)[-1] for r in store.query(who)} == {"trump", "vladimir-putin", "russia"}
    assert {r["p"].value.rsplit("/", 1)[-1] for r in store.query(who)} == {"trump", "vladimir-putin"}
    before = _dump(store)
    rebuild(store)
    assert _dump(store) == before


def test_fusion_a_graph_dropped_outside_a_batch_is_settled_by_the_next_ingest(names_nlp, tmp_path):
    store = _ingest(names_nlp, tmp_path, HELSINKI, "drop")
    config = Config.load(env={}, store=str(tmp_path / "drop"))
    store.drop_graph(store.minter.article("after"))  # as a Graph Store DELETE does: no fusion runs
    assert store.fusion_pending()
    gone = "ASK { ?e kg:report ?m FILTER NOT EXISTS { GRAPH ?a { ?m a ?c } } }"
    assert bool(store.query(gone))
    rid, pub, text = HELSINKI[3]
    summary = ingest_records([record(text, rid=rid, published=pub, publisher=f"Outlet {rid}")], config,
                             nlp=names_nlp, store=store)
    assert summary.skipped == 1 and not store.fusion_pending()
    assert not bool(store.query(gone))
    fresh = _ingest(names_nlp, tmp_path, [t for t in HELSINKI if t[0] != "after"], "fresh")
    assert sorted(_events(store).values()) == sorted(_events(fresh).values())


def test_fusion_shipped_queries_answer_across_articles(names_nlp, tmp_path):
    from kg.rdf.queries import examples
    from kg.rdf.sparql import run
    cancelled = [("off", "2018-07-12", "The meeting of Donald Trump and Vladimir Putin in Helsinki was cancelled. "
                                       "\"It was a frank and useful conversation,\" Putin said.")]
    store = _ingest(names_nlp, tmp_path, HELSINKI[:1] + cancelled, "q")

    def rows(name):
        res = run(store.ox, examples()[name].text)
        return [{v.value: (s[v.value].value if s[v.value] is not None else None) for v in res.variables} for s in res]
    (off,) = rows("events-cancelled-after-announcement")
    assert (off["firstAnnounced"], off["calledOff"], off["status"]) == ("2018-07-10", "2018-07-12", "Cancelled")
    (quote,) = rows("repeated-quotations")
    assert (quote["speaker"], quote["articles"], quote["firstOutlet"]) == ("Vladimir Putin", "2", "Outlet before")
    history = rows("event-history")
    assert [(h["published"], h["status"]) for h in history] == [("2018-07-10", "Planned"), ("2018-07-12", "Cancelled")]
