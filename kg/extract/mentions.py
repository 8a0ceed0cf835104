"""Doc -> name mentions: the model's entities, cleaned, split and normalised; page noise dropped."""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span as SpacySpan

from kg.extract.lexicon import COUNTRIES, DEMONYMS, HONORIFICS, ORGANISATIONS, NAME_ALIASES, NOT_ENTITIES, TITLE_HEADS, TITLE_MODIFIERS, TITLE_PHRASES
from kg.model import Mention, Span

LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
POSSESSIVE = {"'s", "’s", "'", "’"}


def find_mentions(doc: Doc) -> list[Mention]:
    """Every usable name mention, in text order. NORP mentions are kept only where they name a
    country in a title ("Russian President ..."), as a place mention."""
    out: list[Mention] = []
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        for part in _split(ent):
            m = _to_mention(part, ent.label_)
            if m is not None:
                out.append(m)
    return sorted(out, key=lambda m: m.span)


def _split(ent: SpacySpan) -> list[SpacySpan]:
    """'Trump's Steve Witkoff' -> 'Trump', 'Steve Witkoff'; 'Putin-Trump' -> 'Putin', 'Trump'; but a
    hyphenated given name stays whole: 'Frank-Walter Steinmeier'."""
    parts, start = [], ent.start
    doc = ent.doc
    for tok in ent:
        cut = tok.text in POSSESSIVE and tok.i + 1 < ent.end and doc[tok.i + 1].text[:1].isupper()
        hyphen = tok.text in {"-", "–"} and tok.i > ent.start and tok.i + 1 < ent.end \
            and doc[tok.i - 1].text[:1].isupper() and doc[tok.i + 1].text[:1].isupper() \
            and not tok.whitespace_ and not doc[tok.i - 1].whitespace_ and ent.label_ in {"PERSON", "ORG"} \
            and (tok.i + 2 == ent.end or doc[tok.i + 1:ent.end].text in COUNTRIES | ORGANISATIONS
                 or tok.i - 1 > start)
        if cut or hyphen:
            if tok.i > start:
                parts.append(doc[start:tok.i])
            start = tok.i + 1
    if start < ent.end:
        parts.append(doc[start:ent.end])
    return parts


PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "his", "her", "their"}


def _in_title_phrase(span: SpacySpan) -> bool:
    """'State' in 'Secretary of State' is part of a title, not an organisation."""
    before = span.doc[max(0, span.start - 3):span.end].text.lower()
    return any(before.endswith(p) for p in TITLE_PHRASES) and len(span) <= 2


def _to_mention(span: SpacySpan, label: str) -> Mention | None:
    doc = span.doc
    start, end = span.start, span.end
    # strip leading punctuation, determiners, honorifics and titles; trailing possessives and punctuation
    while start < end and (doc[start].lower_ in {"the", "a", "an", "ex", "former"} or not doc[start].text[:1].isalnum()
                           or doc[start].lower_ in HONORIFICS
                           or (doc[start].lower_ in TITLE_HEADS | TITLE_MODIFIERS and end - start > 1
                               and label == "PERSON")):
        start += 1
    while end > start and (doc[end - 1].text in POSSESSIVE or not doc[end - 1].text[:1].isalnum()):
        end -= 1
    if start >= end:
        return None
    span = doc[start:end]
    text = span.text
    if any(t.lower_ in PRONOUNS for t in span) or _in_title_phrase(span):
        return None
    if "\n" in text or not re.search(r"[A-Z]", text) or text.casefold() in NOT_ENTITIES:
        return None
    if re.search(r"\d{3,}", text) or len(text) > 80 or len(text) < 2:
        return None
    if label == "NORP":
        country = DEMONYMS.get(text.casefold())
        following = doc[end].lower_ if end < len(doc) else ""
        if not country or following not in TITLE_HEADS | TITLE_MODIFIERS:
            return None
        return Mention(Span(span.start_char, span.end_char), text, "GPE", country)
    name = NAME_ALIASES.get(text.casefold(), " ".join(text.split()))
    return Mention(Span(span.start_char, span.end_char), text, label, name)
