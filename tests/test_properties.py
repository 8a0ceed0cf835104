"""Property-based tests on the readers, the cleaner and the extractors: random bytes and random
Unicode never crash (only a clear ValueError), never hang, and never give evidence outside the text."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from kg.read.clean import to_article
from kg.extract.pipeline import extract
from kg.read.sources import InputError, Record, decode

WORDS = st.sampled_from(["Putin", "said", "that", "the", "Kremlin", "met", "Trump", "in", "Moscow", "on", "Friday",
                         '"', "“", "”", "''", ",", ".", "\n\n", "spokesman", "Dmitry Peskov", "talks", "summit",
                         "according", "to", "he", "added", "phone", "call", "was", "cancelled", "2025-05-07"])
SETTINGS = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(st.binary(max_size=4000))
def test_properties_decode_any_bytes(data):
    out = decode(data)
    assert isinstance(out, (str, InputError))


@SETTINGS
@given(st.text(max_size=3000), st.sampled_from(["text", "html"]))
def test_properties_clean_any_text_gives_an_article_or_a_clear_error(text, kind):
    try:
        article = to_article(Record(id="x", kind=kind, body=text, source="x"))
    except ValueError as e:
        assert str(e)
        return
    assert article.text and article.text == article.text.strip()


@SETTINGS
@given(st.lists(WORDS, min_size=5, max_size=120))
def test_properties_facts_point_into_the_text(nlp, words):
    text = " ".join(words)
    try:
        article = to_article(Record(id="x", kind="text", body=text, source="x"))
    except ValueError:
        return
    facts = extract(nlp(article.text), article)
    n = len(article.text)
    spans = [r.evidence for r in facts.roles] + [s.evidence for s in facts.statements] + \
        [s.text_span for s in facts.statements] + [e for m in facts.meetings for e in m.evidence] + \
        [sp for e in facts.entities for sp in e.mentions]
    for sp in spans:
        assert 0 <= sp.start < sp.end <= n
    keys = {e.key for e in facts.entities}
    for m in facts.meetings:
        assert set(m.participants) <= keys and (m.location is None or m.location in keys)
    for s in facts.statements:
        assert s.speaker in keys and s.text
