"""The W3C SPARQL 1.1 Protocol (34) and Graph Store Protocol (13) tests, driven by the shared runner
against a scratch store: in-process on the app, and over HTTP through `kg serve`'s front."""
from __future__ import annotations

import importlib.util
import os
import sys

import pytest

from kg.config import Config
from kg.serve.app import create_app
from tests.conftest import SHARED, serving

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


@pytest.fixture(params=["app", "front"])
def endpoint(request, runner, tmp_path):
    """(send, base URL): the app through WSGI, or the real front on 127.0.0.1."""
    config = Config.load(env={"KG_UPDATE_TOKEN": "T", "KG_QUERY_TIMEOUT": "20"}, store=str(tmp_path / "scratch"))
    if request.param == "app":
        app = create_app(config)
        yield runner.wsgi_transport(app), "http://localhost"
        app.extensions["kg"].pool.close()
        return
    with serving(config) as server:
        yield runner.requests_transport(), server.url


@pytest.mark.parametrize("manifest, expected, features", [
    ("protocol/manifest.ttl", 34, {"IndirectGraphIdentification"}),
    ("graph-store-protocol/manifest.ttl", 13,
     {"IndirectGraphIdentification", "DirectGraphIdentification", "POSTGraphCreation"}),
])
def test_protocol_w3c_manifest(runner, endpoint, manifest, expected, features):
    tests = runner.load_manifest(RUNNER.parent / manifest)
    send, base = endpoint

    def with_token(method, url, headers, body):
        return send(method, url, [*headers, ("Authorization", "Bearer T")], body)

    results = runner.run(tests, with_token, f"{base}/sparql", f"{base}/update", f"{base}/store", "update",
                         features, False)
    failed = {k: why for k, (status, why) in results.items() if status != "pass"}
    assert not failed
    assert len(results) == expected
