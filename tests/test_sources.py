"""Readers: every kind of bad input is a per-item error, and the good items around it still come through."""
from __future__ import annotations

import json

import pytest

from kg.read.sources import InputError, Record, decode, read_inputs


def _read(paths, max_bytes=10_000_000):
    return list(read_inputs([str(p) for p in paths], max_bytes=max_bytes))


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n\n  ", "empty"),
    (b"\x00\x01\x02\x03binary\x00" * 50, "binary"),
    (bytes(range(256)) * 20, "binary"),
])
def test_sources_refuses_empty_and_binary(tmp_path, data, reason):
    f = tmp_path / "bad.txt"
    f.write_bytes(data)
    (item,) = _read([f])
    assert isinstance(item, InputError) and reason in item.reason and "bad.txt" in str(item)


@pytest.mark.parametrize("data, expected", [
    ("Peskov said on Monday.".encode("utf-8"), "Peskov said on Monday."),
    ("\ufeffBOM text here".encode("utf-8"), "BOM text here"),
    ("Café au lait in Zürich".encode("cp1252"), "Café au lait in Zürich"),
    ("UTF-16 text".encode("utf-16"), "UTF-16 text"),
])
def test_sources_decodes_text_leniently(data, expected):
    assert decode(data) == expected


def test_sources_refuses_a_file_over_the_limit(tmp_path):
    f = tmp_path / "huge.txt"
    f.write_bytes(b"word " * 1000)
    (item,) = _read([f], max_bytes=1000)
    assert isinstance(item, InputError) and "limit" in item.reason


def test_sources_jsonl_bad_lines_do_not_stop_the_good_ones(tmp_path):
    f = tmp_path / "feed.jsonl"
    good = {"id": "a1", "title": "T", "text": "Some text here.", "published": "2025-05-07", "publisher": "X"}
    f.write_text("\n".join([json.dumps(good), "{not json", json.dumps([1, 2]), json.dumps({"id": "a3"}),
                            json.dumps({**good, "id": "a2", "text": "", "html": "<p>Hi there</p>"})]))
    items = _read([f])
    records = [i for i in items if isinstance(i, Record)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert [r.id for r in records] == ["a1", "a2"]
    assert records[0].meta == {"title": "T", "published": "2025-05-07", "publisher": "X"}
    assert records[1].kind == "html"
    assert [e.source.rsplit(":", 1)[1] for e in errors] == ["2", "3", "4"]
    assert "malformed JSON" in errors[0].reason


def test_sources_directories_are_read_recursively_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("two")
    (tmp_path / "1.html").write_text("<p>one</p>")
    (tmp_path / "skip.bin").write_bytes(b"\x00")
    ids = [(i.id, i.kind) for i in _read([tmp_path])]
    assert ids == [("1", "html"), ("2", "text")]


def test_sources_missing_path_is_an_error():
    (item,) = _read(["/nonexistent/path/x.txt"])
    assert isinstance(item, InputError) and "no such file" in item.reason
