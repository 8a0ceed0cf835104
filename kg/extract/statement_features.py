"""Candidates and features for the learned statement decisions: whether a statement the rules read
is one, and who said it.

The speaker candidates of a statement are the rules' speaker, every agent its sentence names or
refers to (pronouns and role nouns resolved), and the speakers of the statements just before it
(a quote that continues, "he added"). Features say how each stands to the reporting verb and the
quoted words: before or after, the subject of the verb, inside the quote, how far.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.extract.decisions import bucket
from kg.extract.entities import Entities, Referents, inside
from kg.extract.lexicon import PRONOUNS_SINGULAR, TITLE_HEADS
from kg.extract.meeting_features import word
from kg.model import Article, Statement

PREVIOUS = 2  # statements back whose speakers are candidates


@dataclass(frozen=True)
class Speaker:
    key: str
    first: int  # token span in the doc; -1 for a speaker of an earlier statement
    last: int
    how: str  # rule, name, pronoun, role, previous


def speaker_candidates(doc: Doc, st: Statement, ents: Entities, refs: Referents,
                       before: list[Statement]) -> list[Speaker]:
    out = [Speaker(st.speaker, -1, -1, "rule")]
    span = doc.char_span(st.evidence.start, st.evidence.end, alignment_mode="expand")
    i = span.start if span is not None else len(doc)
    end = span.end if span is not None else len(doc)
    while i < end:
        t = doc[i]
        key = ents.at_token(t)
        if key is not None:
            e = i
            while e + 1 < end and ents.at_token(doc[e + 1]) == key:
                e += 1
            out.append(Speaker(key, i, e, "name"))
            i = e + 1
            continue
        if t.lower_ in PRONOUNS_SINGULAR and (k := refs.pronoun(t)):
            out.append(Speaker(k, i, i, "pronoun"))
        elif t.lower_ in TITLE_HEADS and (k := refs.role_noun(t)):
            out.append(Speaker(k, i, i, "role"))
        i += 1
    out += [Speaker(s.speaker, -1, -1, "previous") for s in before[-PREVIOUS:]]
    kept, seen = [], set()
    for c in out:  # the rules' speaker first, then each agent at its first place
        if c.key not in seen:
            seen.add(c.key)
            kept.append(c if c.how != "rule" else _placed(c, out))
    return kept


def _placed(rule: Speaker, found: list[Speaker]) -> Speaker:
    """The rules' speaker at its place in the sentence, when it is named there."""
    there = next((c for c in found if c.key == rule.key and c.first >= 0), None)
    return Speaker(rule.key, there.first, there.last, "rule") if there else rule


def _cue(doc: Doc, st: Statement) -> Token | None:
    if st.cue is None:
        return None
    span = doc.char_span(st.cue.start, st.cue.end, alignment_mode="expand")
    return span[0] if span is not None else None


def statement_features(doc: Doc, st: Statement, ents: Entities, article: Article,
                       quotes: list[tuple[int, int]]) -> dict[str, float]:
    cue = _cue(doc, st)
    f = {"bias": 1.0, f"verb={st.verb}": 1.0, f"direct={st.direct}": 1.0,
         f"words={bucket(len(st.text.split()), (0, 3, 5, 8, 13, 21, 34, 55))}": 1.0,
         f"speaker_type={ents.of_type(st.speaker) if st.speaker in ents.entities else 'none'}": 1.0,
         f"cue={cue is not None}": 1.0}
    text = article.text
    f["starts_lower"] = float(st.text[:1].islower())
    f["quoted_content"] = float(inside(st.text_span.start, quotes))
    f["headline"] = float(st.evidence.start == 0)
    f["question"] = float(text[st.text_span.start:st.text_span.end].rstrip().endswith("?"))
    if cue is not None:
        f[f"cue_tag={cue.tag_}"] = 1.0
        f[f"cue_dep={cue.dep_}"] = 1.0
        f[f"cue_in_quote={inside(cue.idx, quotes)}"] = 1.0
        for t in doc[max(cue.sent.start, cue.i - 3):cue.i]:
            f[f"before_cue={word(t)}"] = 1.0
        f["content_after"] = float(st.text_span.start > cue.idx)
        aux = [ch.lower_ for ch in cue.children if ch.dep_ in {"aux", "neg"}]
        for a in aux:
            f[f"aux={a}"] = 1.0
    first = doc.char_span(st.text_span.start, st.text_span.end, alignment_mode="expand")
    if first is not None and len(first):
        f[f"first_word={word(first[0])}"] = 1.0
        f[f"has_verb={any(t.pos_ in {'VERB', 'AUX'} for t in first)}"] = 1.0
    return f


def speaker_features(doc: Doc, st: Statement, c: Speaker, ents: Entities,
                     quotes: list[tuple[int, int]]) -> dict[str, float]:
    etype = ents.of_type(c.key) if c.key in ents.entities else "none"
    f = {"bias": 1.0, f"how={c.how}": 1.0, f"type={etype}": 1.0, f"is_rule={c.key == st.speaker}": 1.0,
         f"type|rule={etype}|{c.key == st.speaker}": 1.0, f"direct={st.direct}": 1.0}
    if c.first < 0:
        return f
    cue = _cue(doc, st)
    t = doc[c.last]
    root = next((x for x in doc[c.first:c.last + 1] if not (c.first <= x.head.i <= c.last) or x.head.i == x.i), t)
    f[f"dep={root.dep_}"] = 1.0
    f["in_quote"] = float(inside(doc[c.first].idx, quotes))
    f["in_content"] = float(st.text_span.start <= doc[c.first].idx < st.text_span.end)
    f[f"prev={word(doc[c.first - 1]) if c.first > 0 else '<s>'}"] = 1.0
    f[f"next={word(doc[c.last + 1]) if c.last + 1 < len(doc) else '</s>'}"] = 1.0
    if cue is not None:
        side = "before" if c.last < cue.i else "after"
        f[f"side={side}"] = 1.0
        f[f"dist={bucket(abs(cue.i - (c.last if side == 'before' else c.first)))}"] = 1.0
        f[f"side|how={side}|{c.how}"] = 1.0
        f["subject_of_cue"] = float(root.dep_ in {"nsubj", "nsubjpass"} and root.head.i == cue.i)
        f["agent_of_cue"] = float(root.head.lower_ in {"by", "to"} and root.head.head.i == cue.i)
        f["object_of_cue"] = float(root.dep_ in {"dobj", "pobj"} and root.head.i == cue.i)
        f[f"subject|type={f['subject_of_cue']}|{etype}"] = 1.0
    return f
