"""Doc -> name mentions: the model's entities, cleaned, split and normalised; page noise dropped."""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span as SpacySpan

from kg.extract.limits import SHOUTING
from kg.extract.lexicon import (COUNTRIES, DEMONYMS, HONORIFICS, NAME_ALIASES, NOT_ENTITIES, ORG_WORDS, ORGANISATIONS,
                                PARTY_ADJECTIVES, PARTY_PLURALS, SOURCE_NOUNS, TITLE_ABBREVIATIONS, TITLE_HEADS,
                                TITLE_MODIFIERS, TITLE_PHRASES, VERB_LEMMA)
from kg.extract.names import PARTICLES, not_a_name
from kg.geo import candidates
from kg.model import Mention, Span

LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
POSSESSIVE = {"'s", "’s", "'", "’"}
# Two words glued together by a lost line break or a widget ("TrumpDem", "CornynThe", "TrumpGOP"):
# a token whose first part is a name the text uses elsewhere (so "YouTube", "BlackRock" and
# "MacArthur" are not glued). Names next to a glued token are widget text, not entities.
GLUED = re.compile(r"^(?!Mac[A-Z]|Van[A-Z]|Von[A-Z])([A-Z][a-z]{2,})[A-Z][A-Za-z]+$")
JOINERS = {"of", "for", "and", "on"}  # lower-case words inside an organisation's name
KNOWN_NAMES = frozenset({n.casefold() for n in ORGANISATIONS | COUNTRIES} | set(NAME_ALIASES))
TITLE_WORDS = TITLE_HEADS | TITLE_MODIFIERS


def text_of(doc: Doc) -> str:
    """The document's text, joined once (spaCy's Doc.text joins every token on every access)."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text

def find_mentions(doc: Doc) -> list[Mention]:
    """Every usable name mention, in text order. NORP mentions are kept only where they name a
    country in a title ("Russian President ..."), as a place mention."""
    out: list[Mention] = []
    names = {t.text for e in doc.ents for t in e}
    glued = [t.i for t in doc if (m := GLUED.match(t.text)) and m.group(1) in names]
    phrases = _org_phrases(doc)
    for run in phrases:
        m = _to_mention(run, "ORG")
        if m is not None:
            out.append(m)
    for ent in _with_particle_surnames(doc):
        if ent.label_ not in LABELS or _shouted(ent) or any(ent.start - 1 <= g <= ent.end + 2 for g in glued):
            continue
        if any(r.start <= ent.start and ent.end <= r.end for r in phrases):
            continue  # "U.S." inside "the U.S. Board of Trade"
        ent = _with_number(ent)
        for part in _split(ent):
            m = _to_mention(part, ent.label_)
            if m is not None:
                out.append(m)
    return sorted(out, key=lambda m: m.span)

def _with_particle_surnames(doc: Doc) -> list[SpacySpan]:
    """The model's entities, with a person's name run on into a surname that starts with a particle
    the model took for something else ("Abdel Fattah" PERSON + "el Sisi" GPE: one person)."""
    out: list[SpacySpan] = []
    for ent in doc.ents:
        if out and out[-1].label_ == "PERSON" and ent.start == out[-1].end and ent[0].lower_ in PARTICLES \
                and len(ent) >= 2:
            out[-1] = SpacySpan(doc, out[-1].start, ent.end, label="PERSON")
            continue
        out.append(ent)
    return out


def _org_phrases(doc: Doc) -> list[SpacySpan]:
    """Capitalised names with an organisation word after their first word that the model left
    untagged or cut ("the U.S. Board of Trade", "EU Institute of Fisheries"): runs of capitalised
    words (joined by of/for/and), not overlapping a person, a date or a model organisation."""
    def cap(t) -> bool:
        return t.text[:1].isupper() and not t.is_punct and t.ent_type_ not in {"PERSON", "DATE", "TIME", "ORG"}
    out: list[SpacySpan] = []
    i, n = 0, len(doc)
    while i < n:
        if not cap(doc[i]) or doc[i].is_sent_start or doc[i].lower_ in TITLE_WORDS:
            i += 1
            continue
        j = i
        while j < n and (cap(doc[j]) or (doc[j].lower_ in JOINERS and j + 1 < n and cap(doc[j + 1]))):
            j += 1
        run = doc[i:j]
        if len(run) >= 2 and not _shouted(run) and \
                any(t.lower_ in ORG_WORDS and t.text[:1].isupper() for t in run[1:]) and \
                not any(t.ent_type_ and t.ent_type_ not in {"GPE", "NORP", "LOC", "FAC"} for t in run):
            out.append(run)
        i = max(j, i + 1)
    return out

def _shouted(ent: SpacySpan) -> bool:
    """'I had a GREAT meeting', 'NEVER, EVER THREATEN', 'heard from the FAKE NEWS, a GREAT meeting':
    all-caps words among other all-caps words (each word of the span counts for the others)."""
    known = KNOWN_NAMES
    if not all(t.is_alpha and t.text.isupper() for t in ent) or len(ent.text) < 4 or ent.text.casefold() in known:
        return False
    others = [t for t in ent.sent if not ent.start <= t.i < ent.end and t.is_alpha and t.text.isupper()
              and len(t.text) > 2 and t.lower_ not in known]
    return len(others) + len(ent) - 1 >= SHOUTING

def _with_number(ent: SpacySpan) -> SpacySpan:
    """'the Group of' + '20' -> 'the Group of 20': a name the model cut before its number."""
    doc = ent.doc
    if ent[-1].lower_ == "of" and ent.end < len(doc) and doc[ent.end].like_num:
        return doc[ent.start:ent.end + 1]
    return ent

def _split(ent: SpacySpan) -> list[SpacySpan]:
    """'Trump's Steve Witkoff' -> 'Trump', 'Steve Witkoff'; 'Putin-Trump' -> 'Putin', 'Trump'; 'Trump-Xi
    Jinping' -> 'Trump', 'Xi Jinping' when 'Trump' ends a name of the document; but a hyphenated given
    name stays whole: 'Frank-Walter Steinmeier', and so does a short last syllable that starts no other
    name: 'Kim Jong-Un'."""
    parts, start = [], ent.start
    doc = ent.doc
    for tok in ent:
        cut = tok.text in POSSESSIVE and tok.i + 1 < ent.end and doc[tok.i + 1].text[:1].isupper() and \
            not (ent.label_ == "ORG" and doc[tok.i + 1].lower_ in ORG_WORDS)  # "the Coastal Workers' Union"
        hyphen = tok.text in {"-", "–"} and tok.i > ent.start and tok.i + 1 < ent.end \
            and doc[tok.i - 1].text[:1].isupper() and doc[tok.i + 1].text[:1].isupper() \
            and not tok.whitespace_ and not doc[tok.i - 1].whitespace_ and ent.label_ in {"PERSON", "ORG"} \
            and not (tok.i + 2 == ent.end and len(doc[tok.i + 1]) <= 3 and doc[tok.i + 1].text not in _name_starts(doc)) \
            and (tok.i + 2 == ent.end or doc[tok.i + 1:ent.end].text in COUNTRIES | ORGANISATIONS
                 or tok.i - 1 > start or doc[tok.i - 1].text in _surnames(doc))
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

def _apposition_title(doc: Doc, end: int) -> bool:
    """Is the name followed by ', (a|the) <title> of|for|at'?"""
    if end >= len(doc) or doc[end].text != ",":
        return False
    i = end + 1
    while i < len(doc) and i <= end + 4 and (doc[i].lower_ in {"a", "an", "the"} | TITLE_MODIFIERS):
        i += 1
    return i + 1 < len(doc) and doc[i].lower_ in TITLE_HEADS and doc[i + 1].lower_ in {"of", "for", "at"}

def _dateline(span: SpacySpan) -> bool:
    """'ADDIS ABABA, Ethiopia - ...', 'MOSCOW (Reuters) -': a capitalised place opening a paragraph."""
    doc = span.doc
    text = text_of(doc)
    before = text[:span.start_char].rsplit("\n", 1)[-1]
    after = text[span.end_char:span.end_char + 2].lstrip()
    return not before.strip() and after[:1] in {",", "(", "-", "—", "–"}

def _name_starts(doc: Doc) -> set[str]:
    """The first words of the model's names in this document."""
    return _once(doc, "name_starts", lambda: {e[0].text for e in doc.ents})


def _surnames(doc: Doc) -> set[str]:
    """The last words of the model's names of people of more than one word in this document ("Trump" of
    "Donald Trump": "Trump-Xi Jinping" is two people)."""
    return _once(doc, "surnames", lambda: {e[-1].text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1})


def _once(doc: Doc, key: str, make):
    """A value of the document computed once (kept in its user_data)."""
    if key not in doc.user_data:
        doc.user_data[key] = make()
    return doc.user_data[key]


def _given_name_after(doc: Doc, end: int) -> int:
    """The end of a family name given first, with the given name the model left out: "Lee Min-ho"
    (a capitalised word joined by a hyphen), "Wu He" (a capitalised "He" in mid-sentence is no
    pronoun)."""
    if end >= len(doc) or not doc[end - 1].whitespace_ or doc[end].ent_type_ not in {"", "PERSON"}:
        return end
    nxt = doc[end]
    if _he_in_a_name(nxt):
        return end + 1
    if nxt.is_title and nxt.is_alpha and not nxt.whitespace_ and end + 2 < len(doc) and doc[end + 1].text == "-" \
            and not doc[end + 1].whitespace_ and doc[end + 2].is_alpha:
        return end + 3
    return end


def _he_in_a_name(tok) -> bool:
    """A capitalised "He" that starts no sentence: part of a name ("Wu He")."""
    return tok.text == "He" and tok.i > 0 and not tok.is_sent_start and tok.doc[tok.i - 1].is_alpha


def _to_mention(span: SpacySpan, label: str) -> Mention | None:
    doc = span.doc
    start, end = span.start, span.end
    # a headline's verb is not part of the name: "Smith Says He Will Run" -> "Smith"
    end = next((i for i in range(start + 1, end)
                if doc[i].is_title and doc[i].pos_ == "VERB" and doc[i].lower_ in VERB_LEMMA), end)
    # an editor's insertion ("[Secretary of State] Rex Tillerson") is not part of the name
    for i in range(start, end):
        if doc[i].text.endswith("]"):
            start = i + 1
        elif doc[i].text.startswith("[") and i > start:
            end = i
            break
    # a name the tokenizer cut before a lowercase syllable: "Moon Jae" + "-in", "Kim Jong" + "-un"
    # or before a capitalised one that starts no other name: "Kim Jong" + "-Un", not "Jane Doe" + "-Kim"
    while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
            and not doc[end].whitespace_ and doc[end + 1].is_alpha and len(doc[end + 1]) <= 3 and \
            (doc[end + 1].is_lower or (end - start >= 2 and doc[end + 1].is_title and
                                       doc[end + 1].text not in _name_starts(doc))):
        end += 2
    if label == "PERSON" and end - start == 1:
        end = _given_name_after(doc, end)
    # an inverted cue at a sentence's start: "Said Tillerson: ..." is Tillerson (not "Said Jalili said")
    if end - start > 1 and doc[start].is_sent_start and VERB_LEMMA.get(doc[start].lower_) and end < len(doc) \
            and doc[end].text in {":", ","}:
        start += 1
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
    if label != "NORP" and _apposition_title(doc, end):  # "Ivan Petrov, deputy head of ...": a person
        label = "PERSON"
        prev = doc[start - 1] if start > 0 else None
        if prev is not None and prev.pos_ == "PROPN" and prev.is_title and not prev.ent_type_ \
                and prev.lower_ not in HONORIFICS | TITLE_HEADS | TITLE_MODIFIERS:
            start -= 1  # the given name the model left out
    span = doc[start:end]
    text = span.text
    if any(t.lower_ in PRONOUNS and not (t.i > span.start and _he_in_a_name(t)) for t in span) or _in_title_phrase(span):
        return None
    if "\n" in text or not re.search(r"[A-Z]", text) or text.casefold() in NOT_ENTITIES or not_a_name(text):
        return None
    if re.search(r"\d{3,}", text) or len(text) > 80 or len(text) < 2:
        return None
    if len(span) == 1 and (span[0].lower_ in TITLE_ABBREVIATIONS or span[0].lower_ in TITLE_HEADS):
        return None  # "I overruled the VP": a title alone names no one
    if label == "ORG" and len(span) == 1 and span[0].lower_ in TITLE_MODIFIERS and end < len(doc) \
            and doc[end].lower_ in TITLE_HEADS | SOURCE_NOUNS:
        return None  # "Defense" in "Defense Secretary Jane Doe", "Defense officials"
    if span[-1].text[:1].isupper() and span[-1].lower_ in PARTY_PLURALS:
        label = "ORG"  # "Democrats", "the Lib Dems": a party, not a nationality or a person
    if DEMONYMS.get(text.casefold(), text) != text and text.casefold() not in NAME_ALIASES and label != "NORP":
        label = "NORP"  # "the Kazakh capital": an adjective, whatever the model says
    if text.isupper() and len(text) > 3 and _dateline(span):
        name = " ".join(w.capitalize() for w in text.split())
        if candidates(name):
            return Mention(Span(span.start_char, span.end_char), text, "GPE", name)
    following = doc[end].lower_ if end < len(doc) else ""
    party = PARTY_ADJECTIVES.get(text.casefold())
    if party and label in {"NORP", "ORG"} and following in TITLE_HEADS | TITLE_MODIFIERS:
        return Mention(Span(span.start_char, span.end_char), text, "ORG", party)  # "Tory leader Jane Doe"
    if label == "NORP":
        country = DEMONYMS.get(text.casefold())
        if not country or following not in TITLE_HEADS | TITLE_MODIFIERS:
            return None
        return Mention(Span(span.start_char, span.end_char), text, "GPE", country)
    name = NAME_ALIASES.get(text.casefold(), " ".join(text.split()))
    return Mention(Span(span.start_char, span.end_char), text, label, name)
