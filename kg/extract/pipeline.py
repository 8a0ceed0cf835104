"""The readable flow: an article's Doc -> its entities, roles, meetings and statements."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from kg.extract.decisions import Models, load_models
from kg.extract.meetings import extract_meetings
from kg.extract.types import retype
from kg.extract.mentions import find_mentions
from kg.model import Article, ArticleFacts
from kg.extract.entities import resolve
from kg.extract.roles import extract_roles
from kg.extract.statements import extract_statements


def extract(doc: Doc, article: Article, models: Models | None = None) -> ArticleFacts:
    """All facts of one article. Entities first; the extractors read them and the roles, and hand
    back the entities their facts need beyond the named ones: unnamed sources that speak, countries
    that meet through their capital or their officials."""
    models = load_models() if models is None else models
    ents = retype(doc, resolve(doc, find_mentions(doc)), models)
    roles = extract_roles(doc, ents)
    statements, sources = extract_statements(doc, article, ents, roles, models=models)
    meetings, countries = extract_meetings(doc, article, ents, roles, models=models, statements=statements)
    entities = {**ents.entities, **sources, **countries}
    return ArticleFacts(
        article=article,
        entities=tuple(entities[k] for k in sorted(entities)),
        roles=tuple(roles),
        meetings=tuple(meetings),
        statements=tuple(statements),
    )


def extract_docs(docs: Iterable[tuple[Doc | str, Article]]) -> Iterator[tuple[Article, ArticleFacts | str]]:
    """(article, its facts) for each (doc, article); a failure is the reason, not an exception, so
    that one article never stops a batch (here, in a process pool or on a cluster worker). A reason
    in place of the doc (kg.extract.nlp.parse) is passed on."""
    for doc, article in docs:
        if isinstance(doc, str):
            yield article, doc
            continue
        try:
            yield article, extract(doc, article)
        except Exception as e:  # noqa: BLE001 — any failure is this article's
            yield article, f"extraction failed ({type(e).__name__}: {e})"
