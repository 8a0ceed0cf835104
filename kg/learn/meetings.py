"""Training rows for the meeting decisions: every candidate of an annotated article, labelled by its gold.

A trigger is a meeting when its sentence is the evidence of a gold meeting (the annotators give
the first sentence that reports it); a trigger in another sentence that names two participants of
a gold meeting may be a later mention of it and is left out, as are triggers of optional meetings.
For a meeting trigger each agent of its sentence is a participant when it is one of that gold
meeting's participants, and the gold status is the status to learn.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from kg.extract.entities import Entities, resolve
from kg.extract.meeting_features import Candidate, agent_features, status_features, trigger_features
from kg.extract.meetings import candidates
from kg.extract.mentions import find_mentions
from kg.extract.roles import extract_roles
from kg.learn.corpus import Annotated
from kg.learn.gold import GoldNames

STATUS = {"proposed": "Proposed", "planned": "Planned", "held": "Held", "cancelled": "Cancelled",
          "postponed": "Postponed"}


@dataclass
class Rows:
    """Feature dicts with labels and the article each came from (for grouped folds)."""
    feats: list[dict] = field(default_factory=list)
    labels: list = field(default_factory=list)
    groups: list[str] = field(default_factory=list)

    def add(self, feats: dict, label, group: str) -> None:
        self.feats.append(feats)
        self.labels.append(label)
        self.groups.append(group)


@dataclass
class MeetingRows:
    trigger: Rows = field(default_factory=Rows)
    participant: Rows = field(default_factory=Rows)
    status: Rows = field(default_factory=Rows)


def meeting_rows(docs: list[tuple[Doc, Annotated]]) -> MeetingRows:
    out = MeetingRows()
    for doc, ann in docs:
        ents = resolve(doc, find_mentions(doc))
        roles = extract_roles(doc, ents)
        work = ents.working_copy()
        seen: list[Candidate] = []
        list(candidates(doc, ann.article, work, roles, lambda c: c.rule, seen=seen))
        names = GoldNames(ann.gold)
        for c in seen:
            _label(c, work, ann, names, out)
    return out


def _canon(ents: Entities, key: str, names: GoldNames) -> str | None:
    e = ents.entities[key]
    return names.canon([e.name, *e.aliases])


def _label(c: Candidate, ents: Entities, ann: Annotated, names: GoldNames, out: MeetingRows) -> None:
    start, end = c.sent.start_char, c.sent.end_char
    canon = {a.key: _canon(ents, a.key, names) for a in c.agents}
    known = set(canon.values()) - {None}
    golds = [m for m in ann.gold["meetings"] if m.get("evidence") and m["evidence"][0] < end and m["evidence"][1] > start]
    published = ann.article.published
    if not golds:
        if any(len(known & set(m["participants"])) >= 2 for m in ann.gold["meetings"]):
            return  # perhaps a later mention of a gold meeting: no label
        out.trigger.add(trigger_features(c, ents, published), 0, ann.id)
        return
    gold = max(golds, key=lambda m: (len(known & set(m["participants"])), not m.get("optional")))
    if gold.get("optional"):
        return
    out.trigger.add(trigger_features(c, ents, published), 1, ann.id)
    for a in c.agents:
        out.participant.add(agent_features(c, a, ents), int(canon[a.key] in gold["participants"]), ann.id)
    statuses = [STATUS[s] for s in gold.get("status", []) if s in STATUS]
    if statuses:
        rule = c.rule.status if c.rule is not None else None
        out.status.add(status_features(c, published), rule if rule in statuses else statuses[0], ann.id)
