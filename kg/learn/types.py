"""Training rows for the entity-type decision: every entity the rules find in an annotated article,
labelled with the type of the gold entity it is (by the scorer's name matching), or "None" when it
matches none (a name that is no entity); entities matching an optional gold entity are left out."""
from __future__ import annotations

from spacy.tokens import Doc

from kg.extract.entities import resolve
from kg.extract.mentions import find_mentions
from kg.extract.types import TYPES, type_features
from kg.learn.corpus import Annotated
from kg.learn.gold import GoldNames
from kg.learn.meetings import Rows

GOLD_TYPE = {"Person": "Person", "Organisation": "Organisation", "GPE": "Place"}


def type_rows(docs: list[tuple[Doc, Annotated]]) -> Rows:
    rows = Rows()
    for doc, ann in docs:
        ents = resolve(doc, find_mentions(doc))
        names = GoldNames(ann.gold)
        gold = {e["name"]: e for e in ann.gold["entities"]}
        for e in ents.entities.values():
            if e.type not in TYPES:
                continue
            canon = names.canon([e.name, *e.aliases])
            if canon is None:
                rows.add(type_features(doc, e), "None", ann.id)
            elif not gold[canon].get("optional") and gold[canon].get("type") in GOLD_TYPE:
                rows.add(type_features(doc, e), GOLD_TYPE[gold[canon]["type"]], ann.id)
    return rows
