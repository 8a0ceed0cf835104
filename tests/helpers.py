"""Small builders shared by the tests."""
from __future__ import annotations

from datetime import date

from kg.clean import to_article
from kg.mentions import find_mentions
from kg.model import Article
from kg.resolve import Entities, resolve
from kg.roles import extract_roles
from kg.sources import Record


def article(text: str, published: date | None = date(2025, 5, 7), article_id: str = "t1") -> Article:
    return Article(id=article_id, text=text, published=published, content_hash="h-" + article_id)


def analyse(nlp, text: str, published: date | None = date(2025, 5, 7)):
    """(article, doc, entities, roles) for a text run through `nlp`."""
    art = article(text, published)
    doc = nlp(art.text)
    ents = resolve(doc, find_mentions(doc))
    return art, doc, ents, extract_roles(doc, ents)


def name_of(ents: Entities, key: str) -> str:
    return ents.entities[key].name


def record(text: str, rid: str = "r1", kind: str = "text", **meta) -> Record:
    return Record(id=rid, kind=kind, body=text, source=f"{rid}.txt", meta=meta)


def clean(text: str, **meta) -> Article:
    return to_article(record(text, **meta))
