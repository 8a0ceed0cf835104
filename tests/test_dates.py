"""Dates resolve against the publication date at the granularity the text gives; none are guessed."""
from __future__ import annotations

from datetime import date

import pytest

from kg.extract.dates import find_dates
from kg.model import TimeValue

WED = date(2025, 5, 7)  # a Wednesday
MON = date(2025, 11, 17)  # a Monday


@pytest.mark.parametrize("text, published, future, expected", [
    ("met on Friday", WED, False, TimeValue("2025-05-02", "date")),
    ("stated on Sunday", WED, False, TimeValue("2025-05-04", "date")),
    ("The Kremlin on Monday signaled", MON, False, TimeValue("2025-11-17", "date")),
    ("the deadline expires on Friday", WED, True, TimeValue("2025-05-09", "date")),
    ("last Friday", date(2025, 5, 9), False, TimeValue("2025-05-02", "date")),
    ("In March, Trump and Putin spoke", WED, False, TimeValue("2025-03", "gYearMonth")),
    ("last met in August", MON, False, TimeValue("2025-08", "gYearMonth")),
    ("met in December", WED, False, TimeValue("2024-12", "gYearMonth")),
    ("will meet in December", WED, True, TimeValue("2025-12", "gYearMonth")),
    ("was canceled last month", MON, False, TimeValue("2025-10", "gYearMonth")),
    ("talks on May 16", MON, False, TimeValue("2025-05-16", "date")),
    # a month and day after the publication date, in a past clause: the year before
    ("had called Kislyak on December 29", date(2017, 2, 8), False, TimeValue("2016-12-29", "date")),
    ("will meet on December 29", date(2017, 2, 8), True, TimeValue("2017-12-29", "date")),
    # the publication day's own weekday, in a future clause, is that day; "next" is a week on
    ("will meet on Wednesday", WED, True, TimeValue("2025-05-07", "date")),
    ("will meet next Wednesday", WED, True, TimeValue("2025-05-14", "date")),
    ("on 16 May 2024", MON, False, TimeValue("2024-05-16", "date")),
    ("began in February 2022", MON, False, TimeValue("2022-02", "gYearMonth")),
    ("first summit since 2021", MON, False, TimeValue("2021", "gYear")),
    ("yesterday", WED, False, TimeValue("2025-05-06", "date")),
    # a week: the article's own is its month; another, the month its days fall in, or the year
    ("are meeting this week", date(2019, 2, 27), True, TimeValue("2019-02", "gYearMonth")),
    ("met last week", date(2020, 2, 18), False, TimeValue("2020-02", "gYearMonth")),
    ("will meet next week", date(2025, 5, 21), True, TimeValue("2025", "gYear")),
    ("2025-05-07 07:05:50", None, False, TimeValue("2025-05-07", "date")),
])
def test_dates_resolve(text, published, future, expected):
    assert [tv for _s, _e, tv in find_dates(text, published, future=future)] == [expected]


@pytest.mark.parametrize("text", ["met on Friday", "in March", "last month", "on May 16", "yesterday"])
def test_dates_without_publication_date_are_not_guessed(text):
    assert find_dates(text, None) == []


@pytest.mark.parametrize("text", ["he may go", "the march was long", "a Friday prayer crowd in may"])
def test_dates_ignore_common_words(text):
    assert [tv for _s, _e, tv in find_dates(text, WED) if tv.granularity != "date"] == []


@pytest.mark.parametrize("text", ["plans to meet him on Sunday (July 27) afternoon", "will meet on Sunday, July 27,"])
def test_dates_a_weekday_is_the_date_spelled_out_after_it(text):
    """In an article of Monday 28 July, a plan 'on Sunday' alone is 3 August; with its date, 27 July."""
    assert {tv.value for _s, _e, tv in find_dates(text, date(2025, 7, 28), future=True)} == {"2025-07-27"}
    assert find_dates("will meet on Sunday", date(2025, 7, 28), future=True)[0][2].value == "2025-08-03"


def test_dates_several_in_one_phrase_keep_their_offsets():
    text = "three rounds of talks in Istanbul on May 16, June 2, and July 23"
    found = find_dates(text, MON)
    assert [tv.value for _s, _e, tv in found] == ["2025-05-16", "2025-06-02", "2025-07-23"]
    assert [text[s:e] for s, e, _tv in found] == ["May 16", "June 2", "July 23"]
