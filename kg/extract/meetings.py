"""Who met or spoke with whom, where, when, and whether it happened.

A trigger is a meeting noun ("summit", "talks", "phone call") or verb ("met", "spoke by
phone"). Participants come from its clause: the subject of a meeting verb, the object or
"with"/"between" phrase after it, names joined to it ("Putin-Trump summit", "Witkoff's visit"),
and plural references to the last meeting's participants ("the two leaders"). The status comes
from the words around it; one meeting is kept per distinct event in the article.
"""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from kg.extract.entities import Entities, Referents
from kg.extract.lexicon import MEETING_NOUNS
from kg.extract.meeting_rules import Mention, is_trigger, read
from kg.model import Article, Entity, Meeting, Role


def extract_meetings(doc: Doc, article: Article, ents: Entities, roles: list[Role]
                     ) -> tuple[list[Meeting], dict[str, Entity]]:
    """The article's meetings, and the countries that take part only through their capital or
    their officials ("talks between Washington and Pyongyang", "Iranian officials")."""
    ents = ents.working_copy()
    refs = Referents(doc, ents, roles, [])
    refs.observe_all()
    found: list[Mention] = []
    for sent in doc.sents:
        for tok in sent:
            if is_trigger(tok):
                m = read(tok, sent, article, ents, roles, refs, found)
                if m is not None:
                    found.append(m)
    # "the meeting on the sidelines of the Harbour Summit" names where, not with whom: a name
    # ending in a meeting noun is the event, and a lone organisation is no meeting
    out = []
    for m in _merge(found):
        who = tuple(p for p in m.participants if p not in ents.entities or
                    ents.entities[p].name.split()[-1].lower() not in MEETING_NOUNS)
        if len(who) > 1 or (who and ents.of_type(who[0]) != "Organisation"):
            out.append(replace(m, participants=who))
    return out, {k: e for k, e in ents.introduced.items() if any(k in m.participants for m in out)}


def _merge(found: list[Mention]) -> list[Meeting]:
    """One meeting per event: the same participants, kind and status class (future, held,
    cancelled) and no conflicting date or place; a meeting whose participants are a subset of
    another's merges into it. Plural triggers with several dates are one meeting per date."""
    expanded: list[Mention] = []
    for m in found:
        if m.plural and len(m.dates) > 1:
            expanded += [replace(m, dates=[d]) for d in m.dates]
        else:
            expanded.append(replace(m, dates=m.dates[:1]))
    out: list[Mention] = []
    for m in expanded:
        target = next((o for o in out if _same_event(o, m)), None)
        if target is None:
            out.append(m)
            continue
        if len(m.participants) > len(target.participants):
            target.participants = list(dict.fromkeys(m.participants + target.participants))
        target.location = target.location or m.location
        target.dates = target.dates or m.dates
        if target.status == "Proposed" and m.status == "Planned":
            target.status = "Planned"
        target.extra.append(m.sentence)
    out = [m for m in out if len(m.participants) >= 2 or m.location or m.dates]
    return [Meeting(participants=tuple(m.participants), kind=m.kind, status=m.status, location=m.location,
                    date=m.dates[0] if m.dates else None,
                    evidence=tuple(sorted({m.sentence, *m.extra})), trigger=m.trigger.text.lower())
            for m in out]


def _status_class(s: str) -> str:
    return "future" if s in {"Proposed", "Planned"} else s


def _same_event(a: Mention, b: Mention) -> bool:
    if _status_class(a.status) != _status_class(b.status) or a.kind != b.kind:
        return False
    pa, pb = set(a.participants), set(b.participants)
    if pa != pb and not (min(len(pa), len(pb)) == 1 and (pa <= pb or pb <= pa)):
        return False
    if a.dates and b.dates and a.dates[0] != b.dates[0]:
        return False
    if a.location and b.location and a.location != b.location:
        return False
    return True
