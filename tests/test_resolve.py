"""Entities within an article: names grouped, types decided by evidence, mentions found again."""
from __future__ import annotations

import pytest

from tests.helpers import analyse


def _entities(nlp, text):
    _a, _doc, ents, _roles = analyse(nlp, text)
    return {e.name: e for e in ents.entities.values()}


def test_resolve_groups_short_names_with_the_full_name(nlp):
    ents = _entities(nlp, "Russian President Vladimir Putin spoke on Friday. Putin said the talks went well. "
                          "Later Putin left.")
    assert set(ents) == {"Vladimir Putin", "Russia"}
    putin = ents["Vladimir Putin"]
    assert putin.type == "Person" and "Putin" in putin.aliases and len(putin.mentions) == 3


@pytest.mark.parametrize("text, name, etype", [
    ("Kremlin spokesman Dmitry Peskov said so. Peskov added more.", "Dmitry Peskov", "Person"),
    ("The Kremlin said so.", "Kremlin", "Organisation"),
    ("Officials in Russia said so.", "Russia", "Place"),
    ("He flew to the U.S. on Monday.", "United States", "Place"),
    ("The talks were held in Kiev.", "Kyiv", "Place"),
])
def test_resolve_types_and_canonical_names(nlp, text, name, etype):
    ents = _entities(nlp, text)
    assert ents[name].type == etype


def test_resolve_title_evidence_outvotes_the_model(nlp):
    # the ruler (standing in for a confused model) tags "Peskov" as a place once
    from kg.extract.nlp import blank
    confused = blank([{"label": "PERSON", "pattern": "Dmitry Peskov"}, {"label": "GPE", "pattern": "Peskov"}])
    ents = _entities(confused, "Kremlin spokesman Dmitry Peskov spoke. Peskov said the talks were useful.")
    assert ents["Dmitry Peskov"].type == "Person"
    assert "Peskov" not in ents


@pytest.mark.parametrize("text", [
    "Tuesday, 02 January 2024 12:17 GMT",
    "He wrote on X. He added more.",
])
def test_resolve_drops_noise(nlp, text):
    from kg.extract.nlp import blank
    noisy = blank([{"label": "ORG", "pattern": "GMT"}, {"label": "PERSON", "pattern": [{"TEXT": "X."}, {"TEXT": "He"}]}])
    assert _entities(noisy, text) == {}


def test_resolve_finds_untagged_repeats_of_a_name(nlp):
    from kg.extract.nlp import blank
    # the "model" tags the name only once; the later bare surname is still a mention
    partial = blank([{"label": "PERSON", "pattern": [{"TEXT": "Rustem"}, {"TEXT": "Umerov"}]}])
    ents = _entities(partial, "Rustem Umerov arrived. Later Umerov wrote on Facebook.")
    assert len(ents["Rustem Umerov"].mentions) == 2
    # a two-letter acronym too, but not a two-letter word in title case
    acronym = blank([{"label": "ORG", "pattern": [{"TEXT": "The"}, {"TEXT": "QZ"}]},
                     {"label": "PERSON", "pattern": [{"TEXT": "The"}, {"TEXT": "Al"}]}])
    ents = _entities(acronym, "The QZ met. The Al spoke. Later QZ officials and Al left.")
    assert len(ents["QZ"].mentions) == 2 and len(ents["Al"].mentions) == 1


def test_resolve_strips_leading_punctuation_from_names(nlp):
    """A model may take the dash of a signature into the name ('— Donald J. Trump')."""
    from spacy.tokens import Span as SpacySpan

    from kg.extract.mentions import find_mentions
    doc = nlp("— Donald J. Trump (@realDonaldTrump) March 6, 2018")
    doc.ents = [SpacySpan(doc, 0, 4, "PERSON")]
    assert [m.name for m in find_mentions(doc)] == ["Donald J. Trump"]


@pytest.mark.parametrize("tags, text, absent, present", [
    # one all-caps word among others is emphasis, not a name; a known acronym stays a name
    ([("ORG", "GREAT"), ("PERSON", "Angela Merkel")],
     "Despite the FAKE NEWS, I had a GREAT meeting with Angela Merkel.", ["GREAT"], ["Angela Merkel"]),
    ([("ORG", "NATO")], "They will NEVER EVER leave NATO, he said.", [], ["NATO"]),
    # several all-caps words shout together; a lone all-caps name does not
    ([("ORG", "FAKE NEWS"), ("PERSON", "Angela Merkel")],
     "Despite what you heard from the FAKE NEWS, I had a GREAT meeting with Angela Merkel.", ["FAKE NEWS"],
     ["Angela Merkel"]),
    ([("ORG", "UNITED NATIONS")], "The UNITED NATIONS said on Monday that talks would resume.", [], ["UNITED NATIONS"]),
    # widget text glued to a name leaves no entity; Mac names are not glued
    ([("PERSON", "Trump Donald")], "After President Trump Donald John TrumpDem lawmaker says Nunes threatened him.",
     ["Trump Donald"], []),
    ([("PERSON", "Douglas MacArthur")], "General Douglas MacArthur spoke to the troops.", [], ["Douglas MacArthur"]),
    # a title word or a demonym the model tagged as an organisation
    ([("ORG", "Defense"), ("PERSON", "Jim Mattis")], "U.S. Defense Secretary Jim Mattis spoke.", ["Defense"],
     ["Jim Mattis"]),
    ([("ORG", "Kazakh")], "Talks in the Kazakh capital went on for days.", ["Kazakh"], []),
    # a name the model cut before its number
    ([("ORG", [{"LOWER": "the"}, {"TEXT": "Group"}, {"TEXT": "of"}])], "The summit of the Group of 20 ended.",
     ["Group of"], ["Group of 20"]),
    # an all-caps dateline that names a place
    ([("ORG", "ADDIS ABABA")], "ADDIS ABABA, Ethiopia - Pompeo spoke on Tuesday.", ["ADDIS ABABA"], ["Addis Ababa"]),
    # a hyphenated given name is one name; two names joined by a hyphen are two
    ([("PERSON", "Frank-Walter Steinmeier")], "He met Frank-Walter Steinmeier in Berlin.", ["Frank"],
     ["Frank-Walter Steinmeier"]),
    ([("PERSON", "Putin-Trump")], "The Putin-Trump summit ended.", ["Putin-Trump"], ["Putin", "Trump"]),
])
def test_resolve_names_that_are_not_names(tags, text, absent, present):
    from kg.extract.nlp import blank
    tagged = blank([{"label": label, "pattern": pattern} for label, pattern in tags])
    ents = _entities(tagged, text)
    assert not set(absent) & set(ents), ents
    assert set(present) <= set(ents), ents


@pytest.mark.parametrize("text, separate", [
    # the surname alone, long before the full name appears, is someone the reader already knows
    ("Trump spoke on Monday. Trump said the talks went well. Aides later sent in first lady Melania Trump.", True),
    # the usual order: full name first, surname after
    ("First lady Melania Trump spoke on Monday. Trump said the visit went well.", False),
])
def test_resolve_surname_before_full_name_is_someone_else(text, separate):
    from kg.extract.nlp import blank
    ents = _entities(blank([{"label": "PERSON", "pattern": p} for p in ("Trump", "Melania Trump")]), text)
    assert ("Trump" in ents) == separate and "Melania Trump" in ents


@pytest.mark.parametrize("a, b, same", [
    ("Bashar Assad", "Bashar al-Assad", True),
    ("Bashar al Assad", "Bashar al-Assad", True),
    ("Kim Jong-un", "Kim Jong Un", True),
    ("Sergey Kislyak", "Sergei Kislyak", True),
    ("Labour Party", "Labour party", True),
    ("Mr. Trump", "Trump", True),
    ("Trump’s", "Trump", True),
    ("George W. Bush", "George Bush", False),  # middle initials: by evidence, not by rule (kg.link.linker)
    ("Donald J. Trump", "Donald Trump", False),
    ("Theresa May", "Theresa Mayer", False),
])
def test_names_variants_share_a_key(a, b, same):
    from kg.extract.names import name_key
    assert (name_key(a) == name_key(b)) == same


@pytest.mark.parametrize("name, bad", [
    ("Trump Trump", True), ("Trump Sunday", True), ("Getty Trump", True), ("Email Sign", True),
    ("Slideshow", True), ("Theresa May", False), ("Kim Jong Un", False), ("Related", True),
    ("Smith ‘Make", True), ("Ann O’Neill", False),
    ("Crown Prince", True), ("Foreign Minister", True), ("Prince Harry", False), ("General Motors", False),
])
def test_names_that_are_not_names(name, bad):
    from kg.extract.names import not_a_name
    assert not_a_name(name) == bad


@pytest.mark.parametrize("text, joins", [
    # the surname last or, as Korean and Chinese names put it, first: one candidate decides
    ("Park Min Ho arrived on Monday. Park said the talks went well.", "Park Min Ho"),
    ("Tony Park was freed on Monday. Park said he was grateful.", "Tony Park"),
    # both in one article: the one it names more often; as often, the bare name stays apart (the
    # store-wide linking decides it)
    ("Tony Park was freed before Park Min Ho arrived. Park Min Ho spoke. Park said the talks went well.",
     "Park Min Ho"),
    ("Park Min Ho arrived. Tony Park was freed. Tony Park thanked him. Park said he was grateful.", "Tony Park"),
    ("Tony Park was freed before Park Min Ho arrived. Park said the talks went well.", None),
])
def test_resolve_bare_name_first_or_last(text, joins):
    from kg.extract.nlp import blank
    ents = _entities(blank([{"label": "PERSON", "pattern": p} for p in ("Park Min Ho", "Tony Park", "Park")]), text)
    assert ("Park" in ents) == (joins is None)
    if joins:
        assert "Park" in ents[joins].aliases


@pytest.mark.model
@pytest.mark.parametrize("text, name", [
    ("Democrats in Congress demanded answers.", "Democratic Party"),  # the model says NORP
    ("The Lib Dems said the plan was flawed.", "Liberal Democrats"),  # the model says PERSON
    ("The Tories attacked the plan.", "Conservative Party"),
    ("Tory leader Michael Howard spoke.", "Conservative Party"),  # a party adjective before a title
])
def test_resolve_a_party_named_by_its_members_is_an_organisation(model_nlp, text, name):
    ents = _entities(model_nlp, text)
    assert ents[name].type == "Organisation"


@pytest.mark.model
def test_resolve_a_people_is_not_an_organisation(model_nlp):
    assert "Russians" not in _entities(model_nlp, "Russians voted on Sunday.")


@pytest.mark.model
@pytest.mark.parametrize("text, name", [
    # the model tags only "U.S.": the capitalised name with an organisation word is the organisation
    ("Myron Brilliant, head of international affairs at the U.S. Chamber of Commerce, spoke.", "U.S. Chamber of Commerce"),
    ("Admiral Harry Harris of U.S. Pacific Command testified.", "U.S. Pacific Command"),
    ("He spoke at the US Institute of Peace on Monday.", "US Institute of Peace"),
])
def test_resolve_untagged_organisation_names(model_nlp, text, name):
    ents = _entities(model_nlp, text)
    assert ents[name].type == "Organisation"
    assert "United States" not in ents or not any(m for m in ents["United States"].mentions
                                                  if text[m.start:m.end] in name)


@pytest.mark.model
def test_resolve_a_title_before_a_name_is_no_organisation(model_nlp):
    ents = _entities(model_nlp, "Prime Minister Tony Blair met Defense Secretary Jim Mattis.")
    assert not [e for e in ents.values() if e.type == "Organisation"]


@pytest.mark.model
@pytest.mark.parametrize("text", [
    "Prime Minister Narendra Modi met Vladimir Putin. In July last year, PM Modi travelled to Moscow.",
    "Foreign Minister Abbas Araghchi arrived. FM Araghchi said the talks were useful.",
    "Pakistan’s DGMO Maj Gen Kashif Abdullah and his Indian counterpart Lt Gen Rajiv Ghai had a third contact.",
])
def test_resolve_an_abbreviated_title_is_no_part_of_the_name(model_nlp, text):
    ents = _entities(model_nlp, text)
    assert not [name for name in ents if name.split()[0] in {"PM", "FM", "Lt", "Maj", "Gen"}]


@pytest.mark.model
def test_resolve_a_hyphenated_pair_of_a_known_surname_and_a_name_is_two_people(model_nlp):
    ents = _entities(model_nlp, "Trump-Xi Jinping meeting: President Donald Trump met his Chinese counterpart, "
                                "Xi Jinping, for talks on a trade truce. Frank-Walter Steinmeier spoke.")
    assert "Trump-Xi Jinping" not in ents and {"Donald Trump", "Xi Jinping"} <= set(ents)
    assert "Frank-Walter Steinmeier" in ents  # a hyphenated given name that ends no other name stays whole


@pytest.mark.model
def test_resolve_a_surname_with_a_particle_stays_the_persons(model_nlp):
    """The model tags "Abdel Fattah" a person and "el Sisi" a place: one person."""
    ents = _entities(model_nlp, "Egypt will host a peace summit in Sharm el-Sheikh on Monday, to be co-chaired by "
                                "President Abdel Fattah el Sisi and US President Donald Trump.")
    assert ents["Abdel Fattah el Sisi"].type == "Person" and "el Sisi" not in ents


@pytest.mark.model
def test_resolve_an_acronym_in_parentheses_is_the_name_before_it(model_nlp):
    ents = _entities(model_nlp, "A soldier serving with the Syrian Democratic Forces (SDF) in Syria spoke. "
                                "The SDF said so. Groups linked with the Kurdistan Workers' Party (PKK) fought.")
    assert "SDF" not in ents and "SDF" in ents["Syrian Democratic Forces"].aliases
    assert ents["Kurdistan Workers' Party"].type == "Organisation"  # a possessive inside the name: one name


@pytest.mark.model
@pytest.mark.parametrize("text, names", [
    # a headline's verb ends the name; a name with a word that is also a verb form does not
    ("Trump Says He’s Unlikely To Have A Good Relationship With David Cameron", {"Trump", "David Cameron"}),
    ("The US fought the Islamic State in the United States.", {"United States", "Islamic State"}),
    ("VP Mike Pence spoke; I overruled the VP on it.", {"Mike Pence"}),  # a title alone names no one
])
def test_resolve_names_end_before_a_headline_verb(model_nlp, text, names):
    ents = _entities(model_nlp, text)
    assert names <= set(ents) and not any(n.endswith((" Says", " Says He")) or n == "VP" for n in ents)


def test_at_token_agrees_with_the_character_lookup_for_every_token(nlp):
    # mentions of one, two and three tokens, a possessive, and tokens no mention covers
    _a, doc, ents, _roles = analyse(nlp, "Kremlin spokesman Dmitry Peskov said Russia's envoy met the "
                                         "United Nations in Kiev. Peskov's aide left.")
    covered = [t for t in doc if ents.at_token(t)]
    assert {t.text for t in covered} >= {"Dmitry", "Peskov", "Russia", "United", "Nations", "Kiev"}
    for tok in doc:
        assert ents.at_token(tok) == ents.at(tok.idx, tok.idx + len(tok.text)), tok.text


@pytest.mark.parametrize("a, b", [("Volodymyr Zelenskyy", "Volodymyr Zelensky"), ("Volodymyr Zelenskiy", "Volodymyr Zelensky"),
                                  ("Recep Tayyip Erdoğan", "Recep Tayyip Erdogan"), ("Bob Mueller", "Robert Mueller"),
                                  ("Jim Mattis", "James Mattis"), ("Yury Ushakov", "Yuri Ushakov"),
                                  ("Kirill Dmitriyev", "Kirill Dmitriev"), ("Sergey Lavrov", "Sergei Lavrov"),
                                  ("Abbas Araghchi", "Abbas Araqchi"), ("Rajeev Ghai", "Rajiv Ghai")])
def test_resolve_spellings_of_one_name_share_a_key(a, b):
    from kg.extract.names import name_key
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a, b", [("Donald Trump", "Donald Trump Jr."), ("George Bush", "George W. Bush"),
                                  ("Kim Jong Un", "Kim Yo Jong"), ("Bob", "Robert"), ("Lee", "Li")])
def test_resolve_different_people_keep_apart(a, b):
    from kg.extract.names import name_key
    assert name_key(a) != name_key(b)


@pytest.mark.model
def test_resolve_an_inverted_cue_is_no_part_of_the_name(model_nlp):
    from tests.helpers import analyse
    _art, _doc, ents, _roles = analyse(model_nlp, 'Rex Tillerson flew to Moscow.\n\nSaid Tillerson: "We are proud of it."')
    assert sorted(e.name for e in ents.entities.values() if e.type == "Person") == ["Rex Tillerson"]
