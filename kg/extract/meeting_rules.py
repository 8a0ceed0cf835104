"""The rules' reading of a meeting trigger: its clause, who takes part, where, when and whether it
happened. These are the candidates and the evidence the learned decisions (kg.extract.meetings)
weigh; without a model they decide alone.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span as SpacySpan, Token

from kg.extract.limits import (KIND_REACH, KIND_WINDOW, PARTNER_REACH, PLACE_WINDOW, PRIOR_REACH, STATUS_DENIAL_REACH,
                               STATUS_LOOKBACK, TOUR)
from kg.extract.dates import find_dates
from kg.extract.lexicon import (ACCOMPANY_VERBS, BOUNDARIES, COUNTED_WORDS, COUNTRIES, DELEGATION_NOUNS, DEMONYMS,
                                HELD_CUES, HOLD_VERBS, HOST_VERBS, LEADER_TITLES, MEETING_NOUNS, MEETING_VERBS, ORDINALS,
                                NAME_ALIASES, NEGATORS, NOT_EVENT_CUES, NOT_MEETING_AFTER, NOT_MEETING_BEFORE, NOT_ROLES,
                                NOT_VENUE_BEFORE, OBJECT_PRONOUNS, PARTNER_PREPS, PERSON_PLURALS, PHONE_WORDS,
                                PLURAL_REFS, RIGHT_STOPS, STATUS_CUES, TITLE_HEADS, TITLE_MODIFIERS, TRAVEL_WORDS,
                                TRIGGER_MODIFIERS, VERB_LEMMA, VIDEO_WORDS)
from kg.geo import acting_country, country_name, reading
from kg.model import Article, Role, Span, TimeValue
from kg.extract.entities import Entities, Referents

QUOTE_MARKS = {"“", "”", "\"", "‘", "’"}
DENIALS = NEGATORS | {"denied", "denies", "deny", "dismissed", "rejected", "no"}
DENYING = {"deny", "dismiss", "reject", "refute"}  # a verb whose clause says the opposite


@dataclass
class Mention:
    trigger: Token
    participants: list[str]
    kind: str
    status: str
    location: str | None
    dates: list[TimeValue]
    sentence: Span
    explicit: bool  # has a place, a date or a cancel/postpone word of its own
    plural: bool = False
    extra: list[Span] = field(default_factory=list)
    status_by: str = ""  # what decided the rules' status: "called off", "verb", "cue" or "tense"
    confidence: float | None = None  # a learned decision's probability that this is a meeting
    sure: dict[str, float] = field(default_factory=dict)  # participant -> its learned probability
    round: int | None = None  # the negotiation round it names ("the second round of talks")


# every word is_trigger can accept (a word a branch below accepts must be here); any other is no trigger
TRIGGER_WORDS = MEETING_NOUNS | MEETING_VERBS | {"call", "calls", "called", "conversation", "conversations",
                                                 "conference", "spoke", "speak", "speaks", "talked", "talk",
                                                 "visit", "visits", "visited"}


def is_trigger(tok: Token) -> bool:
    low = tok.lower_
    if low not in TRIGGER_WORDS:
        return False
    doc = tok.doc
    nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else ""
    prev = doc[tok.i - 1].lower_ if tok.i > 0 else ""
    if low in {"call", "calls"}:
        if tok.pos_ == "VERB" and doc.has_annotation("DEP"):  # "interrupted the meeting to call Putin"
            return any(c.dep_ == "dobj" and c.ent_type_ == "PERSON" for c in tok.children) and \
                not any(c.dep_ in {"oprd", "xcomp", "ccomp", "attr", "prt"} for c in tok.children)
        return prev in {"phone", "telephone", "video"} and nxt != "off" or prev in {"the", "a"} and nxt == "between"
    if low == "phone":
        return False  # the noun after it ("call", "conversation") is the trigger
    if low in {"host", "hosts"} and nxt == "of":
        return False  # "a host of issues"
    if tok.text == "Meet" and nxt == "the" and tok.i + 2 < len(doc) and doc[tok.i + 2].is_title:
        return False  # a title: "Meet the Press"
    if low == "called":
        return _called_means_a_call(tok)
    if low in {"conversation", "conversations"}:
        return prev in {"phone", "telephone", "video"} or nxt in {"between", "with"}
    if low in {"meet", "meets", "met", "meeting"} and nxt in NOT_MEETING_AFTER | {"the"} and \
            (nxt in NOT_MEETING_AFTER or (tok.i + 2 < len(doc) and doc[tok.i + 2].lower_ in NOT_MEETING_AFTER)):
        return False
    if low == "conference":  # a press conference is a meeting when it is joint or held with someone
        return prev not in NOT_MEETING_BEFORE or nxt == "with" or doc[max(tok.i - 2, 0)].lower_ == "joint"
    if low in {"spoke", "speak", "speaks", "talked", "talk"}:
        window = {t.lower_ for t in doc[tok.i + 1:tok.i + 4]}
        return bool(window & {"by", "with", "over"} and (window & {"phone", "telephone", "with"}))
    if low in {"held", "hold", "holds", "conducted"}:
        return False  # "held talks": the noun is the trigger
    if low in {"visit", "visits", "visited"}:
        return True
    return low in MEETING_NOUNS or low in MEETING_VERBS


def _called_means_a_call(tok: Token) -> bool:
    """'Trump called Putin', 'they called up': a call. 'so-called', 'was called', 'a fund called the
    Trust', 'called for/off/on', 'called X a liar' are not."""
    doc = tok.doc
    prev = doc[tok.i - 1] if tok.i > 0 else None
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is None or prev is None or prev.lower_ in {"so", "-", "so-"} or prev.pos_ in {"AUX", "NOUN"}:
        return False
    if nxt.lower_ == "up":
        return True
    if nxt.lower_ not in OBJECT_PRONOUNS and not nxt.ent_type_:
        return False
    end = tok.i + 1
    while end + 1 < len(doc) and doc[end + 1].ent_type_ and doc[end + 1].ent_iob_ == "I":
        end += 1
    after = doc[end + 1] if end + 1 < len(doc) else None
    return after is None or not (after.lower_ in {"a", "an", "the", "his", "her", "their", "'s", "’s"}
                                 or after.pos_ == "ADJ" or after.text in QUOTE_MARKS)  # "called Smith's denials lies"


def kind_of(tok: Token, sent: SpacySpan) -> str:
    """A call when a phone or video word is the trigger's own ("spoke with Putin by phone", "a phone
    call"): with a parse, in its subtree and not another event's ("met ... after a phone call",
    "spoke by phone during the meeting with ..." leaves the meeting a meeting); else near it."""
    if sent.doc.has_annotation("DEP"):
        near = {t.lower_ for t in tok.subtree if t.lower_ in PHONE_WORDS | VIDEO_WORDS
                and abs(t.i - tok.i) <= KIND_REACH and not _of_another(t, tok)}
    else:
        near = {t.lower_ for t in sent.doc[max(sent.start, tok.i - KIND_WINDOW[0]):min(sent.end, tok.i + KIND_WINDOW[1])]}
    if near & VIDEO_WORDS:
        return "video"
    if near & PHONE_WORDS or tok.lower_ in {"phoned", "called"}:
        return "phone"
    return "meeting"


def _of_another(t: Token, tok: Token) -> bool:
    """Is t, in tok's subtree, another meeting word or attached to one on the way up to tok ("met ...
    after a phone call")?"""
    node = t
    while node.i != tok.i:
        if is_trigger(node):
            return True
        if node.head.i == node.i:
            break
        node = node.head
    return False


def _clause(tok: Token, sent: SpacySpan) -> tuple[int, int, int]:
    """Token bounds of the clause around the trigger: after the last boundary or reporting cue
    before it, up to the next boundary after it; and where its participants may start, after an
    opening phrase ("According to The Globe, ...", "In March, ..."), which still gives dates and places."""
    doc = sent.doc
    lo = sent.start
    for i in range(tok.i - 1, sent.start - 1, -1):
        t = doc[i]
        if t.lower_ in BOUNDARIES or t.text in {";", "“", "”", "\""} or VERB_LEMMA.get(t.lower_) or \
                (t.lower_ == "that" and i > sent.start and VERB_LEMMA.get(doc[i - 1].lower_)):
            lo = i + 1
            break
    first = lo
    if doc[lo].lower_ == "according" or doc[lo].pos_ in {"ADP", "SCONJ"}:
        commas = [i for i in range(lo, tok.i) if doc[i].text == ","]
        while len(commas) > 1 and doc[commas[0] + 1].ent_type_ == "GPE":
            commas.pop(0)  # "In Duluth, Minnesota, ...": the phrase goes on past the state
        if commas:
            first = commas[0] + 1
    hi = sent.end
    for i in range(tok.i + 1, sent.end):
        t = doc[i]
        if t.lower_ in BOUNDARIES - {"as", "since", "during", "after", "before"} or t.text in {";", "“", "”"} \
                or (t.text == "," and i + 1 < sent.end and doc[i + 1].lower_ in BOUNDARIES | {"with"}):
            hi = i
            break
    return lo, hi, first


@dataclass(frozen=True)
class Clause:
    """The trigger's clause (token bounds) and how the trigger is used in it."""
    lo: int  # after the last boundary or reporting cue before the trigger
    hi: int  # up to the next boundary after it
    first: int  # where participants may start, after an opening phrase ("In March, ...")
    is_verb: bool  # "met", "visited", "spoke": a verb whose subject takes part
    played_host: bool  # "played host to X"

    @classmethod
    def of(cls, tok: Token, sent: SpacySpan) -> "Clause":
        doc = sent.doc
        lo, hi, first = _clause(tok, sent)
        played_host = tok.lower_ == "host" and tok.i > 0 and doc[tok.i - 1].lemma_.lower() == "play"
        is_verb = played_host or tok.lower_ in MEETING_VERBS and tok.lower_ not in MEETING_NOUNS - {"meet", "meeting", "visit"} \
            and (tok.pos_ in {"VERB", "AUX", ""} or tok.lower_ in {"met", "spoke", "talked", "visited", "hosted"}) \
            or tok.lower_ in {"call", "calls"} and tok.pos_ == "VERB"  # "to call Putin": its subject calls
        return cls(lo, hi, first, is_verb, played_host)


def read(tok: Token, sent: SpacySpan, article: Article, ents: Entities, roles: list[Role],
          refs: Referents, before: list[Mention]) -> Mention | None:
    """The rules' reading of one trigger: its clause, participants, place, status and dates; None
    when the rules find no meeting there."""
    c = Clause.of(tok, sent)
    if not_an_event(tok, c):
        return None
    parts, plural, travel = participants(tok, c, ents, refs, roles, before)
    parts, location, window = setting(tok, c, parts, ents)
    if tok.lemma_.lower() in TRAVEL_WORDS and sum(ents.of_type(p) == "Place" for p in parts) >= TOUR:
        return None  # "she also visited Chile, Peru, Bolivia and Ecuador": a tour, not a meeting
    status, how = status_of(tok, sent, c.lo, c.hi, article.published)
    dates = dates_of(tok, window, article.published, status)
    explicit = bool(location or dates or how == "called off")
    if not parts:
        prior = before[-1] if before else None
        if explicit and prior and prior.sentence.start >= sent.start_char - PRIOR_REACH and not travel:
            parts = list(prior.participants)
        else:
            return None
    return Mention(tok, parts, kind_of(tok, sent), status, location, dates,
                    Span(sent.start_char, sent.end_char), explicit,
                    plural=tok.lower_ in {"talks", "rounds", "meetings", "summits", "negotiations"}, status_by=how)


def not_an_event(tok: Token, c: Clause) -> bool:
    """'the talks have stalled', 'negotiations reached an impasse': the process, not a meeting."""
    doc = tok.doc
    return tok.lower_ in {"talks", "negotiations", "consultations"} and \
        any(doc[i].lower_ in NOT_EVENT_CUES and _said_of(doc[i], tok) for i in range(c.lo, c.hi))


def participants(tok: Token, c: Clause, ents: Entities, refs: Referents, roles: list[Role],
                  before: list[Mention]) -> tuple[list[str], str | bool, bool]:
    """(who takes part, a plural reference found, a travel noun): the left side, the right side,
    then joined phrases, governing subjects and plural references to an earlier meeting."""
    parts, plural = _left_side(tok, c, ents, refs, roles)
    partners, plural_right, between = _right_side(tok, c, ents, refs, roles)
    if partners and not parts and not c.is_verb and not between:
        # "during a joint press conference with X, the secretary said"; "between" names both sides
        parts += _governing_subject(tok, ents, refs, roles)
    parts += partners
    plural = plural or plural_right
    travel = not c.is_verb and tok.lemma_.lower() in TRAVEL_WORDS
    if not parts:  # "Huber is to join Weber in a visit to Lyon"; "during a trip to Lyon, Huber said"
        parts += _joined(tok, ents, refs, roles) or (_governing_subject(tok, ents, refs, roles) if travel else [])
    if plural or not parts:
        people_only = plural == "people"
        prior = next((m for m in reversed(before) if len(m.participants) >= 2 and (
            not people_only or all(ents.of_type(p) == "Person" for p in m.participants))), None)
        if plural and prior:
            parts += prior.participants
        elif plural:
            parts += _leaders(roles, ents)
    return _voiced(tok, list(dict.fromkeys(parts)), ents, refs), plural, travel


def _voiced(tok: Token, parts: list[str], ents: Entities, refs: Referents) -> list[str]:
    """A speaker taken in for a quoted "I" or "we" stays only as the subject or owner of the trigger
    or of the verb it hangs on ("We canceled the meeting", "my meeting with Putin"; not "I have seen
    that piece about senators meeting Zarif"), and beside another participant."""
    mine = [t for t in tok.sent if t.lower_ in FIRST_PERSON and refs.voice(t) in parts]
    if not mine:
        return parts
    named = {ents.at_token(t) for t in tok.sent}
    own = {refs.voice(t) for t in mine if t.head.i in (tok.i, tok.head.i)} if len(parts) >= 2 else set()
    return [p for p in parts if p in named or p in own or not any(refs.voice(t) == p for t in mine)]


def _left_side(tok: Token, c: Clause, ents: Entities, refs: Referents, roles: list[Role]
               ) -> tuple[list[str], str | bool]:
    """The subject of a meeting verb, or of "had/held ... talks"; names joined to a noun
    ("Putin-Trump summit", "Witkoff's visit"); a group that holds the summit."""
    doc = tok.doc
    left = list(range(c.first, tok.i))
    holders = [doc[i] for i in left if doc[i].lower_ in HOLD_VERBS and doc[i].dep_ not in {"aux", "auxpass"}]
    if doc.has_annotation("DEP"):  # not a verb that holds another meeting ("held a call ahead of his summit")
        holders = [v for v in holders if not any(ch.dep_ == "dobj" and ch.i != tok.i and is_trigger(ch) for ch in v.children)]
    if holders and all(v.lemma_.lower() in {"attend", "hold", "host"} and any(ch.dep_ == "neg" for ch in v.children)
                       for v in holders):
        return [], False  # "Zelensky will not attend the summit between Trump and Putin" (not "have not ruled out")
    if c.is_verb or holders:
        return _entities(doc, left, ents, refs, roles), _plural_ref(doc, left)
    j = tok.i - 1
    while j >= c.first and (doc[j].lower_ in TRIGGER_MODIFIERS | {"'s", "’s", "-", "–"} or doc[j].pos_ == "ADJ"
                            or ents.at_token(doc[j])):
        j -= 1
    parts = _entities(doc, list(range(j + 1, tok.i)), ents, refs, roles)
    head = tok.head.head
    owner = head if head.pos_ == "NOUN" and (tok.head.lower_ == "of" or tok.head.lower_ == "for" and (
        head.lower_ in ARRIVALS or head.lemma_.lower() in TRAVEL_WORDS)) else None  # "Smith's arrival for talks"
    of = tok.i + 2 if tok.i + 2 < c.hi and doc[tok.i + 1].lower_ == "of" else None
    if of is not None and doc[of].lower_ == "the":
        of += 1
    group = ents.at(doc[of].idx, doc[of].idx + 1) if of is not None and of < c.hi else None
    if group is not None and ents.of_type(group) == "Organisation":
        parts.append(group)  # "a summit of the Harbour Group": the group meets
    if not parts and owner is not None:  # "Smith's cancellation of a summit with Jones"
        parts += _entities(doc, [t.i for ch in owner.children if ch.dep_ == "poss" for t in ch.subtree],
                           ents, refs, roles)
    return parts, False


def _right_side(tok: Token, c: Clause, ents: Entities, refs: Referents, roles: list[Role]
                ) -> tuple[list[str], str | bool, bool]:
    """'with X', 'between X and Y' (past a place or date), or a verb's object: (partners, a plural
    reference among them, whether 'between' named both sides)."""
    doc = tok.doc
    hi = c.hi
    obj = tok.i + 2 if c.played_host and tok.i + 1 < hi and doc[tok.i + 1].lower_ == "to" else tok.i + 1
    k = obj
    while k < hi and k < tok.i + PARTNER_REACH and doc[k].lower_ not in PARTNER_PREPS and not (
            c.is_verb and k <= obj + 1 and ents.at_token(doc[k])):
        if doc[k].text in QUOTE_MARKS or doc[k].lower_ in BOUNDARIES or (doc[k].pos_ in {"VERB", "AUX"}):
            break
        k += 1
    if c.is_verb and not (k < hi and doc[k].lower_ in PARTNER_PREPS) and obj < hi and \
            (doc[obj].lower_ in {"the", "his", "her", "their", "both", "all"} or doc[obj].ent_type_):
        k = obj  # the verb's object: "he could meet the Russian and Ukrainian leaders"
    if not (k < hi and (doc[k].lower_ in PARTNER_PREPS or (c.is_verb and k <= obj + 1))):
        return [], False, False
    e = k + 1 if doc[k].lower_ in PARTNER_PREPS else k
    while e < hi and doc[e].lower_ not in RIGHT_STOPS and doc[e].text not in QUOTE_MARKS and \
            not is_trigger(doc[e]) and \
            not (doc[e].text == "," and e + 1 < hi and (doc[e + 1].lower_ in RIGHT_STOPS | BOUNDARIES
                                                        or doc[e + 1].text in QUOTE_MARKS)):
        if doc[e].pos_ in {"VERB", "AUX"} and doc[e].lower_ not in TITLE_HEADS:
            break
        e += 1
    partners = _entities(doc, list(range(k, e)), ents, refs, roles)
    return partners, _plural_ref(doc, list(range(k, e))), doc[k].lower_ == "between"


def setting(tok: Token, c: Clause, parts: list[str], ents: Entities
             ) -> tuple[list[str], str | None, SpacySpan]:
    """(participants as acting countries, the place, the window dates are read in): a hosting
    country is where, not who ("Saudi Arabia would host the summit"); a relative clause that
    arranges or holds the meeting gives its date and place ("a meeting with X, which had been
    planned for Sunday at Camp David"); the opening phrase's place is another event's ("At a rally
    in Duluth, Smith defended his decision to meet Jones")."""
    doc = tok.doc
    lo, hi, first = c.lo, c.hi, c.first
    hosting = tok.lower_ in HOST_VERBS or any(doc[i].lower_ in HOST_VERBS for i in range(lo, tok.i))
    hosts = [p for p in parts if ents.of_type(p) == "Place"] if hosting else []
    parts = [p for p in parts if p not in hosts and not _venue(p, doc[lo:hi], ents)]
    told = [t for t in tok.subtree if t.dep_ == "relcl" and
            (t.lower_ in HOLD_VERBS or t.lower_ in STATUS_CUES["Planned"])] if not c.is_verb else []
    hi = max([hi] + [t.right_edge.i + 1 for t in told])
    window = doc[lo:hi]
    event = next((i for i in range(lo, first) if doc[i].pos_ == "NOUN" and doc[i].lower_ not in MEETING_NOUNS), first)
    reach = hi if told else min(hi, tok.i + PLACE_WINDOW[1])
    location = _location(doc[max(lo, tok.i - PLACE_WINDOW[0]):reach], ents, set(parts), range(event, first))
    location = hosts[0] if hosts else location
    parts, location = acting(parts, location, ents)
    return parts, location, window


def _venue(key: str, window: SpacySpan, ents: Entities) -> bool:
    """Named in the clause only after 'in' or 'at' ("met in the Oval Office", "talks at the White
    House"): where, not who."""
    doc = window.doc
    starts = [t.i for t in window if ents.at_token(t) == key and (t.i == 0 or ents.at_token(doc[t.i - 1]) != key)]
    return bool(starts) and all((j := _before_article(doc, i)) >= 0 and doc[j].lower_ in {"in", "at"} for i in starts)


def _before_article(doc: Doc, i: int) -> int:
    """The index of the word before token i, past a 'the' ("at the White House": 'at')."""
    return i - 2 if i >= 1 and doc[i - 1].lower_ == "the" else i - 1


def dates_of(tok: Token, window: SpacySpan, published: date | None, status: str) -> list[TimeValue]:
    """The dates of the trigger's own clause, read forward for a future meeting; not 'since', 'until'
    or 'by' a date, nor a date the parse gives another event or a report, nor for a held meeting a
    date after its article ("talks constructive, more set for April 19": the date is the next round's)."""
    future = status in {"Planned", "Proposed"}
    after = published.isoformat() if published and status == "Held" else None
    return [tv for s, e, tv in find_dates(window.text, published, future=future)
            if not window.text[:s + 6].lower().rstrip().endswith(("since", "until", "by"))
            and not window.text[s:e].lower().startswith(("since", "until", "by"))
            and not (after and tv.value > after[:len(tv.value)])
            and _own_date(tok, window, s, e)]


def _said_of(cue: Token, tok: Token) -> bool:
    """Is the cue said of the trigger: 'the talks have stalled', 'negotiations reached an impasse'
    (the trigger is the subject of the cue's verb)? Without a parse, any cue in the clause is."""
    if not tok.doc.has_annotation("DEP"):
        return True
    verb = cue
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    return any(c.dep_ in {"nsubj", "nsubjpass"} and c.is_ancestor(tok) or c.i == tok.i for c in verb.children)


def _own_date(tok: Token, window: SpacySpan, start: int, end: int) -> bool:
    """Does the date at these offsets of the window belong to the trigger's clause? Not when the
    parse attaches it to another meeting ("the talks since they met on May 1") or to a reporting
    verb ("..., the agency reported Friday"): each clause has its own date."""
    doc = tok.doc
    span = window.char_span(start, end, alignment_mode="expand") if doc.has_annotation("DEP") else None
    if span is None:
        return True
    node = span.root
    while node.i != tok.i:
        said = node.pos_ == "VERB" and bool(VERB_LEMMA.get(node.lower_))
        if node.pos_ in {"VERB", "NOUN"} and is_trigger(node):
            return False
        if node.is_ancestor(tok):  # where the date joins the trigger's clause: its own, unless a report's
            if not said:
                return True
            child = tok
            while child.head.i != node.i:
                child = child.head
            return child.dep_ not in {"ccomp", "xcomp", "parataxis", "conj"}  # the report's circumstance, not its content
        if said:
            return False
        if node.head.i == node.i:
            return True
        node = node.head
    return True


def _entities(doc: Doc, idxs: list[int], ents: Entities, refs: Referents, roles: list[Role]) -> list[str]:
    """Agents named at these tokens, leaving out role owners ("Trump's special envoy", "US President")
    and places after a preposition."""
    out: list[str] = []
    seen: set[str] = set()
    idxs = [i for i in idxs if 0 <= i < len(doc)]
    taken = set(idxs)
    for i in idxs:
        t = doc[i]
        key = ents.at_token(t)
        if key is None:
            if t.lower_ in {"he", "she"}:
                key = refs.pronoun(t, unnamed_stops=True)
            elif t.lower_ in FIRST_PERSON:
                key = refs.voice(t)  # "'We canceled the meeting with Putin,' Trump said"
            elif t.lower_ == "it":
                key = refs.it(t)
            elif t.lower_ in TITLE_HEADS and (key := refs.role_noun(t)):
                pass  # "the Russian ambassador": the article's holder of that title
            elif t.lower_ in TITLE_HEADS and i > 0 and doc[i - 1].ent_type_ == "NORP" or t.lower_ == "leaders":
                # "the Russian and Ukrainian leaders": the article's; "the Russian ambassador" no one
                # names: his country
                out += _leaders_of(doc, i, ents, roles) or \
                    ([country_key(ents, iso) for iso in nationalities(doc, i)] if t.lower_ != "leaders" else [])
                continue
            elif t.lower_ in DELEGATION_NOUNS:  # "Iranian officials": their country; not "a dozen officials" (people)
                if not any(d.like_num or d.lower_ in COUNTED_WORDS for d in doc[max(0, i - 4):i]):
                    out += [country_key(ents, iso) for iso in nationalities(doc, i)]
                continue
            if key is None:
                continue
        if key in seen or (i - 1 in taken and ents.at_token(doc[i - 1]) == key):
            continue  # taken, or the rest of a mention already judged
        # skip the rest of this mention's tokens
        e = i
        while e + 1 < len(doc) and ents.at_token(doc[e + 1]) == key:
            e += 1
        nxt = doc[e + 1] if e + 1 < len(doc) else None
        nxt2 = doc[e + 2] if e + 2 < len(doc) else None
        etype = ents.of_type(key)
        if etype != "Person" and nxt is not None and (nxt.lower_ in TITLE_HEADS | TITLE_MODIFIERS | NOT_ROLES or
                                                      (nxt.text in {"'s", "’s"} and nxt2 is not None and
                                                       nxt2.lower_ in TITLE_HEADS | TITLE_MODIFIERS and
                                                       _holder_named(doc, e + 2, ents))):
            continue  # "Kremlin spokesman ...", "US President ...", "Ruritania's president, Ivan Petrov"
        if etype == "Person" and nxt is not None and nxt.text in {"'s", "’s"} and nxt2 is not None and \
                (nxt2.lower_ in TITLE_HEADS | TITLE_MODIFIERS or ents.at(nxt2.idx, nxt2.idx + 1)):
            continue  # "Trump's special envoy", "Trump's Steve Witkoff"
        if etype != "Person" and nxt is not None and nxt.text in {"'s", "’s"} and nxt2 is not None and \
                (owned := ents.at(nxt2.idx, nxt2.idx + 1)) and ents.of_type(owned) == "Person":
            continue  # "China's Xi Jinping": the person, not the country
        p = _before_article(doc, i)
        prev = doc[p].lower_ if p >= 0 else ""
        if etype == "Place" and prev in {"in", "at", "to", "from", "on", "over", "of", "about", "into", "across"} \
                and not (prev == "to" and p > 0 and doc[p - 1].lemma_.lower() in TRAVEL_WORDS):
            continue  # where, not who; but the country of "a trip to North Korea" takes part
        if etype == "Organisation" and prev in {"in", "at", "to", "on", "via", "from", "of", "by"}:
            continue  # a venue ("at the White House"), a platform ("took to Twitter") or an owner
        seen.add(key)
        out.append(key)
    return out


def _governing_subject(tok: Token, ents: Entities, refs: Referents, roles: list[Role]) -> list[str]:
    """The agent that is the subject of the verb governing a meeting noun (parsed text only)."""
    doc = tok.doc
    if not doc.has_annotation("DEP"):
        return []
    head = tok
    while head.head.i != head.i:
        head = head.head
        if head.pos_ not in {"VERB", "AUX"}:
            continue
        subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}]
        for subj in subjects:
            idxs = [t.i for t in subj.subtree]
            if tok.i in idxs:
                break
            found = _entities(doc, idxs, ents, refs, roles)
            if found:
                return found[-1:]
        if subjects:
            return []
    return []


def _joined(tok: Token, ents: Entities, refs: Referents, roles: list[Role]) -> list[str]:
    """For a meeting noun after 'join X in' / 'accompany X on': the verb's subject and X."""
    prep = tok.head
    verb = prep.head
    if prep.dep_ != "prep" or verb.lemma_.lower() not in ACCOMPANY_VERBS:
        return []
    objects = [t.i for c in verb.children if c.dep_ == "dobj" for t in c.subtree]
    partners = _entities(tok.doc, objects, ents, refs, roles)
    return (_governing_subject(tok, ents, refs, roles) + partners) if partners else []


def acting(parts: list[str], location: str | None, ents: Entities) -> tuple[list[str], str | None]:
    """Places take part as countries: a capital stands for its country; a city, a state or a venue
    ("Camp David", "Minnesota") is where the meeting is, never who meets."""
    out: list[str] = []
    for p in parts:
        e = ents.entities[p]
        if e.type != "Place" or e.name in COUNTRIES:
            out.append(p)
            continue
        iso = acting_country(e.name)
        if iso is None:
            location = location or p
            continue
        out.append(country_key(ents, iso))
    return list(dict.fromkeys(out)), location


ROUND_WORDS = {"round", "rounds"}
ARRIVALS = {"arrival", "arrivals", "departure"}
FIRST_PERSON = {"i", "we", "me", "us", "my", "our"}


def round_of(tok: Token) -> int | None:
    """The number of the negotiation round a trigger names: "the second round of talks", "a third
    round", "held the 6th round" (the round word, the one the trigger is 'of', or the verb's object)."""
    near = [tok, *(c for c in tok.children if c.dep_ in {"dobj", "nsubj", "nsubjpass", "attr"})]
    if tok.dep_ == "pobj" and tok.head.lower_ == "of":
        near.append(tok.head.head)
    return next((n for r in near if r.lower_ in ROUND_WORDS for c in r.children if (n := _ordinal(c.lower_))), None)


def _ordinal(word: str) -> int | None:
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", word)
    return ORDINALS.get(word) or (int(m.group(1)) if m else None)


def country_of(ents: Entities, key: str | None) -> str | None:
    """The ISO code of the country this entity of the article is, if it is one."""
    e = ents.entities.get(key) if key else None
    f = reading(e.name) if e is not None and e.type == "Place" else None
    return f.country if f is not None and f.kind == "country" else None


def country_key(ents: Entities, iso: str) -> str:
    """The article's entity for the country with this code, or a new one."""
    for key in sorted(ents.entities):
        if country_of(ents, key) == iso:
            return key
    name = country_name(iso)
    return ents.add_place(NAME_ALIASES.get(name.casefold(), name))


def _holder_named(doc: Doc, i: int, ents: Entities) -> bool:
    """Is the title starting at token i followed by its holder's name? Without one ("talks with
    Ruritania's leader"), the owner stands for its official."""
    while i < len(doc) and (doc[i].lower_ in TITLE_HEADS | TITLE_MODIFIERS or doc[i].text in {",", "of", "the"}):
        i += 1
    return i < len(doc) and (key := ents.at(doc[i].idx, doc[i].idx + 1)) is not None and ents.of_type(key) == "Person"


def nationalities(doc: Doc, i: int) -> list[str]:
    """The countries (ISO codes) of the nationalities before token i, past adjectives:
    'senior South Korean and Japanese officials' -> KR, JP."""
    out: list[str] = []
    j = i - 1
    while j >= 0 and (doc[j].ent_type_ == "NORP" or doc[j].pos_ == "ADJ" or doc[j].lower_ in {"and", ",", "-"}):
        if doc[j].ent_type_ == "NORP" and doc[j].ent_iob_ == "B":
            k = j + 1
            while k < i and doc[k].ent_iob_ == "I":
                k += 1
            f = reading(DEMONYMS.get(doc[j:k].text.lower(), ""))
            if f is not None and f.kind == "country" and f.country not in out:
                out.append(f.country)
        j -= 1
    return out[::-1]


def _plural_ref(doc: Doc, idxs: list[int]) -> str | bool:
    """'the two leaders' -> 'people'; 'both sides' -> True; else False."""
    words = [doc[i].lower_ for i in idxs]
    for a, b in zip(words, words[1:]):
        if (a, b) in PLURAL_REFS:
            return "people" if b in PERSON_PLURALS else True
    return False


def _leaders(roles: list[Role], ents: Entities) -> list[str]:
    """Without an earlier meeting, 'the two leaders' are the article's two most mentioned leaders."""
    heads = {r.member for r in roles if r.label in LEADER_TITLES}
    ranked = sorted(heads, key=lambda k: (-len(ents.entities[k].mentions), k))
    return ranked[:2] if len(ranked) >= 2 else []


def _leaders_of(doc: Doc, i: int, ents: Entities, roles: list[Role]) -> list[str]:
    """'the Russian and Ukrainian leaders' -> the article's leaders of Russia and Ukraine."""
    countries = nationalities(doc, i)
    out = []
    for r in roles:
        if country_of(ents, r.organization) in countries and r.label in LEADER_TITLES and r.member not in out:
            out.append(r.member)
    return out


def _location(window: SpacySpan, ents: Entities, parts: set[str], elsewhere: range) -> str | None:
    """The first place after 'in'/'at' (or 'to' after a travel word) in the window, outside the
    tokens that belong to another event."""
    doc = window.doc
    for t in window:
        if t.i in elsewhere or (t.i > 0 and doc[t.i - 1].lower_ in NOT_VENUE_BEFORE):
            continue
        to_city = t.lower_ == "to" and t.i > 0 and doc[t.i - 1].lower_ in TRAVEL_WORDS  # "a visit to Lyon"
        if (t.lower_ in {"in", "at"} or to_city) and t.i + 1 < window.end:
            nxt = doc[t.i + 1] if doc[t.i + 1].lower_ != "the" else doc[min(t.i + 2, window.end - 1)]
            key = ents.at_token(nxt)
            if key and ents.of_type(key) == "Place" and key not in parts and \
                    not (to_city and ents.entities[key].name in COUNTRIES):
                return key
    return None


def _affirmed(window: SpacySpan, cue: str) -> bool:
    """Does the cue occur in the window without a denial ("the Kremlin denied the summit was
    cancelled", "has not been called off"): no denial word just before it and, with a parse, no
    denying verb above it and no negation on its verb?"""
    doc, words = window.doc, cue.split()
    for i in _occurrences(window, words):
        if DENIALS & {t.lower_ for t in doc[max(0, i - STATUS_DENIAL_REACH):i]}:
            continue
        tok, own = doc[i], range(i, i + len(words))  # a cue may hold its own negation ("not take place")
        if doc.has_annotation("DEP") and (any(a.lemma_.lower() in DENYING for a in tok.ancestors) or
                                          any(c.dep_ == "neg" and c.i not in own for c in tok.head.children)):
            continue
        return True
    return False


def _after_it(tok: Token, clause: SpacySpan, published: date | None) -> bool:
    """"agreed to meet after a phone call on Thursday": what something follows took place, when
    its clause dates it no later than the article (the plan around it is not its status)."""
    if tok.dep_ != "pobj" or tok.head.lower_ not in {"after", "following"} or published is None:
        return False
    dates = [tv.value for _s, _e, tv in find_dates(clause.text, published)]
    return bool(dates) and all(d <= published.isoformat()[:len(d)] for d in dates)


def _occurrences(window: SpacySpan, words: list[str]) -> Iterator[int]:
    """Where the words occur in the window (the index of their first token)."""
    doc = window.doc
    for i in range(window.start, window.end - len(words) + 1):
        if [t.lower_ for t in doc[i:i + len(words)]] == words:
            yield i


def _cued(window: SpacySpan, cues: frozenset[str], tok: Token) -> bool:
    """Does a cue of the list occur in the window, other than an adjective of another noun ("talks on
    a possible truce": 'possible' is the truce's)?"""
    doc = window.doc
    text = " " + " ".join(t.lower_ for t in window) + " "
    return any(len(cue.split()) > 1 or not (doc[i].dep_ == "amod" and doc[i].head.i != tok.i)
               for cue in cues if f" {cue} " in text for i in _occurrences(window, cue.split()))


def status_of(tok: Token, sent: SpacySpan, lo: int, hi: int, published: date | None) -> tuple[str, str]:
    """(status, what decided it). Cancel and postpone words win ("called off"); then a meeting verb
    in the past ("verb": "met", "held talks"); then plan words, then proposal words ("cue"); else the
    tense and the dates of the clause ("tense")."""
    doc = sent.doc
    # the clause, plus the governing words before it ("expressed their willingness to meet")
    words = " " + " ".join(t.lower_ for t in doc[max(sent.start, lo - STATUS_LOOKBACK):hi]) + " "
    window = doc[max(sent.start, lo - STATUS_LOOKBACK):hi]
    denied = False
    for status in ("Cancelled", "Postponed"):
        cues = [c for c in STATUS_CUES[status] if f" {c} " in words]
        if any(_affirmed(window, c) for c in cues):
            return status, "called off"
        denied = denied or bool(cues)
    if denied:
        return "Planned", "cue"  # "has not been called off", "denied the summit was cancelled": still on
    if _after_it(tok, doc[lo:hi], published):
        return "Held", "cue"
    before = " " + " ".join(t.lower_ for t in doc[max(lo, tok.i - 6):tok.i + 1]) + " "
    modal = any(f" {c} " in before for c in ("would", "could", "might", "will", "not", "to", "may", "should"))
    if not modal and (tok.lower_ in {"met", "spoke", "talked", "visited", "hosted", "phoned"} or
                      any(f" {v} " in before for v in ("held", "had", "conducted", "hosted", "attended"))):
        return "Held", "verb"
    if _cued(window, STATUS_CUES["Planned"], tok) or \
            (tok.tag_ == "VBG" and tok.i > 0 and doc[tok.i - 1].lower_ in {"is", "are", "'s", "’s", "'re", "’re"}):
        return "Planned", "cue"  # "they are meeting next week": the present progressive of an arrangement
    if _cued(window, STATUS_CUES["Proposed"], tok):
        return "Proposed", "cue"
    if any(f" {c} " in words for c in HELD_CUES):
        return "Held", "cue"
    tags = {t.tag_ for t in doc[lo:hi]}
    # no tense to go by ("since their summit in June"): a date before the article is a past event
    past = any(tv.value < published.isoformat()[:len(tv.value)]
               for _s, _e, tv in find_dates(doc[lo:hi].text, published)) if published else False
    return ("Held" if tags & {"VBD", "VBN"} or past else "Proposed"), "tense"


