"""newskg as a package: serving maps no NLP, imports only run down the floors, the store opens as an
rdflib Dataset, and a wheel installed in a fresh venv runs ingest, validate, query and serve
from another folder with its package data."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from kg.config import Config

from .conftest import ROOT, SEEDS, fixture_store
from .helpers import free_port, wait_for

# Each folder of kg/ may import only from the floors below it (kg/<top-level module> are floors too).
FLOORS = [{"config", "model", "calendar", "http", "process"}, {"rdf", "read", "geo"}, {"extract", "stores"}, {"link"},
          {"events"}, {"serve", "ingest"}, {"client", "learn"}, {"cli"}]


def _room(module: str) -> str:
    return module.split(".")[1] if module.count(".") else module


def _floor(room: str) -> int:
    return next(i for i, rooms in enumerate(FLOORS) if room in rooms)


@pytest.mark.parametrize("path", sorted((ROOT / "kg").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_package_imports_run_down_the_floors(path):
    rel = path.relative_to(ROOT).with_suffix("")
    module = ".".join(rel.parts).removesuffix(".__init__")
    if module == "kg":
        return
    here = _room(module)
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kg."):
            there = _room(node.module)
            if there != here:
                assert _floor(there) < _floor(here), f"{module} imports {node.module}: up or across a floor"
        assert not (isinstance(node, ast.ImportFrom) and node.level), f"{module}: relative import"


def test_package_serving_imports_no_nlp():
    code = ("import sys, kg.serve.app, kg.ingest, kg.cli; print(sorted(m for m in sys.modules if m.split('.')[0] "
            "in ('spacy', 'thinc') or m in ('kg.extract.nlp', 'kg.extract.pipeline', 'kg.extract.meetings')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_package_kg_serve_process_maps_no_spacy(tmp_path):
    config = Config.load(env={}, store=str(tmp_path / "store"))
    store = fixture_store(config)
    quads = len(store)
    store.flush()
    del store
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", config.store, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    try:
        wait_for(f"http://127.0.0.1:{port}/health")
        q = "SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?query={q}", timeout=30) as resp:
            assert f'"{quads}"'.encode() in resp.read()
        pids = [proc.pid] + [int(p) for p in
                             subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()]
        assert len(pids) >= 2, "the query workers are child processes"
        for pid in pids:
            maps = Path(f"/proc/{pid}/maps").read_text()
            assert "/spacy/" not in maps and "/thinc/" not in maps, f"process {pid} maps spaCy"
    finally:
        proc.terminate()
        proc.wait(30)


def test_package_store_opens_as_an_rdflib_dataset(tmp_path):
    store = fixture_store(Config.load(env={}, store=str(tmp_path / "store")))
    ds = store.as_rdflib()
    query = "PREFIX kg: <https://w3id.org/newskg/ns#> SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a kg:Person }"
    people = int(next(iter(store.query(query)))["n"].value)
    assert people > 5
    assert [int(row[0]) for row in ds.query(query)] == [people]
    assert sum(1 for _ in ds.quads((None, None, None, None))) == len(store)


@pytest.mark.skipif(not os.environ.get("CI") and not os.environ.get("KG_TEST_WHEEL"),
                    reason="builds a wheel and a venv: CI, or KG_TEST_WHEEL=1")
def test_package_wheel_runs_from_another_folder(tmp_path):
    """Non-editable: the wheel's own files are used, the repository is nowhere on the path."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                    str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("newskg-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    site = next(venv.glob("lib/python3*/site-packages"))
    deps = next(Path(p) for p in sys.path if p.endswith("site-packages") and (Path(p) / "spacy").is_dir())
    (site / "zz-newskg-deps.pth").write_text(str(deps) + "\n")  # the dependencies, already installed here
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-deps", str(wheel)], check=True,
                   capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")} | {"KG_SPACY_MODEL": "blank"}
    kg = str(venv / "bin" / "kg")

    def run(*args: str) -> str:
        return subprocess.run([kg, *args], cwd=work, env=env, capture_output=True, text=True, check=True).stdout

    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import kg; print(kg.__file__)"], cwd=work,
                           capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(site)), where
    run("ingest", str(SEEDS))
    assert (work / "newskg-store").is_dir(), "the default store is in the working directory"
    assert "Conforms: True" in run("validate")
    assert "5" in run("query", "SELECT (COUNT(?a) AS ?n) WHERE { ?a a kg:Article }")
    port = free_port()
    server = subprocess.Popen([kg, "serve", "--port", str(port)], cwd=work, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/health")
        req = urllib.request.Request(f"http://127.0.0.1:{port}/sparql", headers={"Accept": "text/html"})
        page = urllib.request.urlopen(req, timeout=30).read().decode()
        assert "Who met whom" in page, "the shipped queries are on the query page"
    finally:
        server.terminate()
        server.wait(30)
