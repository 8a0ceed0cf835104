"""Candidates and features for the learned meeting decisions.

A candidate is a trigger word with the rules' reading of it (or none), and every agent its sentence
names: people, organisations and places, pronouns and role nouns resolved, nationalities of
"Iranian officials" as their countries, and the participants of an earlier meeting a plural
reference takes up. Features are plain functions of a candidate: the trigger's words and parse,
the rules' own decisions, and for each agent where it stands to the trigger (side, distance, the
words before and after it, the dependency path between them).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Span as SpacySpan, Token

from kg.extract.decisions import bucket
from kg.extract.entities import Entities, Referents, inside
from kg.extract.lexicon import (COUNTED_WORDS, COUNTRIES, DELEGATION_NOUNS, NEGATORS, STATUS_CUES, TITLE_HEADS,
                                TITLE_MODIFIERS, VERB_LEMMA)
from kg.extract.meeting_rules import Clause, Mention, country_key, is_trigger, nationalities
from kg.extract.dates import find_dates
from kg.geo import acting_country

MODALS = {"would", "could", "might", "will", "may", "should", "can", "'ll", "’ll", "shall", "must"}
PATH_LENGTH = 4  # dependency steps kept in a path feature; longer paths are "far"


@dataclass(frozen=True)
class Agent:
    key: str
    first: int  # token span of the mention in the doc
    last: int
    how: str  # name, pronoun, role, nationality, prior


@dataclass
class Candidate:
    tok: Token
    sent: SpacySpan
    clause: Clause
    rule: Mention | None  # the rules' reading, None when they find no meeting here
    agents: list[Agent]
    quotes: list[tuple[int, int]]


def agents_in(sent: SpacySpan, ents: Entities, refs: Referents, before: list[Mention]) -> list[Agent]:
    """Every agent the sentence names or refers to, in text order, each key once (its first mention
    nearest the start); then the participants of the last meeting with two or more."""
    doc = sent.doc
    out: list[Agent] = []
    i = sent.start
    while i < sent.end:
        t = doc[i]
        key = ents.at_token(t)
        if key is not None:
            e = i
            while e + 1 < sent.end and ents.at_token(doc[e + 1]) == key:
                e += 1
            if ents.of_type(key) != "Agent":
                out.append(Agent(key, i, e, "name"))
            iso = acting_country(ents.entities[key].name) if _place_kind(ents, key) == "capital" else None
            if iso is not None:  # "talks between Washington and Pyongyang": the country may be the actor
                out.append(Agent(country_key(ents, iso), i, e, "capital"))
            i = e + 1
            continue
        low = t.lower_
        if low in {"he", "she", "him", "her"} and (k := refs.pronoun(t, unnamed_stops=True)):
            out.append(Agent(k, i, i, "pronoun"))
        elif low in TITLE_HEADS and (k := refs.role_noun(t)):
            out.append(Agent(k, i, i, "role"))
        elif low in DELEGATION_NOUNS and not any(d.like_num or d.lower_ in COUNTED_WORDS for d in doc[max(0, i - 4):i]):
            out += [Agent(country_key(ents, iso), i, i, "nationality") for iso in nationalities(doc, i)]
        i += 1
    seen: set[str] = set()
    kept = []
    for a in out:
        if a.key not in seen:
            seen.add(a.key)
            kept.append(a)
    return with_prior(kept, before)


def with_prior(agents: list[Agent], before: list[Mention], rule: Mention | None = None) -> list[Agent]:
    """The sentence's agents, then the rules' participants it does not name (from an earlier
    sentence or a plural reference), then those of the last meeting with two or more, for a plural
    reference ("the two leaders") to take up."""
    prior = next((m for m in reversed(before) if len(m.participants) >= 2), None)
    out = list(agents)
    named = {a.key for a in agents}
    for keys, how in ((rule.participants if rule else [], "rule"), (prior.participants if prior else [], "prior")):
        for k in keys:
            if k not in named:
                named.add(k)
                out.append(Agent(k, -1, -1, how))
    return out


def word(t: Token) -> str:
    """A token as a feature: its lower-case form, but a name as its kind (features never name names)."""
    if t.ent_type_ in NAME_TYPES or t.pos_ == "PROPN":
        return "<" + (t.ent_type_ or "PROPN") + ">"
    return t.lower_


NAME_TYPES = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART"}


# ---------------------------------------------------------------- the trigger
def trigger_features(c: Candidate, ents: Entities, published: date | None) -> dict[str, float]:
    tok, doc = c.tok, c.tok.doc
    f = {"bias": 1.0, f"w={tok.lower_}": 1.0, f"lemma={tok.lemma_.lower()}": 1.0, f"pos={tok.pos_}": 1.0,
         f"tag={tok.tag_}": 1.0, f"dep={tok.dep_}": 1.0, f"head={word(tok.head)}": 1.0,
         f"headpos={tok.head.pos_}": 1.0, f"trigger_rule={is_trigger(tok)}": 1.0,
         f"found_rule={c.rule is not None}": 1.0}
    for k, name in ((-2, "p2"), (-1, "p1"), (1, "n1"), (2, "n2")):
        j = tok.i + k
        if c.sent.start <= j < c.sent.end:
            f[f"{name}={word(doc[j])}"] = 1.0
            if name in ("p1", "n1"):
                f[f"{name}|w={word(doc[j])}|{tok.lower_}"] = 1.0
    if c.rule is not None:
        f[f"rule_parts={bucket(len(c.rule.participants))}"] = 1.0
        f[f"rule_status={c.rule.status}"] = 1.0
        f["rule_place"] = float(c.rule.location is not None)
        f["rule_date"] = float(bool(c.rule.dates))
    window = doc[max(c.sent.start, tok.i - 5):min(c.sent.end, tok.i + 6)]
    for t in window:
        if t.i != tok.i and (t.is_alpha and not t.is_stop or t.lower_ in MODALS | NEGATORS):
            f["near=" + (word(t) if word(t).startswith("<") else t.lemma_.lower())] = 1.0
    named = [a for a in c.agents if a.first >= 0]
    in_clause = [a for a in named if c.clause.first <= a.first < c.clause.hi]
    f[f"agents={bucket(len(named))}"] = 1.0
    f[f"clause_agents={bucket(len(in_clause))}"] = 1.0
    for kind in ("Person", "Organisation", "Place"):
        n = sum(1 for a in in_clause if ents.of_type(a.key) == kind)
        f[f"clause_{kind}={bucket(n)}"] = 1.0
    f["quoted"] = float(inside(tok.idx, c.quotes))
    f["negated"] = float(any(t.lower_ in NEGATORS for t in doc[max(c.sent.start, tok.i - 4):tok.i]))
    f["first_sentence"] = float(c.sent.start == 0)
    f[f"verb={c.clause.is_verb}"] = 1.0
    return f


# ---------------------------------------------------------------- an agent of the trigger
def agent_features(c: Candidate, a: Agent, ents: Entities) -> dict[str, float]:
    tok, doc = c.tok, c.tok.doc
    etype = ents.of_type(a.key)
    f = {"bias": 1.0, f"type={etype}": 1.0, f"how={a.how}": 1.0, f"trig={tok.lemma_.lower()}": 1.0,
         f"place={_place_kind(ents, a.key)}": 1.0}
    if c.rule is not None:
        f[f"rule={a.key in c.rule.participants}"] = 1.0
        f[f"rule|type={a.key in c.rule.participants}|{etype}"] = 1.0
    else:
        f["rule=none"] = 1.0
    if a.how in {"prior", "rule"}:
        f[a.how] = 1.0
        return f
    side = "left" if a.last < tok.i else "right"
    dist = a.first - tok.i if side == "right" else tok.i - a.last
    f[f"side={side}"] = 1.0
    f[f"dist={bucket(dist)}"] = 1.0
    f[f"side|dist={side}|{bucket(dist)}"] = 1.0
    f[f"type|side={etype}|{side}"] = 1.0
    f[f"in_clause={c.clause.first <= a.first < c.clause.hi}"] = 1.0
    f[f"in_scope={c.clause.lo <= a.first < c.clause.hi}"] = 1.0
    prev = word(doc[a.first - 1]) if a.first > c.sent.start else "<s>"
    prev2 = word(doc[a.first - 2]) if a.first - 1 > c.sent.start else "<s>"
    nxt = word(doc[a.last + 1]) if a.last + 1 < c.sent.end else "</s>"
    nxt2 = word(doc[a.last + 2]) if a.last + 2 < c.sent.end else "</s>"
    f[f"prev={prev}"] = 1.0
    f[f"prev2={prev2}"] = 1.0
    f[f"next={nxt}"] = 1.0
    f[f"next2={nxt2}"] = 1.0
    f[f"type|prev={etype}|{prev}"] = 1.0
    f[f"type|next={etype}|{nxt}"] = 1.0
    f["title_after"] = float(nxt in TITLE_HEADS | TITLE_MODIFIERS or
                             (nxt in {"'s", "’s"} and nxt2 in TITLE_HEADS | TITLE_MODIFIERS))
    root = _root(doc, a)
    path = _path(root, tok)
    f[f"path={path}"] = 1.0
    f[f"type|path={etype}|{path}"] = 1.0
    f[f"dep={root.dep_}"] = 1.0
    f[f"dep|head={root.dep_}|{word(root.head)}"] = 1.0
    f["speaker"] = float(root.dep_ in {"nsubj", "nsubjpass"} and bool(VERB_LEMMA.get(root.head.lower_)))
    reported = root.dep_ in {"nsubj", "nsubjpass"} and bool(VERB_LEMMA.get(root.head.lower_)) and \
        root.head.is_ancestor(tok) and not (c.clause.lo <= a.first < c.clause.hi)
    f["speaker_outside"] = float(reported)  # "Peskov said the summit ...": who speaks of the meeting
    f["subject_of_trigger"] = float(root.dep_ in {"nsubj", "nsubjpass"} and
                                    (root.head.i == tok.i or (root.head.is_ancestor(tok) and not reported)))
    f[f"outside_clause|type={not (c.clause.lo <= a.first < c.clause.hi)}|{etype}"] = 1.0
    f["quoted"] = float(inside(doc[a.first].idx, c.quotes))
    between = doc[min(a.last, tok.i) + 1:max(a.first, tok.i)]
    f["verb_between"] = float(any(t.pos_ == "VERB" and t.i != tok.i for t in between))
    f["said_between"] = float(any(VERB_LEMMA.get(t.lower_) for t in between))
    f["comma_between"] = float(any(t.text == "," for t in between))
    f[f"mentions={bucket(len(ents.entities[a.key].mentions))}"] = 1.0
    others = [b for b in c.agents if b.first >= 0 and b.key != a.key]
    f[f"nearest={not any(abs(b.first - tok.i) < abs(a.first - tok.i) and (b.first > tok.i) == (a.first > tok.i) for b in others)}"] = 1.0
    return f


def _place_kind(ents: Entities, key: str) -> str:
    e = ents.entities[key]
    if e.type != "Place":
        return "no"
    if e.name in COUNTRIES:
        return "country"
    return "capital" if acting_country(e.name) else "other"


def _root(doc: Doc, a: Agent) -> Token:
    """The mention's syntactic head: its token whose head lies outside it."""
    for t in doc[a.first:a.last + 1]:
        if not (a.first <= t.head.i <= a.last) or t.head.i == t.i:
            return t
    return doc[a.last]


def _path(a: Token, b: Token) -> str:
    """The dependency labels from a up to the nearest ancestor of both, then down to b."""
    up_a, up_b = [a], [b]
    while up_a[-1].head.i != up_a[-1].i and len(up_a) <= 12:
        up_a.append(up_a[-1].head)
    while up_b[-1].head.i != up_b[-1].i and len(up_b) <= 12:
        up_b.append(up_b[-1].head)
    ids_b = {t.i: k for k, t in enumerate(up_b)}
    for k, t in enumerate(up_a):
        if t.i in ids_b:
            left = [x.dep_ for x in up_a[:k]]
            right = [x.dep_ for x in up_b[:ids_b[t.i]]]
            if len(left) + len(right) > PATH_LENGTH:
                return "far"
            return "^".join(left) + "|" + "^".join(right)
    return "none"


# ---------------------------------------------------------------- the status
def status_features(c: Candidate, published: date | None) -> dict[str, float]:
    tok, doc = c.tok, c.tok.doc
    f = {"bias": 1.0, f"w={tok.lower_}": 1.0, f"tag={tok.tag_}": 1.0}
    if c.rule is not None:
        f[f"rule_status={c.rule.status}"] = 1.0
        f[f"rule_status|by={c.rule.status}|{c.rule.status_by}"] = 1.0
    lo = max(c.sent.start, c.clause.lo - 6)
    for t in doc[lo:c.clause.hi]:
        if t.i < tok.i:
            f[f"before={word(t)}"] = 1.0
        elif t.i > tok.i:
            f[f"after={word(t)}"] = 1.0
        f[f"tag_in={t.tag_}"] = 1.0
    words = " " + " ".join(t.lower_ for t in doc[lo:c.clause.hi]) + " "
    for status, cues in STATUS_CUES.items():
        if any(f" {cue} " in words for cue in cues):
            f[f"cue={status}"] = 1.0
    head = tok.head
    f[f"head={word(head)}"] = 1.0
    f[f"headtag={head.tag_}"] = 1.0
    aux = [ch.lower_ for ch in list(tok.children) + list(head.children) if ch.dep_ in {"aux", "auxpass", "neg"}]
    for w in aux:
        f[f"aux={w}"] = 1.0
    if published is not None:
        text = doc[c.clause.lo:c.clause.hi].text
        for _s, _e, tv in find_dates(text, published):
            day = published.isoformat()[:len(tv.value)]
            f["date=" + ("past" if tv.value < day else "future" if tv.value > day else "same")] = 1.0
    return f
