"""The W3C SPARQL 1.1 Protocol (34) and Graph Store Protocol (13) tests, driven in-process by the
shared runner against a scratch store."""
from __future__ import annotations

import importlib.util
import os
import sys

import pytest

from kg.config import Config
from kg.serve.app import create_app
from tests.conftest import SHARED

RUNNER = SHARED / "protocol-tests" / "run.py"
pytestmark = pytest.mark.skipif(not RUNNER.exists() and not os.environ.get("CI"),
                                reason="needs ../shared/protocol-tests (CI has it and never skips)")


@pytest.fixture(scope="module")
def runner():
    spec = importlib.util.spec_from_file_location("protocol_run", RUNNER)
    module = importlib.util.module_from_spec(spec)
    sys.modules["protocol_run"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def scratch_app(tmp_path):
    config = Config.load(env={"KG_UPDATE_TOKEN": "T", "KG_QUERY_TIMEOUT": "20"}, store=str(tmp_path / "scratch"))
    app = create_app(config)
    yield app
    app.extensions["kg"].pool.close()


@pytest.mark.parametrize("manifest, expected, features", [
    ("protocol/manifest.ttl", 34, {"IndirectGraphIdentification"}),
    ("graph-store-protocol/manifest.ttl", 13,
     {"IndirectGraphIdentification", "DirectGraphIdentification", "POSTGraphCreation"}),
])
def test_protocol_w3c_manifest(runner, scratch_app, manifest, expected, features):
    tests = runner.load_manifest(RUNNER.parent / manifest)
    send = runner.wsgi_transport(scratch_app)

    def with_token(method, url, headers, body):
        return send(method, url, [*headers, ("Authorization", "Bearer T")], body)

    base = "http://localhost"
    results = runner.run(tests, with_token, f"{base}/sparql", f"{base}/update", f"{base}/store", "update",
                         features, False)
    failed = {k: why for k, (status, why) in results.items() if status != "pass"}
    assert not failed
    assert len(results) == expected
