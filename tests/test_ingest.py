"""Ingest into the store: idempotent, order-independent, atomic per article, deterministic exports."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from kg.config import Config
from kg.ingest import ingest
from kg.stores import EmbeddedStore

ARTICLES = {
    "a-short": "Putin said the talks in Geneva were useful. Putin added that more meetings would follow soon.",
    "b-full": ("Russian President Vladimir Putin met French President Emmanuel Macron in Paris on Friday. "
               "Kremlin spokesman Dmitry Peskov said the meeting lasted three hours."),
    "c-peskov": "Peskov stressed that the Kremlin was open to dialogue with Paris and Washington about the war.",
}


def _write(folder: Path, names) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for n in names:
        p = folder / f"{n}.txt"
        p.write_text(ARTICLES[n])
        out.append(str(p))
    return out


def _config(tmp_path, name) -> Config:
    return Config.load(env={}, store=str(tmp_path / name))


def _dump(config: Config, fmt="nquads") -> bytes:
    buf = io.BytesIO()
    EmbeddedStore(config.store, config.base_iri).export(fmt, buf)
    return buf.getvalue()


def test_ingest_same_input_gives_byte_identical_exports(nlp, tmp_path):
    files = _write(tmp_path / "in", ARTICLES)
    c1, c2 = _config(tmp_path, "s1"), _config(tmp_path, "s2")
    ingest(files, c1, nlp=nlp)
    ingest(files, c2, nlp=nlp)
    for fmt in ("nquads", "trig", "turtle"):
        assert _dump(c1, fmt) == _dump(c2, fmt) != b""


def test_ingest_order_does_not_change_the_graph(nlp, tmp_path):
    forward = _write(tmp_path / "in", ["a-short", "b-full", "c-peskov"])
    c1, c2 = _config(tmp_path, "fwd"), _config(tmp_path, "rev")
    for f in forward:
        ingest([f], c1, nlp=nlp)
    for f in reversed(forward):
        ingest([f], c2, nlp=nlp)
    assert _dump(c1) == _dump(c2)
    people = EmbeddedStore(c1.store, c1.base_iri).ox.query(
        "SELECT ?n WHERE { GRAPH ?g { ?p a <https://w3id.org/newskg/ns#Person> ; <https://schema.org/name> ?n } }")
    assert sorted(r["n"].value for r in people) == ["Dmitry Peskov", "Emmanuel Macron", "Vladimir Putin"]


def test_ingest_again_adds_nothing_and_skips_unchanged(nlp, tmp_path):
    files = _write(tmp_path / "in", ARTICLES)
    c = _config(tmp_path, "s")
    first = ingest(files, c, nlp=nlp)
    before = _dump(c)
    second = ingest(files, c, nlp=nlp)
    assert (first.articles, second.articles, second.skipped) == (3, 0, 3)
    assert _dump(c) == before


def test_ingest_changed_article_replaces_its_graph(nlp, tmp_path):
    c = _config(tmp_path, "s")
    (f,) = _write(tmp_path / "in", ["c-peskov"])
    ingest([f], c, nlp=nlp)
    Path(f).write_text("Peskov stressed that the Kremlin would not negotiate before the summer.")
    ingest([f], c, nlp=nlp)
    texts = [r["t"].value for r in EmbeddedStore(c.store, c.base_iri).ox.query(
        "SELECT ?t WHERE { GRAPH ?g { ?s a <https://w3id.org/newskg/ns#Statement> ; <https://w3id.org/newskg/ns#text> ?t } }")]
    assert texts == ["the Kremlin would not negotiate before the summer"]


def test_ingest_one_failing_article_leaves_nothing_and_the_batch_goes_on(nlp, tmp_path, monkeypatch):
    _write(tmp_path / "in", ARTICLES)
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "binary.txt").write_bytes(b"\x00\xff" * 100)
    import kg.extract.pipeline
    real = kg.extract.pipeline.extract

    def flaky(doc, article):
        if article.id == "b-full":
            raise RuntimeError("boom")
        return real(doc, article)

    monkeypatch.setattr(kg.extract.pipeline, "extract", flaky)
    c = _config(tmp_path, "s")
    summary = ingest([str(tmp_path / "in")], c, nlp=nlp)
    assert (summary.articles, summary.failed) == (2, 3)
    assert any("b-full" in e and "boom" in e for e in summary.errors)
    assert any("empty.txt" in e for e in summary.errors) and any("binary.txt" in e for e in summary.errors)
    store = EmbeddedStore(c.store, c.base_iri)
    graphs = {g.value.rsplit("/", 1)[-1] for g in store.ox.named_graphs()}
    assert graphs == {"a-short", "c-peskov", "entities", "events"}


@pytest.mark.parametrize("first, second", [("a-short", "b-full"), ("b-full", "a-short")])
def test_ingest_surname_first_or_last_is_one_person(nlp, tmp_path, first, second):
    c = _config(tmp_path, "s")
    for name in (first, second):
        ingest(_write(tmp_path / "in", [name]), c, nlp=nlp)
    store = EmbeddedStore(c.store, c.base_iri)
    rows = list(store.ox.query("""SELECT ?p ?n WHERE { GRAPH ?g { ?p <https://schema.org/name> ?n .
        ?p <https://schema.org/alternateName> "Putin" } }"""))
    assert [(r["p"].value.rsplit("/", 1)[-1], r["n"].value) for r in rows] == [("vladimir-putin", "Vladimir Putin")]
    mentions = {r["g"].value.rsplit("/", 1)[-1] for r in store.ox.query(
        "SELECT ?g WHERE { GRAPH ?g { ?a <https://schema.org/mentions> ?p } FILTER(CONTAINS(STR(?p), 'putin')) }")}
    assert mentions == {"a-short", "b-full"}


def test_ingest_reports_a_duplicate_id_in_one_batch(nlp, config, store):
    from kg.ingest import ingest_records
    from tests.helpers import record
    items = [record("Putin met Trump in Alaska.", "same"), record("Macron met Merkel in Paris.", "same"),
             record("Xi met Putin in Moscow.", "other")]
    summary = ingest_records(items, config, nlp=nlp, store=store)
    assert (summary.articles, summary.failed) == (2, 1)
    assert "the id 'same' is also" in summary.errors[0] and "only the first" in summary.errors[0]


def test_ingest_stops_at_once_when_the_disk_is_full(nlp, config, store, monkeypatch):
    import errno
    from kg.ingest import ingest_records
    from tests.helpers import record
    written = []
    real = store.write_article

    def write(article, own, shared, **kw):
        if len(written) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(article)
        return real(article, own, shared, **kw)
    monkeypatch.setattr(store, "write_article", write)
    items = [record(f"Putin met Trump in Alaska on day {i}.", f"a{i}") for i in range(6)]
    summary = ingest_records(items, config, nlp=nlp, store=store)
    assert summary.stopped and summary.articles == 2 and summary.failed == 1
    assert "disk of the store is full: stopped after 2 articles" in summary.errors[0]
