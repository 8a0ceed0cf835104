"""kg.extract.nlp.parse: the pipeline over a stream of texts, here or in a child process a batch or two
ahead; the same docs either way, and a failing text or a dying child costs only its own articles."""
from __future__ import annotations

import multiprocessing as mp
import os

import pytest
from spacy.language import Language

import kg.extract.nlp as nlp_module
from kg.extract.nlp import blank, parse

TEXTS = [f"Vladimir Putin met Donald Trump in Geneva on day {i}.\n\nPeskov said it went well {i}." for i in range(7)]


@Language.component("test_trouble")
def trouble(doc):
    if "BOOM" in doc.text:
        raise ValueError("cannot parse this one")
    if "KILL" in doc.text:
        os._exit(3)  # the process dies as an out-of-memory kill would end it
    return doc


@pytest.fixture
def troubled(nlp):
    pipe = blank([{"label": "PERSON", "pattern": p} for p in ("Vladimir Putin", "Donald Trump", "Peskov")])
    pipe.add_pipe("test_trouble")
    return pipe


@pytest.fixture
def child(monkeypatch):
    """parse(workers >= 1) in child processes even where the test runner has other threads, on any machine."""
    monkeypatch.setattr(nlp_module, "_can_fork", lambda: True)
    monkeypatch.setattr(nlp_module, "_cores", lambda: 2)


def _view(doc):
    return [t.text for t in doc], [(e.text, e.label_) for e in doc.ents], [s.text for s in doc.sents]


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_child_processes_give_the_docs_this_process_gives(nlp, child, workers):
    items = [(t, i) for i, t in enumerate(TEXTS)]
    here = list(parse(nlp, items, batch_size=2, workers=0))
    there = list(parse(nlp, items, batch_size=2, workers=workers))
    assert [c for _d, c in there] == list(range(len(TEXTS)))  # in order, past the batches sent ahead
    assert [_view(d) for d, _c in there] == [_view(d) for d, _c in here]
    assert ("Vladimir Putin", "PERSON") in _view(there[0][0])[1]
    assert _view(there[0][0])[2][-1] == "Peskov said it went well 0."  # the blank line still ends a sentence


@pytest.mark.parametrize("workers", [0, 1, 2])
def test_a_text_the_pipeline_fails_on_gives_its_reason_and_the_batch_goes_on(troubled, child, workers):
    texts = ["Peskov spoke.", "BOOM goes this one.", "Donald Trump left."]
    out = list(parse(troubled, [(t, t) for t in texts], batch_size=3, workers=workers))
    assert [c for _d, c in out] == texts
    assert out[1][0] == "NLP failed (ValueError: cannot parse this one)"
    assert [[e.text for e in d.ents] for d, _c in (out[0], out[2])] == [["Peskov"], ["Donald Trump"]]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_child_that_dies_fails_its_batch_and_a_new_one_parses_the_rest(troubled, child, workers):
    texts = ["Peskov spoke 0.", "Peskov spoke 1.", "KILL the process 2.", "Peskov spoke 3.", "Donald Trump 4.",
             "Peskov spoke 5.", "Peskov spoke 6.", "Peskov spoke 7.", "Peskov spoke 8."]
    out = list(parse(troubled, [(t, i) for i, t in enumerate(texts)], batch_size=2, workers=workers))
    assert [c for _d, c in out] == list(range(len(texts)))
    failed = [c for d, c in out if isinstance(d, str)]
    assert failed == [2, 3]  # the batch the child died on; the batches sent ahead of it are parsed again
    assert "the NLP process ended (exit code 3)" in out[2][0]
    assert [e.text for e in out[4][0].ents] == ["Donald Trump"]
    assert not mp.active_children()


def test_stopping_early_stops_the_child(nlp, child):
    stream = parse(nlp, [(t, i) for i, t in enumerate(TEXTS)], batch_size=1, workers=1)
    next(stream)
    assert mp.active_children()
    stream.close()
    assert not mp.active_children()


@pytest.mark.parametrize("workers", [1, 2])
def test_with_other_threads_running_the_pipeline_stays_in_this_process(nlp, workers):
    import threading
    release = threading.Event()
    other = threading.Thread(target=release.wait)  # as a server's threads would be
    other.start()
    try:
        stream = parse(nlp, [(t, i) for i, t in enumerate(TEXTS)], batch_size=1, workers=workers)
        next(stream)
        assert not mp.active_children()  # no fork of a threaded process
        assert len(list(stream)) == len(TEXTS) - 1
    finally:
        release.set()
        other.join()


def test_a_process_that_stops_early_exits_with_texts_still_queued_for_the_child(tmp_path):
    # texts larger than a pipe's buffer are still queued when the child is killed: exiting must not
    # wait to hand them to a process that is gone
    import subprocess
    import sys
    script = tmp_path / "early.py"
    script.write_text(
        "import kg.extract.nlp as m\n"
        "m._can_fork = lambda: True\n"
        "m._cores = lambda: 2\n"
        "stream = m.parse(m.blank(), [('Peskov spoke. ' * 40_000, i) for i in range(6)], batch_size=1, workers=1)\n"
        "next(stream)\n"
        "stream.close()\n")
    done = subprocess.run([sys.executable, str(script)], timeout=60, capture_output=True, text=True,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("text, tokens", [
    ("a barrier to U.S.-China trade talks", ["U.S.", "-", "China"]),
    ("the U.S. is big", ["U.S.", "is"]),  # an abbreviation alone stays one token
])
def test_nlp_a_hyphen_after_an_abbreviation_splits_two_names(text, tokens):
    from kg.extract.nlp import blank
    words = [t.text for t in blank()(text)]
    assert any(words[i:i + len(tokens)] == tokens for i in range(len(words)))
