"""Who met or spoke with whom, where, when, and whether it happened.

A trigger is a meeting noun ("summit", "talks", "phone call") or verb ("met", "spoke by
phone"). Participants come from its clause: the subject of a meeting verb, the object or
"with"/"between" phrase after it, names joined to it ("Putin-Trump summit", "Witkoff's visit"),
and plural references to the last meeting's participants ("the two leaders"). The status comes
from the words around it; one meeting is kept per distinct event in the article.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Doc, Token

from kg.extract.decisions import Models, load_models
from kg.extract.entities import Entities, Referents
from kg.extract.lexicon import MEETING_CANDIDATES, MEETING_NOUNS, VERB_LEMMA
from kg.extract.meeting_features import (Candidate, agent_features, agents_in, status_features, with_prior,
                                         trigger_features)
from kg.extract.meeting_rules import (TRIGGER_WORDS, Clause, Mention, dates_of, is_trigger, kind_of,
                                      not_an_event, read, round_of, setting)
from kg.extract.quotes import find_quotes
from kg.model import Article, Entity, Meeting, Role, Span, Statement


Decide = Callable[[Candidate], Mention | None]


def extract_meetings(doc: Doc, article: Article, ents: Entities, roles: list[Role], *,
                     models: Models | None = None, statements: Iterable[Statement] = ()) -> tuple[list[Meeting], dict[str, Entity]]:
    """The article's meetings, and the countries that take part only through their capital or
    their officials ("talks between Washington and Pyongyang", "Iranian officials"). The learned
    decisions (`models`, default the package's) weigh the rules' candidates on a parsed text; the
    rules decide alone without them or without a parse. The direct `statements` say who "we" and
    "I" are in quoted words."""
    models = load_models() if models is None else models
    voices = [(st.text_span.start, st.text_span.end, st.speaker) for st in statements
              if st.direct and st.speaker in ents.entities]
    ents = ents.working_copy()
    if doc.has_annotation("DEP") and MODELS <= set(models):
        found = list(candidates(doc, article, ents, roles, lambda c: decide(c, models, ents, article), voices=voices))
    else:
        found = list(candidates(doc, article, ents, roles, lambda c: c.rule, rules_only=True, voices=voices))
    # "the meeting on the sidelines of the Harbour Summit" names where, not with whom: a name
    # ending in a meeting noun is the event, and a lone organisation is no meeting
    out = []
    held: dict[str, set[str]] = defaultdict(set)
    for r in roles:
        if r.organization:
            held[r.member].add(r.organization)
    for m in _merge(found, learned=bool(found) and found[0].confidence is not None, ents=ents, held=held):
        who = tuple(p for p in m.participants if p not in ents.entities or
                    ents.entities[p].name.split()[-1].lower() not in MEETING_NOUNS)
        if len(who) > 1 or (who and ents.of_type(who[0]) != "Organisation"):
            out.append(replace(m, participants=who, participant_confidence=tuple(
                m.participant_confidence[m.participants.index(p)] for p in who) if m.participant_confidence else ()))
    return out, {k: e for k, e in ents.introduced.items() if any(k in m.participants for m in out)}


def candidates(doc: Doc, article: Article, ents: Entities, roles: list[Role], choose: Decide, *,
               rules_only: bool = False, seen: list[Candidate] | None = None,
               voices: Iterable[tuple[int, int, str]] = ()) -> Iterator[Mention]:
    """The meetings `choose` keeps among the article's candidates, in text order: every trigger word
    with the rules' reading of it (only the rules' triggers with `rules_only`) and the sentence's
    agents. An earlier choice is what a later plural reference ("the two leaders") takes up.
    `seen` collects every candidate (for training)."""
    refs = Referents(doc, ents, roles, [], voices)
    refs.observe_all()
    quotes = find_quotes(article.text)
    found: list[Mention] = []
    for sent in doc.sents:
        agents = None
        for tok in sent:
            if tok.lower_ not in CANDIDATE_WORDS or ((rules_only or tok.lower_ in RULED_WORDS) and not is_trigger(tok)):
                continue
            rule = read(tok, sent, article, ents, roles, refs, found) if is_trigger(tok) else None
            if rules_only:
                m = rule
            else:
                agents = agents_in(sent, ents, refs, []) if agents is None else agents
                c = Candidate(tok, sent, Clause.of(tok, sent), rule, with_prior(agents, found, rule), quotes)
                if seen is not None:
                    seen.append(c)
                m = choose(c)
            if m is not None:
                found.append(m)
                yield m


MODELS = {"meeting", "meeting-participant", "meeting-status"}
LEARNED_NEW = 0.5  # a candidate the rules did not read as a meeting needs at least this probability
SELF_REFERENCES = {"he", "she", "i", "we", "his", "her", "my", "our", "him", "me", "us"}
CUED = {"called off", "cue"}  # the rules' status decided by a word of the status lists (kg/extract/words)
CANDIDATE_WORDS = TRIGGER_WORDS | MEETING_CANDIDATES
RULED_WORDS = {"call", "calls", "called", "calling", "hold", "holds", "held"}  # "called off", "on hold": the
# rules know when these are no meeting, and the corpus has too few of them to learn it


def decide(c: Candidate, models: Models, ents: Entities, article: Article) -> Mention | None:
    """The learned reading of a candidate, with the rules where they are surer: whether it is a
    meeting is learned (a reading of the rules with its own place, date or cancel word and two
    participants is kept); the participants are the rules' when they found two or more, else
    learned; the status is learned unless a word of the status lists decided it (cancel, postpone,
    plan, proposal: some too rare in the corpus to learn). The rules give the kind, place and dates. Chosen by cross-validation on
    the training part and dev-news (docs/learning.md)."""
    if not_an_event(c.tok, c.clause):
        return None  # "the talks have stalled": the process, not a meeting (the rules know it)
    keep, p = models["meeting"].yes(trigger_features(c, ents, article.published))
    sure_rule = c.rule is not None and c.rule.explicit and len(c.rule.participants) >= 2
    if (not keep or (c.rule is None and p < LEARNED_NEW)) and not sure_rule:
        return None
    chooser = models["meeting-participant"]
    decided = {a.key: chooser.yes(agent_features(c, a, ents)) for a in c.agents}
    sure = {k: q for k, (_, q) in decided.items()}
    chosen = [k for k, (yes, _) in decided.items() if yes]
    if c.rule is not None and len(c.rule.participants) >= 2:
        chosen = list(c.rule.participants)
    status, _ = models["meeting-status"].best(status_features(c, article.published))
    if c.rule is not None and c.rule.status_by in CUED:
        status = c.rule.status  # a cancel, postpone, plan or proposal word decided it
    parts, location, window = setting(c.tok, c.clause, chosen, ents)
    if not parts:
        return None
    sentence = Span(c.sent.start_char, c.sent.end_char)
    return Mention(c.tok, parts, kind_of(c.tok, c.sent), status, location,
                   dates_of(c.tok, window, article.published, status), sentence, True,
                   plural=c.tok.lower_ in {"talks", "rounds", "meetings", "summits", "negotiations"},
                   confidence=models["meeting"].calibrated(p),
                   sure={k: chooser.calibrated(sure[k]) if k in sure else models["meeting"].calibrated(p)
                         for k in parts})


def _merge(found: list[Mention], learned: bool, ents: Entities, held: dict[str, set[str]] | None = None) -> list[Meeting]:
    """One meeting per event. Rules' readings: the same participants, kind and status class
    (future, held, cancelled) and no conflicting date or place; a meeting whose participants are a
    subset of another's merges into it. Learned readings: the same kind and status class,
    participants that overlap by half or more (Jaccard) and no conflicting date or place; the surest
    reading gives the participants and the status, and a meeting needs two participants (one alone is
    no meeting the annotators count). In one sentence, a visit to a country and a meeting with
    someone who holds a role in it are one ("Putin will visit India for a summit with Prime Minister
    Modi"): the person's reading gives the participants (`held`: person -> the organisations and
    places of their roles). Plural triggers with several dates are one meeting per date."""
    same, absorb = (_overlapping, _absorb_surer) if learned else (_same_event, _absorb_wider)
    held = held or {}
    out: list[Mention] = []
    for m in (x for m in found for x in _per_date(m)):
        m.round = m.round or round_of(m.trigger)
        m.participants = _without_reporter(m.trigger, m.participants, ents)
        target = next((o for o in out if (same(o, m) or _visit_and_host(o, m, held)) and
                       not (o.round and m.round and o.round != m.round)), None)
        if target is None:
            out.append(m)
            continue
        hosts = target.participants if _through(m.participants, target.participants, held) else \
            m.participants if _through(target.participants, m.participants, held) else None
        absorb(target, m)
        target.participants = list(hosts) if hosts is not None else target.participants
        target.location = target.location or m.location
        target.dates = target.dates or m.dates
        target.round = target.round or m.round
        target.extra.append(m.sentence)
    return [Meeting(participants=tuple(m.participants), kind=m.kind, status=m.status, location=m.location,
                    date=m.dates[0] if m.dates else None, evidence=tuple(sorted({m.sentence, *m.extra})),
                    trigger=m.trigger.text.lower(), confidence=m.confidence,
                    participant_confidence=tuple(m.sure.get(p, m.confidence) for p in m.participants)
                    if m.confidence is not None else (), round=m.round)
            for m in out if len(m.participants) >= 2 or not learned and (m.location or m.dates)]


def _without_reporter(tok: Token, participants: list[str], ents: Entities) -> list[str]:
    """Without who reports the meeting ("No date has been set for the summit between Putin and
    Trump, Peskov said"): the subject of a reporting verb above the trigger, when two others remain."""
    if any(t.lower_ in SELF_REFERENCES and t.head.i in (tok.i, tok.head.i) for t in tok.sent):
        return participants  # "Trump said he would meet Putin": the reporter may take part
    reporters = {ents.at_token(c) for a in tok.ancestors if VERB_LEMMA.get(a.lower_) for c in a.children
                 if c.dep_ == "nsubj"}
    kept = [p for p in participants if p not in reporters]
    return kept if len(kept) >= 2 else participants


def _visit_and_host(a: Mention, b: Mention, held: dict[str, set[str]]) -> bool:
    """One sentence's visit to a country and meeting with someone of that country, of one kind and
    status class, with no conflicting date or place."""
    if a.sentence != b.sentence or a.kind != b.kind or _status_class(a.status) != _status_class(b.status):
        return False
    if a.dates and b.dates and a.dates[0] != b.dates[0] or a.location and b.location and a.location != b.location:
        return False
    return _through(a.participants, b.participants, held) or _through(b.participants, a.participants, held)


def _through(country_side: list[str], person_side: list[str], held: dict[str, set[str]]) -> bool:
    """The second names, instead of the one place or organisation only the first has, people who
    hold a role in it: {Putin, India} and {Putin, Modi} with Modi India's prime minister."""
    only_a, only_b = set(country_side) - set(person_side), set(person_side) - set(country_side)
    return len(only_a) == 1 and bool(only_b) and bool(set(country_side) & set(person_side)) and \
        all(next(iter(only_a)) in held.get(y, ()) for y in only_b)


def _per_date(m: Mention) -> list[Mention]:
    return [replace(m, dates=[d]) for d in m.dates] if m.plural and len(m.dates) > 1 else [replace(m, dates=m.dates[:1])]


def _absorb_wider(target: Mention, m: Mention) -> None:
    """A rules' reading into the one it repeats: the longer list of participants, a plan over a proposal."""
    if len(m.participants) > len(target.participants):
        target.participants = list(dict.fromkeys(m.participants + target.participants))
    if m.confidence is not None:
        target.confidence = max(target.confidence or 0.0, m.confidence)
        _sure(target, m)
    if target.status == "Proposed" and m.status == "Planned":
        target.status = "Planned"


def _absorb_surer(target: Mention, m: Mention) -> None:
    """A learned reading into the one it repeats: the surer one's participants and status, unless the
    other names every participant it does and more ("The two leaders met ... Their talks were")."""
    if (m.confidence or 0.0) > (target.confidence or 0.0):
        if not set(target.participants) > set(m.participants):
            target.participants = m.participants
        target.status, target.confidence = m.status, m.confidence
    elif set(m.participants) > set(target.participants):
        target.participants = m.participants
    _sure(target, m)


def _sure(target: Mention, m: Mention) -> None:
    target.sure = {k: max(target.sure.get(k, 0.0), m.sure.get(k, 0.0)) for k in {*target.sure, *m.sure}}


def _overlapping(a: Mention, b: Mention) -> bool:
    pa, pb = set(a.participants), set(b.participants)
    if a.kind != b.kind or len(pa & pb) < 0.5 * len(pa | pb) or _status_class(a.status) != _status_class(b.status):
        return False
    if a.dates and b.dates and a.dates[0] != b.dates[0]:
        return False
    return not (a.location and b.location and a.location != b.location)


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
