"""The README's set-up commands and its example rule pack and registry stay true."""

from __future__ import annotations

import re
from pathlib import Path

from attribaudit.engine import Engine, EngineOptions
from attribaudit.registry import validate_registry_file
from attribaudit.rules import load_rules
from attribaudit.rules.testing import run_examples

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def snippet(marker: str) -> str:
    found = re.search(re.escape(marker) + r"\n(.*?)```", README, re.S)
    assert found, f"README lost the snippet {marker!r}"
    return found.group(1)


def test_readme_opens_with_the_two_setup_commands() -> None:
    block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert block is not None
    lines = [line for line in block.group(1).splitlines() if line.strip()]
    assert lines[0].startswith("pip install . && attribaudit check examples/")
    assert Path(__file__).resolve().parents[1].joinpath(lines[0].split()[-1]).exists()
    assert lines[1] == "pip install '.[test]' && python -m pytest"
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert lines[1] in ci


def test_readme_rule_pack_example_loads_and_its_examples_pass(tmp_path: Path) -> None:
    pack = tmp_path / "hearsay.yaml"
    pack.write_text(snippet("# house-rules/hearsay.yaml"), encoding="utf-8")
    engine = Engine(EngineOptions(rule_paths=[pack]))
    own = [r for r in load_rules([pack]).rules.values() if r.path == pack]
    results = run_examples(engine, [r.rule for r in own])
    assert results and all(r.passed for r in results)
    found = engine.audit_text("The mayor apparently agreed to the levy on Monday.")
    assert any(a.kind.value == "vague" for a in found.attributions)


def test_readme_registry_example_validates_and_matches(tmp_path: Path) -> None:
    registry = tmp_path / "our-sources.yaml"
    registry.write_text(snippet("# our-sources.yaml"), encoding="utf-8")
    assert validate_registry_file(registry) == 1
    engine = Engine(EngineOptions(registry_paths=[registry]))
    match = engine.registry.match("the Calder Bay council")
    assert match is not None and match.id == "calder-bay-council"
