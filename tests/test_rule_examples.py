"""Every example written inside a rule file is a test case (`pytest -k RULE` runs one rule).

The engine audits each example text; the rule must fire on `match: true` examples (with the
spans in `expect`) and stay silent on `match: false` ones."""

from __future__ import annotations

import pytest

from attribaudit.engine import Engine
from attribaudit.rules import load_rules
from attribaudit.rules.testing import check_example

RULESET = load_rules()
CASES = [
    pytest.param(rule_id, index, id=f"{rule_id}[{index}]")
    for rule_id, loaded in RULESET.rules.items()
    for index in range(len(loaded.rule.examples))
]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@pytest.mark.parametrize(("rule_id", "index"), CASES)
def test_rule_example(engine: Engine, rule_id: str, index: int) -> None:
    rule = engine.rules.get(rule_id)
    example = rule.examples[index]
    result = engine.audit_text(example.text, path=f"<{rule_id}[{index}]>", all_hits=True)
    passed, message = check_example(rule, example, result)
    outcome = "fires" if example.match else "silent"
    assert passed, f"{rule_id} example {index} ({outcome}): {example.text!r}: {message}"


def test_every_rule_has_firing_and_silent_examples() -> None:
    for rule_id, loaded in RULESET.rules.items():
        outcomes = {e.match for e in loaded.rule.examples}
        assert outcomes == {True, False}, (
            f"{rule_id} in {loaded.path} lacks a firing or a silent example"
        )
