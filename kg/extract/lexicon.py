"""The knowledge the extractors use, read from the data files in kg/extract/words/: one entry a line
(`#` starts a comment), and for tables a key, a tab, then its value. Titles, reporting verbs,
meeting words and status cues, name stop-words, places and organisations the model gets wrong."""
from __future__ import annotations

from functools import cache
from importlib.resources import files

WORDS = files("kg") / "extract" / "words"


def _lines(name: str) -> list[str]:
    text = (WORDS / f"{name}.txt").read_text(encoding="utf-8")
    return [line.split("#", 1)[0].rstrip() for line in text.splitlines() if line.split("#", 1)[0].strip()]


@cache
def words(name: str) -> frozenset[str]:
    """The entries of words/NAME.txt."""
    return frozenset(line.strip() for line in _lines(name))


@cache
def table(name: str) -> dict[str, str]:
    """words/NAME.txt as key -> value (a tab between them), in file order."""
    out = {}
    for line in _lines(name):
        key, sep, value = line.partition("\t")
        if not sep:
            raise ValueError(f"kg/extract/words/{name}.txt: no tab in {line!r}")
        out[key.strip()] = value.strip()
    return out


# ---------------------------------------------------------------- roles
TITLE_HEADS = words("title-heads")
TITLE_MODIFIERS = words("title-modifiers")
TITLE_PHRASES = words("title-phrases")
NOT_ROLES = words("not-roles")
GENERIC_ROLE_NOUNS = words("generic-role-nouns")
TITLE_ABBREVIATIONS = table("title-abbreviations")
ROLE_SYNONYMS = table("role-synonyms")
ORDINALS = {w: int(n) for w, n in table("ordinals").items()}

# ---------------------------------------------------------------- statements
REPORTING_VERBS: dict[str, tuple[str, ...]] = {lemma: tuple(forms.split()) for lemma, forms in
                                               table("reporting-verbs").items()}
VERB_LEMMA: dict[str, str] = {form: lemma for lemma, forms in REPORTING_VERBS.items() for form in forms}
NEEDS_THAT = words("needs-that")
SPEAKER_VERB_GAP = words("speaker-verb-gap")
CHANNEL_WORDS = words("channel-words")
PRONOUNS_SINGULAR = words("pronouns-singular")
HONORIFICS = words("honorifics")
SOURCE_NOUNS = words("source-nouns")
SOURCE_MODIFIERS = words("source-modifiers")
REPORT_NOUNS = words("report-nouns")
OBJECT_CONTENT_VERBS = words("object-content-verbs")
NOT_CONTENT_START = words("not-content-start")
NEGATORS = words("negators")
OBJECT_WORDS = words("object-words")
INSTITUTION_NOUNS = words("institution-nouns")
FAMILY_WORDS = words("family-words")

# ---------------------------------------------------------------- meetings
MEETING_NOUNS = words("meeting-nouns")
MEETING_VERBS = words("meeting-verbs")
MEETING_CANDIDATES = words("meeting-candidates")
PHONE_WORDS = words("phone-words")
VIDEO_WORDS = words("video-words")
STATUS_CUES: dict[str, frozenset[str]] = {status: words(f"status-{status.lower()}")
                                          for status in ("Cancelled", "Postponed", "Planned", "Proposed")}
HELD_CUES = words("held-cues")
BOUNDARIES = words("clause-boundaries")
RIGHT_STOPS = words("partner-stops")
PARTNER_PREPS = words("partner-prepositions")
HOLD_VERBS = words("hold-verbs")
HOST_VERBS = words("host-verbs")
ACCOMPANY_VERBS = words("accompany-verbs")
TRAVEL_WORDS = words("travel-words")
DELEGATION_NOUNS = words("delegation-nouns")
COUNTED_WORDS = words("counted-words")
PLURAL_REFS = frozenset(tuple(pair.split()) for pair in words("plural-references"))
NOT_MEETING_AFTER = words("not-meeting-after")
NOT_MEETING_BEFORE = words("not-meeting-before")
OBJECT_PRONOUNS = words("object-pronouns")
PERSON_PLURALS = words("person-plurals")
LEADER_TITLES = words("leader-titles")
TRIGGER_MODIFIERS = words("trigger-modifiers")
NOT_VENUE_BEFORE = words("not-venue-before")
NOT_EVENT_CUES = words("not-event-cues")

# ---------------------------------------------------------------- places and organisations
NAME_ALIASES = table("name-aliases")
DEMONYMS = table("demonyms")
PARTY_ADJECTIVES = table("party-adjectives")
COUNTRIES = words("countries")
ORGANISATIONS = words("organisations")
ORG_WORDS = words("org-words")
PARTY_PLURALS = words("party-plurals")
NOT_ENTITIES = words("not-entities")
