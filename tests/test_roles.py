"""Roles: titles and positions stated with a name become memberships."""
from __future__ import annotations

import pytest

from tests.helpers import analyse


def _roles(nlp, text):
    _a, _doc, ents, roles = analyse(nlp, text)
    return {(ents.entities[r.member].name, r.label, ents.entities[r.organization].name if r.organization else None)
            for r in roles}


@pytest.mark.parametrize("text, expected", [
    ("Kremlin spokesman Dmitry Peskov spoke.", ("Dmitry Peskov", "spokesman", "Kremlin")),
    ("Russian President Vladimir Putin spoke.", ("Vladimir Putin", "president", "Russia")),
    ("White House Press Secretary Karoline Leavitt spoke.", ("Karoline Leavitt", "press secretary", "White House")),
    ("Putin met Trump's special envoy, Steve Witkoff, on Friday.", ("Steve Witkoff", "special envoy", "Donald Trump")),
    ("Ukraine's National Defense and Security Council Secretary Rustem Umerov wrote.",
     ("Rustem Umerov", "secretary", "National Defense and Security Council")),
    ("US Secretary of State Marco Rubio arrived.", ("Marco Rubio", "secretary of state", "United States")),
    ("Foreign Minister Sergey Lavrov of Russia arrived.", ("Sergey Lavrov", "foreign minister", "Russia")),
    ("former U.S. President Donald Trump spoke.", ("Donald Trump", "president", "United States")),
    ("Speaking with journalist Pavel Zarubin, he smiled.", ("Pavel Zarubin", "journalist", None)),
    ("Dmitry Peskov, the Kremlin spokesman, said so.", ("Dmitry Peskov", "spokesman", "Kremlin")),
    ("Kremlin spokesperson Dmitry Peskov spoke.", ("Dmitry Peskov", "spokesman", "Kremlin")),  # one role, not two
    ("Dmitry Peskov, the Kremlin's deputy spokeswoman, said so.", ("Dmitry Peskov", "deputy spokesman", "Kremlin")),
    # an abbreviated title stands for its role
    ("Sen. Marco Rubio of Washington arrived.", ("Marco Rubio", "senator", "Washington")),
])
def test_roles_from_titles(nlp, text, expected):
    if expected[2] == "Donald Trump":
        text = "Donald Trump is here. " + text
    assert expected in _roles(nlp, text)


@pytest.mark.parametrize("text", [
    "Putin spoke with his US counterpart Donald Trump.",
    "Putin and Trump met in Helsinki.",
    "The Ukraine conflict worries Peskov.",
])
def test_roles_not_from_other_nouns(nlp, text):
    assert _roles(nlp, text) == set()


def test_roles_title_without_organisation_yields_to_one_with(nlp):
    roles = _roles(nlp, "Russian President Vladimir Putin spoke. Later President Putin left.")
    assert roles == {("Vladimir Putin", "president", "Russia")}


@pytest.mark.model
@pytest.mark.parametrize("text, expected", [
    # the model takes "Defense" alone for an organisation: it is part of the title
    ("Defense Secretary Jim Mattis said the talks were useful.", ("Jim Mattis", "defense secretary", None)),
    ("Treasury Secretary Steve Mnuchin spoke.", ("Steve Mnuchin", "treasury secretary", None)),
    ("Director of National Intelligence Dan Coats spoke.", ("Dan Coats", "director of national intelligence", None)),
    ("Kremlin spokesman Dmitry Peskov spoke.", ("Dmitry Peskov", "spokesman", "Kremlin")),  # a name stays a name
    ("Tory leader Michael Howard spoke.", ("Michael Howard", "leader", "Conservative Party")),  # as "Russian President"
])
def test_roles_with_the_model(model_nlp, text, expected):
    assert expected in _roles(model_nlp, text)


@pytest.mark.model
def test_roles_of_two_titles_joined_the_last_is_the_names(model_nlp):
    roles = _roles(model_nlp, "Following that, the U.S. president and Prince Mohammed bin Salman will hold a meeting.")
    assert ("Mohammed bin Salman", "prince", None) in roles
    assert not [r for r in roles if " and " in r[1]]


@pytest.mark.model
@pytest.mark.parametrize("text, expected", [
    ("Iran's delegation to the negotiations is headed by Foreign Minister Abbas Araghchi.",
     ("Abbas Araghchi", "head of delegation", "Iran")),
    ("Talks between the Russian delegation led by Vladimir Medinsky and Ukraine lasted two hours.",
     ("Vladimir Medinsky", "head of delegation", "Russia")),  # a nationality: its country
    ("Vladimir Medinsky, who led the Russian delegation, said the talks were useful.",
     ("Vladimir Medinsky", "head of delegation", "Russia")),
    ("The Russian delegation will be headed by presidential aide Vladimir Medinsky, the Kremlin said.",
     ("Vladimir Medinsky", "head of delegation", "Russia")),
    # their own country, which their title gives
    ("US Secretary of State Marco Rubio and Russian Foreign Minister Sergei Lavrov led their delegations at the "
     "talks.", ("Sergei Lavrov", "head of delegation", "Russia")),
    ("The talks in Riyadh were led by US Secretary of State Marco Rubio and Russian Foreign Minister Sergei Lavrov.",
     ("Marco Rubio", "head of delegation", "United States")),
    ("Russian Foreign Minister Sergei Lavrov headed his country's delegation.", ("Sergei Lavrov", "head of delegation", "Russia")),
])
def test_roles_head_of_a_countrys_delegation(model_nlp, text, expected):
    assert expected in _roles(model_nlp, text)


@pytest.mark.model
def test_roles_a_delegation_without_a_country_heads_nothing(model_nlp):
    assert not [r for r in _roles(model_nlp, "A delegation led by Vladimir Medinsky arrived on Friday.")
                if r[1] == "head of delegation"]


@pytest.mark.model
@pytest.mark.parametrize("text, expected", [
    ("US Special Envoy for Ukraine Keith Kellogg arrived in Kyiv.", ("Keith Kellogg", "special envoy", "United States")),
    ("Donald Trump spoke. Trump's special envoy to the Middle East, Steve Witkoff, met Putin.",
     ("Steve Witkoff", "special envoy", "Donald Trump")),
])
def test_roles_a_remit_between_title_and_name_is_passed_over(model_nlp, text, expected):
    assert expected in _roles(model_nlp, text)
