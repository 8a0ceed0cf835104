"""Frozen records passed between the stages; offsets always point into Article.text."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

ENTITY_TYPES = ("Person", "Organisation", "Place")
DELEGATION_HEAD = "head of delegation"  # the role of who leads a country's delegation: events count them in
MeetingKind = Literal["meeting", "phone", "video"]
MeetingStatus = Literal["Proposed", "Planned", "Held", "Cancelled", "Postponed"]


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    title: str | None = None
    published: date | None = None
    publisher: str | None = None
    url: str | None = None
    source: str = ""
    content_hash: str = ""


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class TimeValue:
    """A date at its stated granularity: 'date' (2025-05-02), 'gYearMonth' (2025-03) or 'gYear' (2025)."""
    value: str
    granularity: str


@dataclass(frozen=True)
class Mention:
    span: Span
    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, LOC, NORP, FAC
    name: str  # the text as a name: articles, possessives and titles stripped, aliases mapped


@dataclass(frozen=True)
class Entity:
    key: str  # local key, unique within the article
    type: str  # one of ENTITY_TYPES
    name: str  # canonical (most complete) name
    aliases: tuple[str, ...]
    mentions: tuple[Span, ...]
    strong: bool = False  # the type rests on more than the model's tags (a title, a gazetteer)


@dataclass(frozen=True)
class Role:
    member: str  # entity key
    organization: str | None  # entity key of the organisation, place or person the role is held in
    label: str
    evidence: Span  # the sentence


@dataclass(frozen=True)
class Meeting:
    participants: tuple[str, ...]
    kind: MeetingKind
    status: MeetingStatus
    location: str | None
    date: TimeValue | None
    evidence: tuple[Span, ...]  # sentences
    trigger: str
    confidence: float | None = None  # a learned decision's probability; None when the rules decided
    participant_confidence: tuple[float, ...] = ()  # one per participant, with a confidence
    round: int | None = None  # the negotiation round it names: rounds of one series are different events


@dataclass(frozen=True)
class Statement:
    speaker: str
    text: str
    direct: bool
    verb: str
    date: TimeValue | None
    about: tuple[str, ...]
    evidence: Span  # the sentence(s)
    text_span: Span
    cue: Span | None = None  # the reporting verb ("said", "according to"); None for a quote continued
    confidence: float | None = None  # a learned decision's probability that it is a statement
    speaker_confidence: float | None = None  # ... that the speaker is the one who said it


@dataclass(frozen=True)
class ArticleFacts:
    article: Article
    entities: tuple[Entity, ...] = ()
    roles: tuple[Role, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    statements: tuple[Statement, ...] = field(default=())
