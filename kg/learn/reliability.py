"""Is a stated confidence right? Every meeting, participant, statement and speaker the learned
decisions extract from annotated articles, with its confidence and whether the gold agrees (the
scorer's matching: a meeting whose participants overlap a gold meeting's by half, a statement
covering a gold statement's words, a participant or speaker that is the gold one), binned."""
from __future__ import annotations

from dataclasses import dataclass, field

from kg.learn.corpus import Annotated
from kg.learn.gold import GoldNames, norm
from kg.learn.statements import covers
from kg.model import ArticleFacts

BINS = (0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


@dataclass
class Judged:
    """(confidence, right) pairs per kind of fact."""
    pairs: dict[str, list[tuple[float, bool]]] = field(default_factory=dict)

    def add(self, kind: str, confidence: float | None, right: bool) -> None:
        if confidence is not None:
            self.pairs.setdefault(kind, []).append((confidence, right))

    def table(self, kind: str) -> list[tuple[str, int, float]]:
        """(bin, facts, share right) for each bin with facts."""
        out = []
        for lo, hi in zip(BINS, BINS[1:]):
            inside = [r for c, r in self.pairs.get(kind, []) if lo <= c < hi]
            if inside:
                out.append((f"{lo:.1f}–{min(hi, 1.0):.1f}", len(inside), sum(inside) / len(inside)))
        return out


def judge(facts: ArticleFacts, ann: Annotated, judged: Judged) -> None:
    names = GoldNames(ann.gold)
    by_key = {e.key: e for e in facts.entities}

    def canon(key: str) -> str | None:
        e = by_key.get(key)
        return names.canon([e.name, *e.aliases]) if e else None

    golds = [m for m in ann.gold["meetings"]]
    for m in facts.meetings:
        parts = {canon(p) or p for p in m.participants}
        best = max(golds, key=lambda g: _jaccard(parts, set(g["participants"])), default=None)
        right = best is not None and _jaccard(parts, set(best["participants"])) >= 0.5
        if right and best.get("optional"):
            continue
        judged.add("meeting", m.confidence, right)
        for p, sure in zip(m.participants, m.participant_confidence):
            judged.add("participant", sure, right and canon(p) in best["participants"])
    for st in facts.statements:
        best = max(ann.gold["statements"], key=lambda g: covers(g.get("text") or "", st.text), default=None)
        right = best is not None and covers(best.get("text") or "", st.text) >= 0.6
        if right and best.get("optional"):
            continue
        judged.add("statement", st.confidence, right)
        if right:
            wanted = {names.alias.get(norm(n), n) for n in best["speaker"]} | set(best["speaker"])
            judged.add("speaker", st.speaker_confidence, canon(st.speaker) in wanted)


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0
