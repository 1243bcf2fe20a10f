"""Run the examples written inside rule files: each example is a tiny article audited by the
real engine, and the rule must (or must not) fire on it, with the spans it expects."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..models import FileResult
from .schema import Example, Rule

_TRIM = re.compile(r"^[\s.,;:]+|[\s.,;:]+$")


@dataclass(slots=True)
class CaseResult:
    rule: str
    index: int
    example: Example
    passed: bool
    message: str

    @property
    def case_id(self) -> str:
        return f"{self.rule}[{self.index}]"


def _norm(text: str) -> str:
    return _TRIM.sub("", " ".join(text.split()))


def check_example(rule: Rule, example: Example, result: FileResult) -> tuple[bool, str]:
    """Whether the audit of an example shows what the example says about the rule."""
    doc = result.document
    if doc is None:
        return False, f"example could not be audited: {result.error}"
    fired = bool(result.hits.get(rule.id))
    if not example.match:
        return (not fired, "" if not fired else f"fired on {_where(result, rule.id)}")
    if not fired:
        return False, "did not fire"
    expect = example.expect
    if not expect:
        return True, ""
    text = doc.text
    if rule.category == "extract":
        candidates = [a for a in result.attributions if a.rule == rule.id]
        problems = []
        for a in candidates:
            got = {
                "cue": text[a.cue.start : a.cue.end],
                "source": text[a.source.start : a.source.end] if a.source else "",
                "content": " … ".join(text[c.start : c.end] for c in a.content),
                "kind": a.kind.value,
                "resolved": a.resolved.text if a.resolved else "",
            }
            wrong = [k for k, v in expect.items() if _norm(got.get(k, "")) != _norm(v)]
            if not wrong:
                return True, ""
            problems.append(", ".join(f"{k}={got.get(k, '')!r}" for k in wrong))
        return False, "expected " + ", ".join(
            f"{k}={v!r}" for k, v in expect.items()
        ) + "; got " + " | ".join(problems)
    spans = result.hits.get(rule.id, [])
    wanted = _norm(expect.get("text") or expect.get("dropped") or "")
    got_texts = [_norm(text[s.start : s.end]) for s in spans]
    if wanted in got_texts:
        return True, ""
    return False, f"expected {wanted!r}; got {got_texts!r}"


def _where(result: FileResult, rule_id: str) -> str:
    assert result.document is not None
    return ", ".join(
        repr(result.document.text[s.start : s.end]) for s in result.hits.get(rule_id, [])
    )


def run_examples(engine: object, rules: Iterable[Rule]) -> list[CaseResult]:
    out = []
    for rule in rules:
        for index, example in enumerate(rule.examples):
            result = engine.audit_text(  # type: ignore[attr-defined]
                example.text, path=f"<{rule.id}[{index}]>", all_hits=True
            )
            passed, message = check_example(rule, example, result)
            out.append(CaseResult(rule.id, index, example, passed, message))
    return out
