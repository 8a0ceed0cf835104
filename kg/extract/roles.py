"""Titles and positions -> roles: "Kremlin spokesman Dmitry Peskov", "Trump's special envoy, Steve Witkoff"."""
from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from kg.extract.lexicon import (NOT_ROLES, ROLE_SYNONYMS, TITLE_ABBREVIATIONS, TITLE_HEADS, TITLE_MODIFIERS,
                                TITLE_PHRASES)
from kg.model import DELEGATION_HEAD, Role, Span
from kg.extract.entities import Entities
from kg.extract.meeting_rules import country_key, country_of, nationalities

POSSESSIVE = {"'s", "’s", "'", "’"}
SKIP_BEFORE_TITLE = {"former", "ex", "-", "then", "the", "a", "an", "late", "outgoing", "incoming", "current",
                     "his", "her", "their", "its"}
TITLE_WORDS = TITLE_HEADS | TITLE_MODIFIERS | {"of", "and"}
LEAD_VERBS = {"lead", "head"}
REMIT_REACH = 5  # t of a remit between a title and a name ("Envoy for the Middle East")
DELEGATION_WORDS = {"delegation", "delegations"}
LED_TALKS = {"talks", "negotiations"}  # "the talks were led by Rubio and Lavrov": each heads their side


def extract_roles(doc: Doc, ents: Entities) -> list[Role]:
    """One role per (person, organisation, title) stated in the article, with its first sentence."""
    found: dict[tuple, Role] = {}
    own: list[tuple[str, Span]] = []  # heads of a delegation whose country is their own
    for s, e, key in ents.spans:
        if ents.of_type(key) != "Person":
            continue
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        for label, org, sent in [*_titles_for(doc, span.start, span.end, ents),
                                 *_delegation_heads(doc, span.start, span.end, ents)]:
            if org == key:
                continue
            if label == DELEGATION_HEAD and org is None:
                own.append((key, sent))
                continue
            label = role_label(label)
            found.setdefault((key, org, label), Role(key, org, label, sent))
    for key, sent in own:  # the head's own country, when their other roles name exactly one
        countries = {o for (m, o, _lb) in found if m == key and country_of(ents, o)}
        if len(countries) == 1:
            (country,) = countries
            found.setdefault((key, country, DELEGATION_HEAD), Role(key, country, DELEGATION_HEAD, sent))
    # a title without an organisation adds nothing when the same title is known with one
    with_org = {(m, lb) for (m, o, lb) in found if o}
    return [r for (m, o, lb), r in sorted(found.items(), key=lambda kv: kv[1].evidence.start)
            if o or (m, lb) not in with_org]


def role_label(title: str) -> str:
    """The role a title names: its last word in the form role-synonyms.txt gives ("spokesperson" ->
    "spokesman"), so that one role is not two."""
    *head, last = title.split(" ")
    return " ".join([*head, ROLE_SYNONYMS.get(last, last)])


def _titles_for(doc: Doc, start: int, end: int, ents: Entities) -> Iterator[tuple[str, str | None, Span]]:
    sent = doc[start].sent
    sent_span = Span(sent.start_char, sent.end_char)
    # "ORG TITLE Name" / "ORG's TITLE Name" / "TITLE, Name"
    i = start - 1
    if i >= sent.start and doc[i].text == "," and i - 1 >= sent.start and \
            _is_title_word(doc[_before_remit(doc, i - 1, sent.start)]):
        i -= 1  # "Trump's special envoy, Steve Witkoff", "Trump's special envoy to the Middle East, Steve Witkoff"
    title = _title_leftwards(doc, i, sent.start)
    if title:
        t0, label = title
        org = _org_left(doc, t0 - 1, sent.start, ents)
        if org is None:
            org = _org_of(doc, end, sent.end, ents)
        yield label, org, sent_span
    # "Name, (the) ORG TITLE," apposition
    j = end
    if j < sent.end and doc[j].text == ",":
        k = j + 1
        while k < sent.end and doc[k].lower_ in {"the", "a", "an", "former"}:
            k += 1
        org = None
        hit = _entity_at_token(doc, k, ents)
        if hit:
            org, k = hit
            if k < sent.end and doc[k].text in POSSESSIVE:
                k += 1
        title = _title_rightwards(doc, k, sent.end)
        if title:
            t_end, label = title
            if org is None:
                org = _org_of(doc, t_end, sent.end, ents)
            yield label, org, sent_span


def _delegation_heads(doc: Doc, start: int, end: int, ents: Entities) -> Iterator[tuple[str, str | None, Span]]:
    """Head of a country's delegation: "Iran's delegation is headed by Abbas Araghchi", "the Russian
    delegation led by Vladimir Medinsky", "Umerov, who led the Ukrainian delegation", "Umerov, head of
    the Ukrainian delegation"; "Rubio and Lavrov led their delegations", "the talks were led by Rubio
    and Lavrov" (read on the parse; the delegation's owner or nationality is the country; None: the
    head's own, which extract_roles reads off their other roles)."""
    if not doc.has_annotation("DEP"):
        return
    name, sent = doc[start:end].root, doc[start].sent
    while name.dep_ == "conj":  # "Rubio and Lavrov led ...": each of them
        name = name.head
    for noun in _delegations_of(name):
        for country in _delegation_countries(noun, ents) or [None]:
            yield DELEGATION_HEAD, country, Span(sent.start_char, sent.end_char)


def _delegations_of(name: Token) -> Iterator[Token]:
    """The delegation nouns this name leads, by the four shapes of _delegation_heads."""
    def delegation(t: Token | None) -> bool:
        return t is not None and t.lower_ in DELEGATION_WORDS | LED_TALKS

    if name.dep_ == "pobj" and name.head.dep_ == "agent" and name.head.head.lemma_ in LEAD_VERBS:
        verb = name.head.head  # "... led by NAME"
        if verb.dep_ == "acl" and delegation(verb.head):
            yield verb.head
        yield from (c for c in verb.children if c.dep_ == "nsubjpass" and delegation(c))
    verbs = [name.head] if name.dep_ == "nsubj" else []
    verbs += [c for c in name.children if c.dep_ == "relcl"]  # "NAME, who led the ... delegation"
    for verb in verbs:
        if verb.lemma_ in LEAD_VERBS:
            yield from (c for c in verb.children if c.dep_ == "dobj" and delegation(c))
    for head in (c for c in name.children if c.dep_ == "appos" and c.lower_ == "head"):  # "NAME, head of the ..."
        for of in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"):
            yield from (c for c in of.children if c.dep_ == "pobj" and delegation(c))


def _delegation_countries(noun: Token, ents: Entities) -> list[str]:
    """The countries a delegation noun belongs to: its owner ("Iran's", "the US") or nationality;
    none for talks ("the Iran-U.S. talks" are led by one head of each)."""
    out: list[str] = []
    if noun.lower_ in LED_TALKS:
        return out
    for c in noun.children:
        if c.dep_ in {"poss", "compound", "amod", "nmod"}:
            key = ents.at_token(c)
            if key is not None and ents.of_type(key) == "Place":
                out.append(key)
            elif key is None and c.ent_type_ == "NORP":
                out += [country_key(ents, iso) for iso in nationalities(noun.doc, noun.i)]
    return list(dict.fromkeys(out))


def _not_a_name(tok: Token) -> bool:
    """Not part of a name, or a title word the model alone took for an organisation ("Defense" in
    "Defense Secretary Jane Doe")."""
    if tok.ent_type_ not in {"GPE", "ORG", "PERSON"}:
        return True
    alone = tok.ent_iob_ == "B" and (tok.i + 1 >= len(tok.doc) or tok.doc[tok.i + 1].ent_iob_ != "I")
    return tok.ent_type_ == "ORG" and alone and tok.lower_ in TITLE_MODIFIERS


def _is_title_word(tok: Token) -> bool:
    return tok.lower_ in TITLE_HEADS and tok.lower_ not in NOT_ROLES


def _title_leftwards(doc: Doc, i: int, lo: int) -> tuple[int, str] | None:
    """The title ending at token i (inclusive): (first token index, label) or None. A remit between
    the title and the name is passed over ("Special Envoy for the Middle East Steve Witkoff")."""
    if i < lo:
        return None
    i = _before_remit(doc, i, lo)
    if doc[i].lower_ in TITLE_ABBREVIATIONS:  # "Sen. Jane Doe"
        return i, TITLE_ABBREVIATIONS[doc[i].lower_]
    for phrase in sorted(TITLE_PHRASES, key=len, reverse=True):
        n = len(phrase.split())
        if i - n + 1 >= lo and " ".join(t.lower_ for t in doc[i - n + 1:i + 1]) == phrase:
            j = i - n + 1
            while j - 1 >= lo and doc[j - 1].lower_ in TITLE_MODIFIERS and \
                    _not_a_name(doc[j - 1]):
                j -= 1
            return j, " ".join(t.lower_ for t in doc[j:i + 1])
    if not _is_title_word(doc[i]):
        return None
    j = i
    while j - 1 >= lo and doc[j - 1].lower_ in TITLE_WORDS and _not_a_name(doc[j - 1]):
        j -= 1
    while j < i and doc[j].lower_ in {"of", "and"}:
        j += 1
    ands = [t.i for t in doc[j:i] if t.lower_ == "and"]
    j = ands[-1] + 1 if ands else j  # "the U.S. president and Prince Mohammed": the last title is his
    words = [t.lower_ for t in doc[j:i + 1]]
    # "Secretary of State": keep inner "of" only inside a known phrase
    label = " ".join(words)
    if " of " in f" {label} " and not any(p in label for p in TITLE_PHRASES):
        label = label.rsplit(" of ", 1)[-1]
    return j, label


def _before_remit(doc: Doc, i: int, lo: int) -> int:
    """The last token of a title followed by 'for/to (the) Capitalised Words' that ends at token i
    ("Envoy for Ukraine", "Envoy to the Middle East"); i itself otherwise."""
    j = i
    while j > lo and j > i - REMIT_REACH and (doc[j].text[:1].isupper() or doc[j].lower_ == "the"):
        j -= 1
    remit = j < i and j > lo and doc[j].lower_ in {"for", "to"} and _is_title_word(doc[j - 1])
    return j - 1 if remit and (doc[j + 1].text[:1].isupper() or doc[j + 1].lower_ == "the") else i


def _title_rightwards(doc: Doc, k: int, hi: int) -> tuple[int, str] | None:
    j = k
    while j < hi and doc[j].lower_ in TITLE_WORDS and _not_a_name(doc[j]):
        j += 1
    while j > k and doc[j - 1].lower_ in {"of", "and"}:
        j -= 1
    if j == k or not _is_title_word(doc[j - 1]):
        return None
    if j < hi and doc[j].text not in {",", ".", ";", ")", "said", "says", "told"} and doc[j].lower_ != "of":
        return None
    return j, " ".join(t.lower_ for t in doc[k:j])


def _org_left(doc: Doc, i: int, lo: int, ents: Entities) -> str | None:
    """The organisation, place or person named just before a title ('Kremlin', 'Russian', "Trump's")."""
    while i >= lo and doc[i].lower_ in SKIP_BEFORE_TITLE:
        i -= 1
    if i >= lo and doc[i].text in POSSESSIVE:
        i -= 1
    if i < lo:
        return None
    tok = doc[i]
    return ents.at_token(tok)


def _org_of(doc: Doc, j: int, hi: int, ents: Entities) -> str | None:
    """'Foreign Minister Sergey Lavrov of Russia' -> Russia."""
    if j + 1 < hi and doc[j].lower_ == "of":
        hit = _entity_at_token(doc, j + 1, ents)
        if hit and ents.of_type(hit[0]) != "Person":
            return hit[0]
    return None


def _entity_at_token(doc: Doc, k: int, ents: Entities) -> tuple[str, int] | None:
    """The entity mentioned at token k and the index of the token after the mention."""
    if k >= len(doc):
        return None
    tok = doc[k]
    key = ents.at_token(tok)
    if key is None:
        return None
    e = k
    while e < len(doc) and ents.at_token(doc[e]) == key:
        e += 1
    return key, e
