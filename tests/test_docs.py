"""The docs stay true: every setting and command is documented in the reference, the README's
commands are what CI runs, and every page the README links to exists."""
from __future__ import annotations

import re

import pytest

from kg.cli import _parser
from kg.config import SETTINGS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()
REFERENCE = (ROOT / "docs" / "reference.md").read_text()


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.env)
def test_docs_every_setting_is_documented(setting):
    assert f"`{setting.env}`" in REFERENCE


def test_docs_every_command_is_documented():
    sub = next(a for a in _parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    for name in sub.choices:
        assert f"`kg {name}" in REFERENCE and f"`kg {name}" in README, name


def test_docs_ci_runs_the_readme_test_command():
    commands = re.findall(r"```sh\n(.+?)\n```", README)
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci and "pytest" in commands[1]
    assert "kg ingest examples/seeds" in commands[0] and "kg serve" in commands[0]


def test_docs_every_link_of_the_readme_and_the_docs_resolves():
    for page in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text()):
            assert (page.parent / target).exists(), f"{page.name} links to {target}, which is not there"
