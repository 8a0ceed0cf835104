"""CSV tables: one row per meeting, statement or person with its source article; the same bytes
from `kg export --table` and from the server."""
from __future__ import annotations

import csv
import io

import pytest

from kg.cli import main
from kg.config import Config
from kg.rdf.sparql import run
from kg.serve.app import create_app
from kg.stores.base import Store

from .conftest import SEEDS, fixture_store


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    config = Config.load(env={}, store=str(tmp_path_factory.mktemp("tables") / "store"))
    return config, fixture_store(config)


def _count(store: Store, cls: str) -> int:
    rows = list(run(store.ox, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a {cls} }}"))
    return int(rows[0]["n"].value)


def _rows(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


@pytest.mark.parametrize("name, cls, key", [("meetings", "kg:Meeting", "meeting"),
                                            ("statements", "kg:Statement", "statement"),
                                            ("people", "kg:Person", "person")])
def test_tables_one_row_per_fact_with_its_article(seeded, tmp_path, name, cls, key, capsys):
    config, store = seeded
    out = tmp_path / f"{name}.csv"
    store.flush()
    app = create_app(config, store=store)
    try:
        served = app.test_client().get(f"/table/{name}.csv")
        assert served.status_code == 200 and served.mimetype == "text/csv"
        rows = _rows(served.data)
    finally:
        app.extensions["kg"].pool.close()
    assert len(rows) == len({r[key] for r in rows}) == _count(store, cls) > 0
    seed_ids = {p.stem for p in SEEDS.iterdir()}
    if name == "people":
        assert all(int(r["article_count"]) >= 1 and set(r["article_ids"].split("; ")) <= seed_ids for r in rows)
    else:
        assert all(r["article_id"] in seed_ids and r["article"].endswith("/article/" + r["article_id"]) for r in rows)
        assert all(r["evidence"] and r["evidence"] == " ".join(r["evidence"].split()) for r in rows)  # one line
    assert main(["export", "--store", config.store, "--table", name, "-o", str(out)]) == 0
    assert f"{len(rows)} rows written" in capsys.readouterr().err
    assert _rows(out.read_bytes()) == rows


def test_tables_meeting_rows_name_participants_status_and_kind(seeded):
    _, store = seeded
    from kg.rdf.queries import table_query as query
    from kg.rdf.sparql import serialize
    rows = _rows(serialize(run(store.ox, query("meetings")), "csv"))
    assert {r["status"] for r in rows} <= {"Proposed", "Planned", "Held", "Cancelled", "Postponed"}
    assert {r["kind"] for r in rows} <= {"Meeting", "PhoneCall", "VideoCall"}
    assert any("Vladimir Putin" in r["participants"].split("; ") for r in rows)


def test_tables_unknown_table_is_404(seeded):
    config, store = seeded
    app = create_app(config, store=store)
    try:
        r = app.test_client().get("/table/secrets.csv")
        assert r.status_code == 404 and b"meetings" in r.data
    finally:
        app.extensions["kg"].pool.close()


@pytest.mark.parametrize("cell, shown", [("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
                                         ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
                                         ("Vladimir Putin", "Vladimir Putin"), ("2025-05-02", "2025-05-02")])
def test_tables_cells_a_spreadsheet_would_run_are_text(cell, shown):
    from kg.rdf.queries import spreadsheet_safe
    body = spreadsheet_safe(f'name,date\r\n"{cell.replace(chr(34), chr(34) * 2)}",x\r\n'.encode())
    assert _rows(body) == [{"name": shown, "date": "x"}]
