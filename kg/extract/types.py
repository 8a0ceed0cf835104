"""The learned decision of an entity's type, over the evidence of all its mentions in the article.

The rules vote a type from the model's tags, titles, the gazetteer and organisation words
(kg.extract.entities); the decision weighs those votes with what surrounds each mention (the
words before and after it, "in"/"at", a title, a possessive), the words of the name and its shape,
and gives Person, Organisation or Place, or None for a name that is no entity at all (a byline,
a widget word). A type changes, and a name that is no entity goes (unless the rules typed it by
strong evidence), only when the decision is sure of it (`SURE`).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from spacy.tokens import Doc

from kg.extract.decisions import Models, bucket
from kg.extract.entities import Entities
from kg.extract.lexicon import COUNTRIES, HONORIFICS, ORG_WORDS, ORGANISATIONS, TITLE_HEADS
from kg.extract.meeting_features import word
from kg.model import Entity

SURE = 0.8  # the learned type replaces the rules' only at this probability
TYPES = ("Person", "Organisation", "Place")


def type_features(doc: Doc, e: Entity) -> dict[str, float]:
    f = {"bias": 1.0, f"rule={e.type}": 1.0, f"strong={e.strong}": 1.0, f"rule|strong={e.type}|{e.strong}": 1.0,
         f"mentions={bucket(len(e.mentions))}": 1.0}
    words = e.name.split()
    f[f"words={bucket(len(words))}"] = 1.0
    f[f"last={words[-1].casefold() if words[-1].casefold() in ORG_WORDS else 'other'}"] = 1.0
    f["country"] = float(e.name in COUNTRIES)
    f["organisation_list"] = float(e.name in ORGANISATIONS)
    f["all_caps"] = float(e.name.isupper() and len(e.name) > 1)
    f["has_digit"] = float(any(ch.isdigit() for ch in e.name))
    f[f"suffix={words[-1][-3:].casefold()}"] = 1.0
    labels: Counter = Counter()
    for span in e.mentions:
        s = doc.char_span(span.start, span.end, alignment_mode="expand")
        if s is None or not len(s):
            continue
        labels[s[0].ent_type_ or "none"] += 1
        before = doc[s.start - 1] if s.start > 0 else None
        after = doc[s.end] if s.end < len(doc) else None
        if before is not None:
            f[f"before={word(before)}"] = 1.0
            f["title_before"] = max(f.get("title_before", 0.0), float(before.lower_ in TITLE_HEADS | HONORIFICS))
        if after is not None:
            f[f"after={word(after)}"] = 1.0
        f[f"dep={s.root.dep_}"] = 1.0
        f[f"head={s.root.head.lemma_.lower() if s.root.head.pos_ in {'VERB', 'ADP'} else s.root.head.pos_}"] = 1.0
    total = sum(labels.values()) or 1
    for label, n in labels.items():
        f[f"tag={label}"] = n / total
    return f


def retype(doc: Doc, ents: Entities, models: Models) -> Entities:
    """The entities with the types the learned decision is sure of."""
    model = models.get("entity-type")
    if model is None or not doc.has_annotation("DEP"):
        return ents
    changed, dropped = {}, set()
    for key, e in ents.entities.items():
        if e.type not in TYPES:
            continue
        best, p = model.best(type_features(doc, e))
        if best == "None" and p >= SURE and not e.strong:
            dropped.add(key)  # a name that is no entity: a byline, a widget word, a headline fragment
        elif best in TYPES and best != e.type and p >= SURE:
            changed[key] = replace(e, type=best)
    if not changed and not dropped:
        return ents
    kept = {k: v for k, v in {**ents.entities, **changed}.items() if k not in dropped}
    return Entities(kept, [s for s in ents.spans if s[2] not in dropped],
                    {i: k for i, k in ents.by_token.items() if k not in dropped})
