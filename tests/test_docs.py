"""The README stays true: every setting and command is documented, and CI runs the README's test command."""
from __future__ import annotations

import re

import pytest

from kg.cli import _parser
from kg.config import SETTINGS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.env)
def test_docs_every_setting_is_documented(setting):
    assert f"`{setting.env}`" in README


def test_docs_every_command_is_documented():
    sub = next(a for a in _parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    for name in sub.choices:
        assert f"`kg {name}" in README, name


def test_docs_ci_runs_the_readme_test_command():
    commands = re.findall(r"```sh\n(.+?)\n```", README)
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci and "pytest" in commands[1]
    assert "kg ingest examples/seeds" in commands[0] and "kg serve" in commands[0]
