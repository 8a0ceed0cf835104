"""Cleaning: page chrome never reaches the text, metadata is found, bad text is refused clearly."""
from __future__ import annotations

from datetime import date

import pytest

from kg.read.clean import to_article
from kg.read.sources import read_file
from tests.conftest import SEEDS
from tests.helpers import clean, record


def _seed(name: str):
    (rec,) = read_file(next(SEEDS.glob(name + "*")), max_bytes=10**8)
    return to_article(rec)


@pytest.mark.parametrize("seed, published, title, publisher", [
    ("000", date(2025, 5, 7), "Kremlin announces possible Putin-Trump meeting", "MENAFN"),
    ("001", date(2025, 11, 17), "Kremlin Says Russia Eager for Putin-Trump Summit", "MENAFN"),
    ("002", None, "Putin-Trump summit on the way – Kremlin", None),
    ("003", date(2025, 10, 25), "Putin, Trump Still Open To Meeting: Russia", "MENAFN"),
    ("004", None, "Putin, Trump To Meet In Coming Days, Kremlin Aide Says", None),
])
def test_clean_seed_metadata(seed, published, title, publisher):
    a = _seed(seed)
    assert (a.published, a.title, a.publisher) == (published, title, publisher)


@pytest.mark.parametrize("chrome", [
    "Legal Disclaimer", "MENAFN provides the information", "Tuesday, 02 January 2024", "Tags", "More Story",
    "Getty Images", "Leave a Reply", "Back to top button", "READ MORE", "Read more", "Curated by", "Photo: PTI",
    "MENAFN07052025", "Oil&Energy", "عربي",
])
def test_clean_removes_page_chrome_from_every_seed(chrome):
    raw = {p.name[:3]: p.read_text(encoding="utf-8", errors="replace") for p in SEEDS.iterdir()}
    having = [seed for seed, text in sorted(raw.items()) if chrome in text]
    assert having, f"no seed page has {chrome!r}: the case tests nothing"
    for seed in having:
        assert chrome not in _seed(seed).text, seed


def test_clean_keeps_the_article_and_drops_repeated_headline_and_summary():
    a = _seed("004")
    assert a.text.startswith("United States president Donald Trump and Russian president Vladimir Putin are set")
    assert a.text.count("are set to meet in the coming days") == 1
    assert a.text.count("The statement comes after Trump asserted") == 1
    assert "(MENAFN)" not in _seed("000").text


def test_clean_html_drops_scripts_and_navigation_and_reads_metadata():
    html = """<html><head><title>Site | Page</title>
      <meta property="og:title" content="Leaders meet in Geneva">
      <meta property="article:published_time" content="2025-03-04T10:00:00Z">
      <meta property="og:site_name" content="Daily Wire Service">
      <script>var facts = "Putin met Trump";</script><style>p {color: red}</style></head>
      <body><nav><a>Home</a> <a>World</a></nav>
      <article><h1>Leaders meet in Geneva</h1>
      <p>The two presidents met in Geneva on Tuesday, officials said.</p>
      <p>They talked for three hours about security and trade.</p></article>
      <footer>Copyright 2025</footer></body></html>"""
    a = to_article(record(html, kind="html"))
    assert a.title == "Leaders meet in Geneva"
    assert a.published == date(2025, 3, 4)
    assert a.publisher == "Daily Wire Service"
    assert "Putin met Trump" not in a.text and "color" not in a.text and "Home" not in a.text
    assert a.text == ("The two presidents met in Geneva on Tuesday, officials said.\n\n"
                      "They talked for three hours about security and trade.")


@pytest.mark.parametrize("text, reason", [
    ("Tags\n\nSearch\n\nMore Story", "no article text"),
    ("Der Bundeskanzler sagte am Montag, dass die Regierung die Gespräche mit Moskau fortsetzen werde, "
     "obwohl die Opposition dagegen sei und die Lage schwierig bleibe.", "not English"),
])
def test_clean_refuses_what_is_not_an_article(text, reason):
    with pytest.raises(ValueError, match=reason):
        clean(text)


def test_clean_content_hash_changes_with_the_text_only():
    a1 = clean("Peskov said the talks would resume in Istanbul next week, officials confirmed on Monday.")
    a2 = clean("Peskov said the talks would resume in Istanbul next week, officials confirmed on Monday.")
    a3 = clean("Peskov said the talks would resume in Geneva next week, officials confirmed on Monday.")
    assert a1.content_hash == a2.content_hash != a3.content_hash


BODY = "Leaders met in Moscow on Friday, officials said, after a long day of talks between the two sides."


@pytest.mark.parametrize("widget, gone", [
    # a related-headlines block after its marker, up to the next sentence
    ("READ MORE:\n\nRussia: Furor over Sessions meetings with ambassador 'a witch hunt’\n\n"
     "Exclusive: Two other Trump advisers also spoke with Russian envoy during GOP convention",
     ["Furor over Sessions", "Exclusive: Two other"]),
    ("Related\n\nTrump team issued at least 20 denials of contacts with Russia", ["20 denials"]),
    ("White House urged to give full account of Trump's private talks with Putin Read more", ["White House urged"]),
    ("Enlarge this image toggle caption AP AP", ["Enlarge", "toggle caption"]),
    ("Soldiers may have violated rules. (RELATED: Trump Had One Main Concern About Visiting Iraq)",
     ["RELATED", "Main Concern"]),
    ("He landed at Morristown Municipal Airport, August 15, 2019. (Jonathan Ernst/Reuters)", ["Ernst", "/Reuters"]),
])
def test_clean_removes_related_headlines_and_credits(widget, gone):
    text = clean(f"{BODY}\n\n{widget}\n\nThe rest of the article is about trade, the minister said on Monday.").text
    assert BODY in text and "The rest of the article is about trade" in text
    for words in gone:
        assert words not in text


@pytest.mark.parametrize("line", [
    "Russia and Ukraine met in Istanbul (the third round), officials said.",  # a parenthesis that is text
    "Related talks were held in Geneva in June, where the ministers met again, Lavrov said.",
])
def test_clean_keeps_text_that_only_looks_like_a_widget(line):
    assert line in clean(f"{BODY}\n\n{line}").text


@pytest.mark.parametrize("first, title", [
    ("Labour plans maternity pay rise", "Labour plans maternity pay rise"),  # sentence case, set apart
    ("Turkey deal 'to help world peace'", "Turkey deal 'to help world peace'"),  # ends in a quote mark
    ("The minister said the plan would cost more.", None),  # a sentence, not a headline
    # a lede that ends in a quotation is a sentence: it stays the text's first line
    ("Tehran, IRNA – Foreign Minister Jane Doe has described the first round of talks between Ruritania "
     "and Freedonia as “constructive and promising.”", None),
])
def test_clean_first_line_set_apart_is_the_headline(first, title):
    a = clean(first + "\n\nMaternity pay for new mothers is to rise by £1,400 as part of new proposals announced "
              "by the Trade and Industry Secretary Patricia Hewitt. It would be paid for nine months.")
    assert a.title == title
    assert (title is None) == a.text.startswith(first)  # the headline is not also the text's first line


def test_clean_restores_a_space_lost_before_a_name():
    a = clean("Trump and Putin met inAlaska on Friday for talks on Ukraine. The meeting lasted three hours and "
              "ended without a deal, officials said.")
    assert "met in Alaska on Friday" in a.text


def test_clean_removes_a_wire_credit_after_a_dated_dateline():
    a = clean("Tokyo, Oct. 24 (Jiji Press)--Japanese Prime Minister Sanae Takaichi and U.S. President Donald Trump "
              "are expected to hold their first talks over the phone on Saturday morning, people familiar with the "
              "matter said Friday.")
    assert a.text.startswith("Japanese Prime Minister") and "Jiji" not in a.text
