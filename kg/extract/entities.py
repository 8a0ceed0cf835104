"""Mentions -> entities within one article: names grouped, types decided by evidence across mentions."""
from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from kg.extract.limits import APPOSITION_REACH, FAMILY_REACH, LONGEST_MENTION, STRONG, SUBJECT_REACH
from kg.extract.lexicon import (COUNTRIES, DEMONYMS, FAMILY_WORDS, GENERIC_ROLE_NOUNS, HONORIFICS, INSTITUTION_NOUNS, LEADER_TITLES, NOT_ROLES, ORG_WORDS, ORGANISATIONS, PRONOUNS_SINGULAR,
                      SOURCE_MODIFIERS, SOURCE_NOUNS, TITLE_HEADS, TITLE_MODIFIERS)
from kg.extract.mentions import text_of
from kg.extract.names import name_key, without_initials
from kg.model import ENTITY_TYPES, Entity, Mention, Role, Span

LABEL_TYPE = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Place", "LOC": "Place", "FAC": "Place"}


@dataclass
class Entities:
    """The article's entities and where each is mentioned, for the extractors to look up. An
    extractor that names an entity no mention gives (an unnamed source, a country acting through
    its capital) adds it to its own working copy and hands it back with its facts."""
    entities: dict[str, Entity]
    spans: list[tuple[int, int, str]]  # (start, end, key) sorted by start
    by_token: dict[int, str] = field(default_factory=dict)  # token index -> at() of its characters
    introduced: dict[str, Entity] = field(default_factory=dict)  # what was added to this copy

    def working_copy(self) -> Entities:
        return Entities(dict(self.entities), self.spans, self.by_token)

    def index_tokens(self, doc: Doc) -> None:
        """Look at() up once for each token a mention covers: the rules ask it of tokens all the time."""
        for s, e, _key in self.spans:
            span = doc.char_span(s, e, alignment_mode="expand")
            for tok in span if span is not None else ():
                if tok.i not in self.by_token and (key := self.at(tok.idx, tok.idx + len(tok.text))):
                    self.by_token[tok.i] = key

    def at_token(self, tok: Token) -> str | None:
        """The entity whose mention overlaps the token's characters, if any (after index_tokens)."""
        return self.by_token.get(tok.i)

    def at(self, start: int, end: int) -> str | None:
        """The entity whose mention overlaps [start, end), if any."""
        i = bisect.bisect_right(self.spans, (end, -1, "")) - 1
        while i >= 0:
            s, e, key = self.spans[i]
            if e > start and s < end:
                return key
            if e <= start and s < start - LONGEST_MENTION:
                break
            i -= 1
        return None

    def within(self, start: int, end: int) -> list[tuple[int, int, str]]:
        lo = bisect.bisect_left(self.spans, (start, -1, ""))
        out = []
        for s, e, key in self.spans[lo:]:
            if s >= end:
                break
            if e <= end:
                out.append((s, e, key))
        return out

    def of_type(self, key: str) -> str:
        return self.entities[key].type

    def add_agent(self, name: str, span: Span) -> str:
        """An unnamed source of this article ("aides", "the Clinton campaign"): a speaker, not a
        named entity, so it is never linked across articles."""
        key = f"Agent:{name.casefold()}"
        old = self.entities.get(key)
        mentions = tuple(sorted({*old.mentions, span})) if old else (span,)
        self.entities[key] = self.introduced[key] = Entity(key=key, type="Agent", name=old.name if old else name,
                                                           aliases=(), mentions=mentions)
        return key


    def add_place(self, name: str) -> str:
        """A country the text refers to only through its capital ("talks between Washington and
        Pyongyang"): an entity with no mention of its own."""
        key = f"Place:{name}"
        if key not in self.entities:
            self.entities[key] = self.introduced[key] = Entity(key=key, type="Place", name=name, aliases=(),
                                                               mentions=(), strong=True)
        return key


def resolve(doc: Doc, mentions: list[Mention]) -> Entities:
    """Group mentions into entities: exact names, then short names into the one longer person
    name they end or start ("Putin" -> "Vladimir Putin"); the type with the most evidence wins."""
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        groups[name_key(m.name) or m.name.casefold()].append(m)
    parent = {k: k for k in groups}
    variants: dict[str, list[str]] = defaultdict(list)
    for k in groups:
        if without_initials(k) != k:
            variants[without_initials(k)].append(k)
    for plain, vs in variants.items():  # "Donald J. Trump" beside "Donald Trump"; not two Bushes
        if plain in groups and len(vs) == 1:
            parent[vs[0]] = plain
    names = {k: v[0].name for k, v in groups.items()}
    for short, full in _acronyms(doc, groups, names).items():  # "the Northern Defence League (NDL)"
        if parent[short] == short:
            parent[short] = full
    votes = {k: _votes(doc, v) for k, v in groups.items()}
    long_people = [k for k in groups if len(k.split()) >= 2 and votes[k]["Person"] > 0
                   and votes[k]["Person"] >= max(votes[k]["Organisation"], votes[k]["Place"])]
    for k in long_people:  # "Ali Rezaei" in an article that names "Mohammad Ali Rezaei"
        longer = [p for p in long_people if p != k and p.endswith(" " + k)]
        if len(longer) == 1:
            parent[k] = longer[0]
    for k in groups:
        toks = k.split()
        if len(toks) != 1 or names[k] in COUNTRIES or names[k] in ORGANISATIONS:
            continue
        # the surname last ("Trump") or first, as Korean and Chinese names put it ("Kim", "Xi"): when
        # the article has both ("Tony Kim", "Kim Jong Un"), the one it names more often
        last = [p for p in long_people if p.split()[-1] == toks[0]]
        first = [p for p in long_people if p.split()[0] == toks[0] and votes[k]["Person"] > 0]
        hits = last or first
        if last and first:
            weight = {h: sum(len(groups[g]) for g in groups if _root(parent, g) == _root(parent, h))
                      for h in last + first}
            top = max(weight.values())
            hits = [h for h in last + first if weight[h] == top]
        if hits and _named_before(doc, groups[k], [m for h in hits for m in groups[h]]):
            continue  # a surname long before "his wife Mary Smith" is someone the reader already knows
        if len({_root(parent, h) for h in hits}) == 1:
            parent[k] = _root(parent, hits[0])
    clusters: dict[str, list[str]] = defaultdict(list)
    for k in groups:
        clusters[_root(parent, k)].append(k)
    entities: dict[str, Entity] = {}
    spans: list[tuple[int, int, str]] = []
    for members in clusters.values():
        total: Counter = Counter()
        for k in members:
            total.update(votes[k])
        # evidence beyond the model's tags (a title, a gazetteer, an organisation word) outranks the tags
        etype = max(ENTITY_TYPES, key=lambda t: (total[t + "!"] > 0, total[t], -ENTITY_TYPES.index(t)))
        ms = [m for k in members for m in groups[k]]
        freq = Counter(m.name for m in ms)
        canonical = max(freq, key=lambda n: (len(n.split()), freq[n], len(n), n))
        key = f"{etype}:{canonical}"
        # surface forms are names too ("Kiev" for Kyiv), but a demonym ("Russian") is not
        texts = {m.text for m in ms if m.text.casefold() not in DEMONYMS}
        aliases = tuple(sorted(({m.name for m in ms} | texts) - {canonical}))
        entities[key] = Entity(key=key, type=etype, name=canonical, aliases=aliases,
                               mentions=tuple(sorted(m.span for m in ms)),
                               strong=total[etype + "!"] > 0)
        spans.extend((m.span.start, m.span.end, key) for m in ms)
    spans += _repeat_mentions(doc, entities, spans)
    spans.sort()
    final = {}
    for key, e in entities.items():
        extra = tuple(Span(s, e2) for s, e2, k in spans if k == key)
        final[key] = Entity(key=e.key, type=e.type, name=e.name, aliases=e.aliases,
                            mentions=tuple(sorted(set(extra))), strong=e.strong)
    out = Entities(final, spans)
    out.index_tokens(doc)
    return out


def _acronyms(doc: Doc, groups: dict[str, list[Mention]], names: dict[str, str]) -> dict[str, str]:
    """acronym key -> full name key, for a name followed by its initials in parentheses: "the
    Northern Defence League (NDL)", "the Coastal Workers' Union (CWU)"."""
    text = text_of(doc)
    by_start = {m.span.start: k for k, ms in groups.items() for m in ms}
    out: dict[str, str] = {}
    for k, ms in groups.items():
        initials = "".join(w[0] for w in re.findall(r"[A-Za-z][\w'’-]*", names[k])
                           if w[0].isupper() and w.lower() not in {"of", "the", "and", "for"})
        if len(initials) < 2:
            continue
        for m in ms:
            after = re.match(r"\s*\(\s*([A-Z]{2,6})\s*\)", text[m.span.end:m.span.end + 12])
            short = after and by_start.get(m.span.end + after.start(1))
            if short and short != k and after.group(1) == initials.upper():
                out[short] = k
    return out


def _named_before(doc: Doc, short: list[Mention], full: list[Mention]) -> bool:
    """Is the full name a relative introduced after the surname was already used alone ("Trump ...",
    then "his wife Mary Smith"; "Jones said ...", then "Jones's mother, Ann Jones")? Then the
    surname is someone else (the headline line does not count)."""
    first_line = text_of(doc).find("\n")
    first = min(full, key=lambda m: m.span.start)
    if not any(first_line < m.span.start < first.span.start for m in short):
        return False
    tok = doc.char_span(first.span.start, first.span.end, alignment_mode="expand")
    return tok is not None and any(t.lower_ in FAMILY_WORDS for t in doc[max(0, tok.start - FAMILY_REACH):tok.start])


def _repeat_mentions(doc: Doc, entities: dict[str, Entity], spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Occurrences of an entity's names that the model did not tag ("Trump commented")."""
    names: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for key, e in entities.items():
        forms = {e.name, *e.aliases}
        if e.type == "Person" and len(e.name.split()) >= 2:
            forms.add(e.name.split()[-1])  # the surname alone: "Mr. Rubio said"
        for n in forms:
            if n[:1].isupper() and (len(n) >= 3 or (len(n) == 2 and n.isupper())):  # "EU", "UN" too
                names[tuple(n.split())].add(key)
    taken = [False] * len(doc)
    for s, e, _k in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                taken[i] = True
    longest = max((len(k) for k in names), default=0)
    texts = [t.text for t in doc]
    firsts = {k[0] for k in names}
    out = []
    i = 0
    while i < len(doc):
        hit = None
        for n in range(min(longest, len(doc) - i), 0, -1) if texts[i] in firsts else ():
            keys = names.get(tuple(texts[i:i + n]))
            if keys and len(keys) == 1 and not any(taken[i:i + n]):
                hit = (n, next(iter(keys)))
                break
        if hit:
            n, key = hit
            out.append((doc[i].idx, doc[i + n - 1].idx + len(doc[i + n - 1].text), key))
            i += n
        else:
            i += 1
    return out


def _root(parent: dict[str, str], k: str) -> str:
    while parent[k] != k:
        k = parent[k]
    return k


def _votes(doc: Doc, ms: list[Mention]) -> Counter:
    """Evidence for each type; a key with '!' marks evidence beyond the model's tag."""
    v: Counter = Counter()
    for m in ms:
        t = LABEL_TYPE.get(m.label)
        if t:
            v[t] += 2 if t == "Person" and len(m.name.split()) > 1 else 1
        if m.name in COUNTRIES:
            v["Place"] += STRONG; v["Place!"] += 1
        last = m.name.split()[-1].casefold()
        if m.name in ORGANISATIONS or last in ORG_WORDS:
            v["Organisation"] += STRONG; v["Organisation!"] += 1
        before = _token_before(doc, m.span.start)
        if before and (before in TITLE_HEADS | NOT_ROLES or before in HONORIFICS) and m.name not in COUNTRIES:
            v["Person"] += 3; v["Person!"] += 1
        elif before in TITLE_MODIFIERS and before not in {"white", "house", "state"}:
            v["Person"] += 1
    return v


def _token_before(doc: Doc, char: int) -> str | None:
    tok = doc.char_span(char, char + 1, alignment_mode="expand")
    if tok is None or tok.start == 0:
        return None
    prev = doc[tok.start - 1]
    return prev.lower_


def inside(pos: int, quotes: list[tuple[int, int]]) -> bool:
    """Is `pos` inside one of the quotes (sorted, not overlapping, as find_quotes gives them)?"""
    i = bisect.bisect_right(quotes, (pos, float("inf"))) - 1
    return i >= 0 and quotes[i][0] <= pos < quotes[i][1]


UNNAMED = ""  # a subject that is a person no name gives
PERSON_NOUNS = TITLE_HEADS | GENERIC_ROLE_NOUNS | {"politician", "man", "woman"}


class Referents:
    """Who a pronoun or a role noun ("the spokesman", "the Ukrainian president") refers to."""

    def __init__(self, doc: Doc, ents: Entities, roles: list[Role], quotes: list[tuple[int, int]],
                 voices: Iterable[tuple[int, int, str]] = ()) -> None:
        self.doc, self.ents, self.roles, self.quotes = doc, ents, roles, quotes
        self.voices = sorted(voices)  # (start, end, speaker) of the quoted words a speaker says
        self.salient: list[tuple[int, str]] = []  # (char offset, person key), in text order
        self.has_parse = doc.has_annotation("DEP")

    def observe(self, sent, skip: list[tuple[int, int]] = (), speakers: list[tuple[int, str]] = ()) -> None:
        """Note the sentence's subjects (outside quotes and reported clauses) and its speakers as
        what a later pronoun may refer to. Sentences must be observed in text order."""
        found: list[tuple[int, str]] = list(speakers)
        owners: list[tuple[int, str]] = []  # "Smith's visit to Lyon, where he ...": with no subject, the owner
        for tok in sent:
            key = self.person_at(tok)
            if key is None or inside(tok.idx, self.quotes) or any(s <= tok.idx < e for s, e in skip):
                continue
            if not self.has_parse or self._is_subject(tok):
                found.append((tok.idx, key))
                if not self.has_parse:
                    break
            elif tok.dep_ == "poss" or (tok.dep_ == "compound" and tok.head.dep_ == "poss"):
                owners.append((tok.idx, key))
        for item in sorted(set(found or owners[:1])):
            if not self.salient or item[0] > self.salient[-1][0]:
                self.salient.append(item)

    def observe_all(self) -> None:
        for sent in self.doc.sents:
            self.observe(sent)

    def person_at(self, tok: Token) -> str | None:
        key = self.ents.at_token(tok)
        if key and self.ents.of_type(key) == "Person":
            return key
        if tok.lower_ in TITLE_HEADS and tok.i > 0:
            return self.role_noun(tok)
        return None

    def role_noun(self, head: Token) -> str | None:
        """'the (Kremlin|Ukrainian) spokesman' -> the article's person holding that title."""
        i = head.i - 1
        org = None
        while i >= head.sent.start and self.doc[i].lower_ in TITLE_MODIFIERS | TITLE_HEADS:
            i -= 1
        if i >= head.sent.start:
            k = self.ents.at_token(self.doc[i])
            if k and self.ents.of_type(k) != "Person":
                org, i = k, i - 1
                while i >= head.sent.start and self.ents.at(self.doc[i].idx, self.doc[i].idx + 1) == k:
                    i -= 1
        if i < head.sent.start or self.doc[i].lower_ not in {"the", "this", "that"}:
            return None
        word = head.lower_
        fits = [r for r in self.roles if (word in r.label.split() or word in GENERIC_ROLE_NOUNS
                                          or (word == "leader" and r.label in {"president", "prime minister"})
                                          or (word.startswith("spokes") and "spokes" in r.label))
                and (org is None or r.organization == org)]
        if not fits:
            return None
        members = {r.member for r in fits}
        if len(members) == 1:
            return members.pop()
        return self.latest_before(head.idx, members)

    def latest_before(self, pos: int, allowed: set[str] | None = None) -> str | None:
        best = None
        for at, key in self.salient:
            if at >= pos:
                break
            if allowed is None or key in allowed:
                best = key
        return best

    def pronoun(self, tok: Token, *, unnamed_stops: bool = False) -> str | None:
        """The subject before it in its own sentence ("Smith, though she praised the plan, ..."),
        else the latest salient person before it. `unnamed_stops`: no one when the nearest subject is
        a person no name gives ("the politician ..., where he will meet": not the reporter before)."""
        outside = (lambda t: None if inside(t.idx, self.quotes) else self.person_at(t))
        if not inside(tok.idx, self.quotes) and (key := self._subject_before(tok, outside)) is not None:
            if key or unnamed_stops:
                return key or None
        return self.latest_before(tok.idx)

    def voice(self, tok: Token) -> str | None:
        """'"I will meet him," Trump said': who speaks the quoted words the token is in; a "we" only
        when a leader says it ("We canceled the meeting," Trump said), not a spokesman or an aide,
        whose "we" is his side."""
        key = next((key for s, e, key in self.voices if s <= tok.idx < e), None)
        if key is not None and tok.lower_ in {"we", "us", "our"} and \
                not any(r.member == key and r.label in LEADER_TITLES for r in self.roles):
            return None
        return key

    def it(self, tok: Token) -> str | None:
        """'The ministry said it would ...': the organisation or country that is a subject before
        it in its own sentence."""
        def named(t: Token) -> str | None:
            key = self.ents.at_token(t)
            return key if key and self.ents.of_type(key) in {"Organisation", "Place"} else None
        return self._subject_before(tok, named)

    def _subject_before(self, tok: Token, referent) -> str | None:
        """The nearest subject before tok in its sentence that `referent` maps to an entity (read
        token by token back to the sentence start: Token.sent would scan the whole sentence)."""
        if not self.has_parse or tok.is_sent_start:
            return None
        doc = tok.doc
        for i in range(tok.i - 1, max(-1, tok.i - 1 - SUBJECT_REACH), -1):
            t = doc[i]
            if self._is_subject(t) and (key := referent(t)):
                return key
            if self._is_subject(t) and t.pos_ == "NOUN" and t.lower_ in PERSON_NOUNS and tok.lower_ in {"he", "she"}:
                return UNNAMED  # "the politician will visit Malaysia, where he will meet": someone no name gives
            if t.is_sent_start:
                break
        return None

    @staticmethod
    def _is_subject(tok: Token) -> bool:
        return tok.dep_ in {"nsubj", "nsubjpass"} or (tok.dep_ == "compound" and tok.head.dep_ in {"nsubj", "nsubjpass"})

    def speaker_ending_at(self, j: int, lo: int) -> tuple[str, int] | None:
        """The speaker whose phrase ends at token j: (entity key, first token of the phrase).
        Skips a parenthesis or apposition after the name ("Rep. X (D-N.Y.), chair of ..., said");
        an unnamed source ("aides", "the prime minister's spokesman") becomes an article agent."""
        doc = self.doc
        if j < lo:
            return None
        if doc[j].text == ")":
            k = j
            while k > lo and doc[k].text != "(":
                k -= 1
            if doc[k].text == "(" and k - 1 >= lo:
                return self.speaker_ending_at(k - 1, lo)
            return None
        if doc[j].text == ",":
            # "Rachel Berg, a philanthropist from Monsey, New York, said": the nearest person
            # among the comma-separated phrases, else the nearest named agent
            candidates = []
            for k in range(j, max(lo, j - APPOSITION_REACH) - 1, -1):
                if doc[k].text in {",", "("} and k - 1 >= lo:
                    found = self._phrase_ending_at(k - 1, lo)
                    if found:
                        candidates.append(found)
            people = [c for c in candidates if self.ents.of_type(c[0]) == "Person"]
            return (people or candidates or [None])[0]
        return self._phrase_ending_at(j, lo)

    def _country_owner(self, i: int, j: int) -> str | None:
        """'South Korea's military': the country whose institution speaks."""
        doc = self.doc
        for k in range(i, j):
            if doc[k + 1].text in {"'s", "’s"}:
                key = self.ents.at_token(doc[k])
                if key and self.ents.of_type(key) == "Place" and self.ents.entities[key].name in COUNTRIES:
                    return key
        return None

    def _phrase_ending_at(self, j: int, lo: int) -> tuple[str, int] | None:
        doc = self.doc
        tok = doc[j]
        if tok.text == ")":
            return self.speaker_ending_at(j, lo)
        if tok.lower_ in PRONOUNS_SINGULAR:
            key = self.pronoun(tok)
            return (key, j) if key else None
        key = self.ents.at_token(tok)
        if key:
            i = j
            while i - 1 >= lo and (self.ents.at_token(doc[i - 1]) is not None
                                   or doc[i - 1].lower_ in TITLE_HEADS | TITLE_MODIFIERS | HONORIFICS
                                   | {"the", "'s", "’s"}):
                i -= 1
            return key, i
        if tok.lower_ in TITLE_HEADS:
            key = self.role_noun(tok)
            if key:
                i = j
                while i - 1 >= lo and doc[i - 1].text != "," and doc[i - 1].lower_ != "the":
                    i -= 1
                return key, i - 1 if i - 1 >= lo and doc[i - 1].lower_ == "the" else i
        if tok.lower_ in SOURCE_NOUNS:
            i = j
            while i - 1 >= lo and (doc[i - 1].lower_ in SOURCE_MODIFIERS or doc[i - 1].ent_type_ in {"NORP", "ORG", "GPE", "PERSON"}
                                   or doc[i - 1].text in {"'s", "’s"} or doc[i - 1].pos_ == "ADJ"):
                i -= 1
            if i - 1 >= lo and doc[i - 1].lower_ in {"the", "a", "an", "one", "two", "several", "some", "many"}:
                i -= 1
            country = self._country_owner(i, j) if tok.lower_ in INSTITUTION_NOUNS else None
            if country:
                return country, i
            owner = self.ents.at_token(doc[j - 1]) if j - 1 >= lo else None
            if owner and self.ents.of_type(owner) == "Organisation":
                return owner, i  # "Interior Ministry officials", "Harbour News agency": the organisation speaks
            words = [t.text for t in doc[i:j + 1] if t.lower_ not in {"the", "a", "an"}]
            return self.ents.add_agent(" ".join(words).replace(" 's", "'s").replace(" ’s", "’s"),
                                       Span(doc[i].idx, tok.idx + len(tok.text))), i
        return None
