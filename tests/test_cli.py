"""The command line: the documented commands, exit codes and one-line errors, no tracebacks."""
from __future__ import annotations

import json
import re

import pytest

from kg.cli import main
from tests.conftest import SEEDS


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("KG_SPACY_MODEL", "blank")
    return tmp_path


def test_cli_ingest_export_query_validate(env, capsys):
    assert main(["ingest", str(SEEDS)]) == 0
    assert "5 articles ingested" in capsys.readouterr().out
    out1, out2 = env / "a.nq", env / "b.nq"
    assert main(["export", "--format", "nquads", "-o", str(out1)]) == 0
    assert main(["export", "--format", "nquads", "-o", str(out2)]) == 0
    assert out1.read_bytes() == out2.read_bytes() and out1.stat().st_size > 0
    capsys.readouterr()
    assert main(["query", "SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Article }", "--format", "json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["results"]["bindings"][0]["n"]["value"] == "5"
    assert main(["validate"]) == 0
    assert "Conforms: True" in capsys.readouterr().out


def test_cli_ingest_reports_bad_files_and_exits_non_zero(env, capsys):
    (env / "in").mkdir()
    (env / "in" / "good.txt").write_text("Officials in Russia said the talks in Istanbul would resume next week.")
    (env / "in" / "bad.txt").write_bytes(b"\x00\x01" * 10)
    assert main(["ingest", str(env / "in")]) == 1
    captured = capsys.readouterr()
    assert "1 articles ingested" in captured.out
    assert "bad.txt: binary file" in captured.err and "Traceback" not in captured.err


def test_cli_bad_query_is_a_clear_error(env, capsys):
    assert main(["ingest", str(SEEDS)]) == 0
    assert main(["query", "SELEC nonsense"]) == 2
    assert "bad query" in capsys.readouterr().err


def test_cli_validate_fails_on_a_broken_store(env, capsys):
    import pyoxigraph as ox

    from kg.config import Config
    from kg.stores import EmbeddedStore
    assert main(["ingest", str(SEEDS)]) == 0
    config = Config.load()
    store = EmbeddedStore(config.store, config.base_iri)
    store.ox.update('INSERT DATA { GRAPH <http://x/g> { <http://x/m> a <https://w3id.org/newskg/ns#Meeting> } }')
    del store
    capsys.readouterr()
    assert main(["validate"]) == 1
    assert "Conforms: False" in capsys.readouterr().out
    del ox


def test_cli_help_lists_commands_and_settings(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for word in ("ingest", "export", "query", "validate", "serve", "KG_STORE", "KG_BASE_IRI", "KG_SPACY_MODEL"):
        assert word in out


def test_cli_export_writes_to_stdout_without_o(env, capsysbinary):
    assert main(["ingest", str(SEEDS)]) == 0
    capsysbinary.readouterr()
    assert main(["export", "--table", "meetings"]) == 0  # -o was required (issue 15, bug 7)
    out = capsysbinary.readouterr()
    assert out.out.startswith(b"meeting,") and b"rows written to stdout" in out.err
    assert main(["export"]) == 0
    assert b"<https://w3id.org/newskg/id/" in capsysbinary.readouterr().out


def test_cli_ingest_summary_counts_what_is_new(env, capsys):
    assert main(["ingest", str(SEEDS)]) == 0
    first = capsys.readouterr().out
    assert re.search(r"5 articles ingested, .*; [1-9]\d* new entities, [1-9]\d* meetings, [1-9]\d* statements;", first)
    assert main(["ingest", str(SEEDS)]) == 0
    assert "0 new entities, 0 meetings, 0 statements" in capsys.readouterr().out  # nothing new the second time


def test_cli_progress_is_a_bar_on_a_terminal_and_lines_otherwise(monkeypatch):
    import io

    from kg.cli import Progress
    from kg.ingest import Summary
    bar, lines = io.StringIO(), io.StringIO()
    summary = Summary()
    with Progress(4, bar=True, stream=bar) as on_tty, Progress(4, bar=False, stream=lines) as in_log:
        for n in range(1, 5):
            summary.articles, summary.seconds = n, 6.0 * n
            on_tty(summary)
            in_log(summary)
    assert "4/4" in bar.getvalue() and "articles/s" in bar.getvalue()  # total, rate
    assert "4 of 4 read, 4 ingested" in lines.getvalue() and "\r" not in lines.getvalue()


def test_cli_counts_inputs_for_the_bar(tmp_path):
    from kg.read.sources import count_inputs
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b.jsonl").write_text('{"text": "one"}\n\n{"text": "two"}\n')
    assert count_inputs([str(tmp_path)]) == 3
    assert count_inputs([str(tmp_path / "a.txt"), "-"]) is None


def test_cli_ingest_into_a_store_held_by_another_process_names_the_way_out(env, capsys):
    from kg.stores import EmbeddedStore
    held = EmbeddedStore(env / "store", "https://w3id.org/newskg/id/")  # as `kg serve` holds it
    assert main(["ingest", str(SEEDS)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: another process holds the store") and "kg ingest --server URL" in err
    assert "Traceback" not in err
    del held
