"""Who said what: direct quotes and reported speech, each with its speaker and sentence.

A *cue* is a reporting verb with a speaker ("Peskov stressed", "he said", "according to the
Kremlin"). Its content is the clause it reports: after the verb ("X said that ...", "X told
the BBC: ...") or before it ("..., X said on Sunday."). Content that is mostly quoted words is
a direct statement (one per quote); otherwise the clause is an indirect statement. Quotes no cue
reaches continue the speaker of their paragraph (split and multi-paragraph quotes).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span as SpacySpan, Token

from kg.extract.limits import (ADJUNCT_WORDS, CHANNEL_REACH, CONTINUE_PARAGRAPHS, MIN_QUOTE_WORDS, MIN_WORDS, NEGATION_REACH,
                              QUOTED_SHARE, THAT_REACH, TITLE_WORDS)
from kg.extract.dates import find_dates
from kg.extract.lexicon import (CHANNEL_WORDS, NEGATORS, NOT_CONTENT_START, OBJECT_CONTENT_VERBS, OBJECT_WORDS, HONORIFICS, NEEDS_THAT, PRONOUNS_SINGULAR, REPORT_NOUNS, SPEAKER_VERB_GAP, TITLE_HEADS,
                      TITLE_MODIFIERS, VERB_LEMMA)
from kg.model import Article, Entity, Role, Span, Statement
from kg.extract.decisions import Models, load_models
from kg.extract.quotes import find_quotes, paragraphs, words
from kg.extract.statement_features import speaker_candidates, speaker_features, statement_features
from kg.extract.entities import Entities, Referents, inside
from kg.extract.mentions import text_of

QUOTE_TOKENS = {"”", "“", "\"", "''", "``"}
FINITE = {"VBD", "VBZ", "VBP", "MD"}


@dataclass(frozen=True)
class Cue:
    speaker: str
    verb: str
    verb_span: Span
    content: Span
    sentence: Span


def extract_statements(doc: Doc, article: Article, ents: Entities, roles: list[Role], *,
                       models: Models | None = None) -> tuple[list[Statement], dict[str, Entity]]:
    """The article's statements, and the unnamed sources ("aides", "the ministry's spokesman") that
    speak in them as entities of their own. On a parsed text the learned decisions (`models`,
    default the package's) keep or drop each statement the rules read and choose its speaker
    among the agents around it."""
    models = load_models() if models is None else models
    ents = ents.working_copy()
    found = _rule_statements(doc, article, ents, roles)
    if doc.has_annotation("DEP") and STATEMENT_MODELS <= set(models):
        refs = Referents(doc, ents, roles, find_quotes(article.text))
        found = decide_statements(doc, article, ents, refs, found, models)
    return found, {k: e for k, e in ents.introduced.items() if any(st.speaker == k for st in found)}


STATEMENT_MODELS = {"statement", "statement-speaker"}
SPEAKER_MARGIN = 0.2  # how much likelier than the rules' speaker another candidate must be to replace it


def _rule_statements(doc: Doc, article: Article, ents: Entities, roles: list[Role]) -> list[Statement]:
    """The statements the rules read, in text order, none inside another."""
    text = article.text
    quotes = find_quotes(text)
    refs = Referents(doc, ents, roles, quotes)
    cues: list[Cue] = []
    for sent in doc.sents:
        found = _cues_in(sent, refs, quotes)
        cues.extend(found)
        refs.observe(sent, skip=[(c.content.start, c.content.end) for c in found],
                     speakers=[(c.verb_span.start, c.speaker) for c in found if ents.of_type(c.speaker) == "Person"])
    out: list[Statement] = []
    covered: list[tuple[int, int]] = []
    for cue in cues:
        inner = [q for q in quotes if q[0] >= cue.content.start - 1 and q[1] <= cue.content.end + 1]
        quoted_words = sum(words(text[q[0]:q[1]]) for q in inner)
        covered.extend(inner)
        if inner and quoted_words >= QUOTED_SHARE * words(text[cue.content.start:cue.content.end]):
            if quoted_words >= 3:  # the quoted words are the statement: "A," he said, "B."
                st = _statement(article, ents, cue.speaker, Span(inner[0][0], inner[-1][1]), True, cue.verb,
                                cue.sentence, cue.verb_span)
                out.append(replace(st, text=" ".join(" ".join(text[a:b].split()) for a, b in inner)))
            continue
        if words(text[cue.content.start:cue.content.end]) >= MIN_WORDS:
            out.append(_statement(article, ents, cue.speaker, cue.content, False, cue.verb, cue.sentence,
                                  cue.verb_span))
    out = _continued_quotes(doc, article, ents, quotes, covered, out)
    seen: set[tuple[int, int]] = set()
    result = []
    for st in sorted(out, key=lambda s: (s.text_span.start, s.text_span.end)):
        if any(s0 <= st.text_span.start and st.text_span.end <= e0 for s0, e0 in seen):
            continue
        seen.add((st.text_span.start, st.text_span.end))
        result.append(st)
    return result


def decide_statements(doc: Doc, article: Article, ents: Entities, refs: Referents, found: list[Statement],
                      models: Models) -> list[Statement]:
    """The statements the learned decision keeps, each with the speaker it finds likeliest among the
    candidates and the probabilities of both."""
    refs.observe_all()
    quotes = refs.quotes
    keep, choose = models["statement"], models["statement-speaker"]
    out: list[Statement] = []
    for st in found:
        yes, p = keep.yes(statement_features(doc, st, ents, article, quotes))
        if not yes:
            continue
        scored = [(choose.probability(speaker_features(doc, st, c, ents, quotes)), c.how == "rule", c.key)
                  for c in speaker_candidates(doc, st, ents, refs, out)]
        q, _, speaker = max(scored)
        ruled = next(x for x in scored if x[1])
        if q < ruled[0] + SPEAKER_MARGIN:  # the rules' speaker stays unless another is clearly likelier
            q, _, speaker = ruled
        out.append(replace(st, speaker=speaker, confidence=keep.calibrated(p), speaker_confidence=choose.calibrated(q)))
    return out


# ---------------------------------------------------------------- cues
def _cues_in(sent: SpacySpan, refs: Referents, quotes: list[tuple[int, int]]) -> list[Cue]:
    doc = sent.doc
    cues: list[Cue] = []
    consumed_until = sent.start
    sent_span = Span(sent.start_char, _end_char(sent))
    for tok in sent:
        low = tok.lower_
        lemma = VERB_LEMMA.get(low)
        if (lemma is None and low != "according") or tok.i < consumed_until or inside(tok.idx, quotes):
            continue
        if low == "according" and tok.i + 2 < sent.end and doc[tok.i + 1].lower_ == "to":
            cue = _according_to(sent, tok, refs, sent_span)
            if cue:
                cues.append(cue)
            continue
        if lemma is None or (tok.pos_ and tok.pos_ not in {"VERB", "AUX", ""}):
            continue
        if any(doc[k].lower_ in NEGATORS for k in range(max(sent.start, tok.i - NEGATION_REACH), tok.i)):
            continue
        if lemma == "report" and cues:
            continue  # "..., X said on Thursday, reported Reuters": the wire is not the speaker
        if _is_participle(tok) and tok.i > sent.start and doc[tok.i - 1].lower_ in {",", "while", "by"}:
            cue = _participle(sent, tok, lemma, refs, sent_span, cues, quotes)
        else:
            cue = _speaker_before(sent, tok, lemma, refs, sent_span, quotes) or \
                _speaker_after(sent, tok, lemma, refs, sent_span)
        if cue:
            cues.append(cue)
            consumed_until = max(consumed_until, doc.char_span(cue.content.start, cue.content.end,
                                                               alignment_mode="expand").end
                                 if cue.content.start > tok.idx else tok.i + 1)
    return cues


def _participle(sent: SpacySpan, verb: Token, lemma: str, refs: Referents, sent_span: Span, cues: list[Cue],
                quotes: list[tuple[int, int]]) -> Cue | None:
    """'..., adding that CLAUSE': the speaker is the sentence's speaker or its first named subject."""
    speaker = cues[-1].speaker if cues else None
    if speaker is None:
        for tok in sent.doc[sent.start:verb.i]:
            if inside(tok.idx, quotes):
                continue
            key = refs.ents.at_token(tok) or refs.person_at(tok)
            if key:
                speaker = key
                break
    content = _content_after(sent, verb, lemma) if speaker else None
    if not content:
        return None
    return Cue(speaker, lemma, Span(verb.idx, verb.idx + len(verb.text)), content, sent_span)


def _end_char(sent: SpacySpan) -> int:
    """Where the sentence's text ends, past no trailing space or line break (read from the
    tokens: Doc.text joins the whole document anew on every access)."""
    i = sent.end - 1
    while i > sent.start and sent.doc[i].is_space:
        i -= 1
    last = sent.doc[i]
    return last.idx + len(last.text.rstrip(" \n"))


def _speaker_before(sent: SpacySpan, verb: Token, lemma: str, refs: Referents, sent_span: Span,
                    quotes: list[tuple[int, int]]) -> Cue | None:
    """'X (also) said (on Sunday) (that) CLAUSE' and '..., X said (on Sunday).'"""
    doc = sent.doc
    j = verb.i - 1
    while j >= sent.start and (doc[j].lower_ in SPEAKER_VERB_GAP):
        j -= 1
    # "The Kremlin on Monday signaled"
    if j - 1 >= sent.start and doc[j].ent_type_ == "DATE" and doc[j - 1].lower_ == "on":
        j -= 2
    if j < sent.start:
        return None
    found = refs.speaker_ending_at(j, sent.start)
    subject = _subject_of(verb)
    if found and subject is not None and subject.i < found[1] <= j <= subject.right_edge.i and \
            refs.ents.at_token(subject):
        # the name next to the verb is inside the apposition of a named subject ("Huber, head of
        # the Just Russia party, told"): the subject speaks
        found = refs.speaker_ending_at(subject.i, sent.start) or found
    if not found:
        found = refs.speaker_ending_at(subject.i, sent.start) if subject is not None else None
        if not found:
            return None
        f = found[1]
        right_after_quote = f - 1 >= sent.start and (doc[f - 1].text in QUOTE_TOKENS or (
            doc[f - 1].text == "," and f - 2 >= sent.start and doc[f - 2].text in QUOTE_TOKENS))
        if not right_after_quote:  # '"A," Huber, head of the party, told ...' keeps its quote
            found = (found[0], verb.i)  # the speaker is not next to the verb: no content before it
    speaker, first = found
    if lemma == "quote":
        return None  # "Harbour News quoted him as saying": the speaker comes after the verb
    if first - 1 == sent.start and doc[first - 1].lower_ == "as":  # "As X pointed out, CLAUSE"
        k = verb.i + 1
        while k < sent.end and doc[k].dep_ == "prt":
            k += 1
        k = _skip_audience_and_channel(doc, k, sent.end, lemma)  # "As Huber noted on Monday, ..."
        content = _clean_span(text_of(doc), doc[k].idx, _end_char(sent)) \
            if verb.i + 1 < k < sent.end and doc[k - 1].text == "," else None
        return Cue(speaker, lemma, Span(verb.idx, verb.idx + len(verb.text)), content, sent_span) if content else None
    after = _content_after(sent, verb, lemma)
    before = _content_before(sent, first, verb, quotes)
    after_quote = first > 0 and first - 1 >= sent.start - 1 and doc[first - 1].text in QUOTE_TOKENS
    if after and (words(text_of(doc)[after.start:after.end]) >= MIN_WORDS or before is None) and not (before and after_quote):
        return Cue(speaker, lemma, Span(verb.idx, verb.idx + len(verb.text)), after, sent_span)
    if before:
        return Cue(speaker, lemma, Span(verb.idx, verb.idx + len(verb.text)), before, sent_span)
    return None


def _subject_of(verb: Token) -> Token | None:
    """The parsed subject of the verb, or of the verb it is coordinated with ("X refused ... but said")."""
    for v in (verb, verb.head if verb.dep_ == "conj" else None):
        if v is None:
            continue
        for child in v.children:
            if child.dep_ in {"nsubj", "nsubjpass"} and child.i < verb.i:
                return child
    return None


def _speaker_after(sent: SpacySpan, verb: Token, lemma: str, refs: Referents, sent_span: Span) -> Cue | None:
    """'..., said Jane Doe.' and '..., Harbour News quoted him as saying.'"""
    doc = sent.doc
    k = verb.i + 1
    while k < sent.end and (doc[k].lower_ in HONORIFICS | TITLE_HEADS | TITLE_MODIFIERS | {"the"}) and \
            not refs.ents.at_token(doc[k]):
        k += 1
    j = k
    while j < sent.end and refs.ents.at_token(doc[j]):
        j += 1
        # "said Harbour Council press secretary Jane Doe": the person the titles lead to
        t = j
        while t < sent.end and (doc[t].lower_ in TITLE_HEADS | TITLE_MODIFIERS or doc[t].pos_ == "NOUN") and \
                not refs.ents.at_token(doc[t]):
            t += 1  # "said Ayotte campaign manager Jon Doe": past a title with a noun in it
        if t > j and t < sent.end and (key := refs.ents.at_token(doc[t])) \
                and refs.ents.of_type(key) == "Person":
            j = t
    if j == k and k < sent.end and doc[k].lower_ in PRONOUNS_SINGULAR | {"him", "her"}:
        j = k + 1
    if j == k:
        return None
    tail = [t for t in doc[j:sent.end] if not t.is_punct]
    if len(tail) > 6 and not (j < sent.end and doc[j].text in {",", "("}):  # an apposition describes the speaker
        return None
    last = doc[j - 1]
    speaker = refs.pronoun(last) if last.lower_ in {"he", "she", "him", "her"} else \
        refs.ents.at_token(last)
    if not speaker:
        return None
    start = verb.i
    if lemma != "say" and doc[verb.i - 1].text not in QUOTE_TOKENS | {","}:
        # "Harbour News agency quoted him as saying": the verb is after its own subject
        while start > sent.start and doc[start - 1].text not in QUOTE_TOKENS | {","}:
            start -= 1
    apposition = j < sent.end and doc[j].text in {",", "("}
    before = _content_before(sent, start, verb, refs.quotes, tail_from=sent.end if apposition else j)
    if not before:
        return None
    return Cue(speaker, lemma, Span(verb.idx, verb.idx + len(verb.text)), before, sent_span)


def _content_before(sent: SpacySpan, first: int, verb: Token, quotes: list[tuple[int, int]],
                    tail_from: int | None = None) -> Span | None:
    """The clause from the sentence start to the comma (or closing quote) before the speaker.
    The words after the cue (from `tail_from`) must be a short adjunct, not a clause."""
    doc = sent.doc
    i = first - 1
    # '“..., who knows?” Trump told ITV': the quote ended the sentence before
    ended = next((q for q in quotes if 0 <= doc[first].idx - q[1] <= 3), None) if i <= sent.start else None
    # '“...,” New York City Public Advocate Jane Doe said': past the capitalised title before the name
    while ended is None and i > sent.start and first - i <= TITLE_WORDS and doc[i].text not in QUOTE_TOKENS | {","} \
            and (doc[i].is_title or doc[i].ent_type_):
        i -= 1
    if ended is None and (i <= sent.start or doc[i].text not in QUOTE_TOKENS | {",", "—", "–"}):
        return None
    # the rest of the sentence after the verb must be a short adjunct, not a new clause
    tail = []
    for t in doc[verb.i + 1 if tail_from is None else tail_from:sent.end]:
        if t.text in {".", "!", "?"}:
            break  # a missed sentence break ("he wrote on X. He added ...")
        if t.text == "," and t.i + 1 < sent.end and (_is_participle(doc[t.i + 1]) or
                                                     VERB_LEMMA.get(doc[t.i + 1].lower_) == "report"):
            break  # ", noting that ...", ", reported Reuters": a cue of its own
        if not t.is_punct:
            tail.append(t)
    quoted = ended is not None or doc[i].text in QUOTE_TOKENS or (doc[i].text == "," and doc[i - 1].text in QUOTE_TOKENS)
    if (len(tail) > ADJUNCT_WORDS and not quoted) or \
            any((t.lower_ == "that" and t.tag_ != "DT") or (t.tag_ in FINITE and not quoted) for t in tail):
        return None  # "at that time" is an adjunct; "that ..." or a finite verb is a clause of its own
        # (after a closed quote, "... when asked how ties would fare" is still an adjunct)
    if ended is not None:
        return _clean_span(text_of(doc), *ended)
    opener = doc[sent.start]
    if opener.lower_.endswith("ing") or opener.lower_ == "asked":
        return None  # "Speaking to reporters, X said ...": a participle, not what was said
    if opener.lower_ in {"unlike", "when", "after", "following"} and \
            not any(t.tag_ in FINITE for t in doc[sent.start:i]):
        return None  # "After the talks, X said ...": a phrase; "After the visit, the envoys will go," X said: a clause
    start, end = sent.start_char, doc[i].idx
    if doc[i].text in QUOTE_TOKENS and i - 1 >= sent.start and doc[i - 1].text == ",":
        end = doc[i - 1].idx
    for qs, qe in quotes:
        if qs < start < qe:  # the quote began in an earlier sentence
            start = qs
    return _clean_span(text_of(doc), start, end)


def _content_after(sent: SpacySpan, verb: Token, lemma: str) -> Span | None:
    """The reported clause after the verb: past 'that', a colon, an audience ('told reporters')
    and a channel ('on Facebook', 'on Sunday'); up to the sentence end or ', adding that'."""
    doc = sent.doc
    k = verb.i + 1
    end = sent.end
    has_that = False
    while k < end and doc[k].dep_ == "prt":  # "pointed out"
        k += 1
    # the parse's clausal complement opened by 'that', however long the phrase before it
    # ("admitted in an interview with a broadcaster this week that ...")
    marks = [t for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i
             for t in c.children if t.dep_ == "mark" and t.lower_ == "that" and t.i < c.i]
    if marks and marks[0].i < min(end, k + THAT_REACH):
        has_that, k = True, marks[0].i + 1
    # skip audience and channel: at most 8 tokens before 'that' or ':'
    for m in range(k, min(end, k + CHANNEL_REACH) if not has_that else k):
        if doc[m].lower_ == "that" or doc[m].text == ":":
            has_that = True
            k = m + 1
            break
        if not (doc[m].lower_ in OBJECT_WORDS | CHANNEL_WORDS or doc[m].ent_type_ or doc[m].text == ","
                or doc[m].text[:1].isupper() and doc[m].i > verb.i + 1):
            break
    if not has_that:
        if lemma in NEEDS_THAT:
            return None
        k = _skip_audience_and_channel(doc, verb.i + 1, end, lemma)
    # a participle opens no content when it reports in its own right (", adding that ...") or
    # follows a comma; "said having the city on board was important" is what was said
    if k >= end:
        return None
    gerund_clause = _is_participle(doc[k]) and doc[k - 1].text != "," and doc[k].lower_ not in VERB_LEMMA
    if not has_that and (doc[k].lower_ in NOT_CONTENT_START or (_is_participle(doc[k]) and not gerund_clause)):
        return None
    if not has_that and lemma not in OBJECT_CONTENT_VERBS and doc.has_annotation("TAG") and \
            not any(t.tag_ in FINITE for t in doc[k:end]):
        return None
    clause = verb
    while clause.dep_ == "conj":
        clause = clause.head
    if clause.dep_ == "advcl" and clause.head.i > verb.i:
        end = min(end, verb.right_edge.i + 1)  # "While critics argue that X, the minister ...": X only
    # stop before a following participle that reports more ("..., adding that ..."), and before a
    # clause with a cue of its own ("... as he declared ...", "... while saying ...")
    for m in range(k + 1, end - 1):
        if doc[m].lower_ in {"as", "while"} and any(VERB_LEMMA.get(t.lower_) for t in doc[m + 1:min(end, m + 4)]):
            end = m
            break
        if doc[m].text == "," and doc[m + 1].lower_ in {"adding", "noting", "saying", "stressing", "insisting",
                                                        "warning", "arguing", "explaining", "claiming"}:
            end = m
            break
        if doc[m].text == "," and m + 2 < end and doc[m + 1].ent_type_ and \
                VERB_LEMMA.get(doc[m + 2].lower_) == "report":
            end = m  # "..., Harbour Daily reports via Coast TV."
            break
    return _clean_span(text_of(doc), doc[k].idx, doc[end - 1].idx + len(doc[end - 1].text))


def _is_participle(tok: Token) -> bool:
    return tok.tag_ == "VBG" or (not tok.tag_ and tok.lower_.endswith("ing") and tok.lower_ in VERB_LEMMA)


def _skip_audience_and_channel(doc: Doc, k: int, end: int, lemma: str) -> int:
    """Past 'told reporters', 'told the BBC', 'on Sunday', 'on Facebook' to where the clause starts."""
    if lemma in {"tell", "ask", "assure", "warn"}:
        while k < end and (doc[k].lower_ in OBJECT_WORDS or doc[k].ent_type_ in {"ORG", "PERSON", "GPE", "NORP"}) \
                and doc[k].lower_ not in {"he", "she", "they", "we", "it", "i"}:
            k += 1
    while k < end:
        # a prepositional phrase whose object is a date or a name: "on Sunday", "on Facebook"
        if doc[k].lower_ in CHANNEL_WORDS and k + 1 < end:
            j = k + 1
            while j < end and doc[j].lower_ in {"the", "a", "his", "her", "their"}:
                j += 1
            e = j
            while e < end and (doc[e].ent_type_ or doc[e].text[:1].isupper()) and doc[e].lower_ not in {"he", "she", "i"}:
                e += 1
            if e > j:
                k = e
                continue
        if doc[k].ent_type_ in {"DATE", "TIME"}:
            k += 1
            continue
        break
    if k < end and doc[k].text in {",", ":"}:
        k += 1
    return k


def _according_to(sent: SpacySpan, tok: Token, refs: Referents, sent_span: Span) -> Cue | None:
    doc = sent.doc
    j = _past_article(doc, tok.i + 2, sent.end)
    # "according to a new report by Harbour News": the source is the report's author
    k = _past_article(doc, j, sent.end, adjectives=True)
    if k + 1 < sent.end and doc[k].lemma_.lower() in REPORT_NOUNS and doc[k + 1].lower_ in {"by", "from", "of", "in"}:
        j = _past_article(doc, k + 2, sent.end)
    e = j
    while e < sent.end and (refs.ents.at_token(doc[e])
                            or doc[e].lower_ in TITLE_HEADS | TITLE_MODIFIERS):
        e += 1
    if e == j:
        return None
    speaker = None
    for m in range(e - 1, j - 1, -1):
        speaker = refs.ents.at_token(doc[m]) or \
            (refs.role_noun(doc[m]) if doc[m].lower_ in TITLE_HEADS else None)
        if speaker:
            break
    if not speaker:
        return None
    if tok.i == sent.start or doc[tok.i - 1].text in {"(", "—"}:
        if e < sent.end and doc[e].text == ",":
            content = _clean_span(text_of(doc), doc[e + 1].idx, _end_char(sent))
        else:
            return None
    else:
        content = _clean_span(text_of(doc), sent.start_char, doc[tok.i - 1].idx)
    if content is None:
        return None
    return Cue(speaker, "according to", Span(tok.idx, doc[tok.i + 1].idx + 2), content, sent_span)


def _past_article(doc: Doc, j: int, end: int, *, adjectives: bool = False) -> int:
    """The first token from j on that is not an article (or, with `adjectives`, an adjective)."""
    while j < end and (doc[j].lower_ in {"the", "a", "an"} or (adjectives and doc[j].pos_ == "ADJ")):
        j += 1
    return j


def _clean_span(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start] in " ,:;—–-\n":
        start += 1
    while end > start and text[end - 1] in " ,.;:—–-\n":
        end -= 1
    if end - start < 3:
        return None
    return Span(start, end)


# ---------------------------------------------------------------- quotes without a cue
def _continued_quotes(doc: Doc, article: Article, ents: Entities, quotes: list[tuple[int, int]],
                      covered: list[tuple[int, int]], found: list[Statement]) -> list[Statement]:
    """Quotes no cue reaches. In the paragraph of a direct quote they continue it ("A," he said.
    "B."); a paragraph that opens with a quote continues the last speaker of the paragraphs before."""
    text = article.text
    paras = paragraphs(text)
    known = sorted(found, key=lambda s: s.text_span.start)
    for q in quotes:
        if q in covered or words(text[q[0]:q[1]]) < MIN_QUOTE_WORDS:
            continue
        p = next((i for i, (s, e) in enumerate(paras) if s <= q[0] < e), None)
        if p is None:
            continue
        ps, pe = paras[p]
        prior = [s for s in known if ps <= s.text_span.start < q[0]]
        ends_quoted = prior and any(abs(e - prior[-1].text_span.end) <= 2 for _s, e in quotes)
        # a split quote with one cue is one statement: "A," said X, who ... "B."
        if prior and (prior[-1].direct or ends_quoted) and 0 < q[0] - prior[-1].text_span.end:
            last = prior[-1]
            merged = replace(last, text=last.text + " " + " ".join(text[q[0]:q[1]].split()),
                             text_span=Span(last.text_span.start, q[1]),
                             evidence=Span(last.evidence.start, max(last.evidence.end, q[1])))
            known[known.index(last)] = merged
            continue
        if not prior and text[ps:q[0]].strip(" “\"'`") == "":
            for back in range(p - 1, max(p - 1 - CONTINUE_PARAGRAPHS, -1), -1):
                prev_s, prev_e = paras[back]
                prior = [s for s in known if prev_s <= s.text_span.start < prev_e]
                if prior:
                    break
        if not prior:
            continue
        last = prior[-1]
        sent = doc.char_span(q[0], q[0] + 1, alignment_mode="expand")
        sentence = Span(sent.sent.start_char, _end_char(sent.sent)) if sent is not None else Span(q[0], q[1])
        known.append(_statement(article, ents, last.speaker, Span(*q), True, last.verb, sentence))
        known.sort(key=lambda s: s.text_span.start)
    return known


def _statement(article: Article, ents: Entities, speaker: str, content: Span, direct: bool, verb: str,
               sentence: Span, cue: Span | None = None) -> Statement:
    text = article.text
    about = tuple(sorted({k for s, e, k in ents.within(content.start, content.end) if k != speaker}))
    sentence = Span(min(sentence.start, content.start), max(sentence.end, content.end))
    date = None
    outside = text[sentence.start:content.start] + " " * (content.end - content.start) + text[content.end:sentence.end]
    for _s, _e, tv in find_dates(outside, article.published):
        date = tv
        break
    return Statement(speaker=speaker, text=" ".join(text[content.start:content.end].split()), direct=direct,
                     verb=verb, date=date, about=about, evidence=sentence, text_span=content, cue=cue)
