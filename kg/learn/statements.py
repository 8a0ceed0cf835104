"""Training rows for the statement decisions: every statement the rules read in an annotated article,
labelled by the gold statement whose words it covers (the scorer's rule: it covers 60 % of the
gold's content words and they are 30 % of its own). One that covers no gold statement is no
statement; one that covers only an optional one is left out. For a statement that is one, each
speaker candidate is the speaker when it is one of the gold speaker's names."""
from __future__ import annotations



from spacy.tokens import Doc

from kg.extract.entities import Referents, resolve
from kg.extract.mentions import find_mentions
from kg.extract.quotes import find_quotes
from kg.extract.roles import extract_roles
from kg.extract.statement_features import speaker_candidates, speaker_features, statement_features
from kg.extract.statements import _rule_statements
from kg.learn.corpus import Annotated
from kg.learn.gold import GoldNames, norm
from kg.learn.meetings import Rows

STOP = set("a an the of and or to in on at for by with that this is are was were be been it its as from but not".split())


def tokens(text: str) -> set[str]:
    return {t for t in norm(text).split() if t not in STOP}


def covers(gold: str, ours: str) -> float:
    a, b = tokens(gold), tokens(ours)
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / len(a) if inter / len(b) >= 0.3 else 0.0


def statement_rows(docs: list[tuple[Doc, Annotated]]) -> tuple[Rows, Rows]:
    keep, speaker = Rows(), Rows()
    for doc, ann in docs:
        ents = resolve(doc, find_mentions(doc))
        roles = extract_roles(doc, ents)
        work = ents.working_copy()
        found = _rule_statements(doc, ann.article, work, roles)
        quotes = find_quotes(ann.article.text)
        refs = Referents(doc, work, roles, quotes)
        refs.observe_all()
        names = GoldNames(ann.gold)
        golds = [g for g in ann.gold["statements"] if g.get("text")]
        before = []
        for st in found:
            best = max(golds, key=lambda g: covers(g["text"], st.text), default=None)
            if best is None or covers(best["text"], st.text) < 0.6:
                keep.add(statement_features(doc, st, work, ann.article, quotes), 0, ann.id)
                before.append(st)
                continue
            if best.get("optional"):
                before.append(st)
                continue
            keep.add(statement_features(doc, st, work, ann.article, quotes), 1, ann.id)
            wanted = {norm(n) for n in best["speaker"]} | {norm(names.alias.get(norm(n), n)) for n in best["speaker"]}
            for c in speaker_candidates(doc, st, work, refs, before):
                e = work.entities.get(c.key)
                cnames = [e.name, *e.aliases] if e else [c.key]
                canon = names.canon(cnames)
                right = (canon is not None and norm(canon) in wanted) or any(norm(n) in wanted for n in cnames)
                speaker.add(speaker_features(doc, st, c, work, quotes), int(right), ann.id)
            before.append(st)
    return keep, speaker


__all__ = ["covers", "statement_rows"]
