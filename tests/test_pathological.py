"""Inputs that once made a regex try every position of a long run, in time that grew with the
square of the run's length (found by a robustness sweep with generated input).

Each input is sized so that the quadratic search took well over 20 seconds on the development
machine, while the audit now takes a fraction of a second; the bound of 5 seconds only tells a
return of the quadratic search from a slow machine. These guard complexity, not speed: the
speed figures live in `benchmarks/`.
"""

from __future__ import annotations

import time

import pytest

from attribaudit.engine import Engine
from attribaudit.models import Status

BOUND_SECONDS = 5.0


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def _timed_audit(engine: Engine, text: str, fmt: str = "txt"):
    start = time.perf_counter()
    result = engine.audit_text(text, fmt=fmt)
    return result, time.perf_counter() - start


def test_a_very_long_word_is_audited_in_linear_time(engine: Engine) -> None:
    # A pasted base64 blob: the six-word "full sentence" test was tried from each character.
    text = "The levy rose by a third. " + "A" * 40_000 + " ends here.\n"
    result, seconds = _timed_audit(engine, text)
    assert seconds < BOUND_SECONDS
    assert result.sentences[0].status is Status.UNSOURCED


def test_a_long_run_of_full_stops_is_audited_in_linear_time(engine: Engine) -> None:
    # Sentence-end candidates were tried from each mark of a run with no space after it.
    text = "The levy rose by a third." + "." * 40_000 + "x and more words follow it here.\n"
    result, seconds = _timed_audit(engine, text)
    assert seconds < BOUND_SECONDS
    assert result.sentences


def test_a_long_run_of_blank_lines_is_audited_in_linear_time(engine: Engine) -> None:
    # The dateline pattern could start on any blank line and run across the rest of them (a
    # page's blanked navigation or a Markdown code fence gives such runs).
    text = "LYON (AFP) — The ministry said the levy would rise.\n" + " \n" * 60_000 + "End.\n"
    result, seconds = _timed_audit(engine, text)
    assert seconds < BOUND_SECONDS
    assert any(a.kind.value == "source-tag" for a in result.attributions)
