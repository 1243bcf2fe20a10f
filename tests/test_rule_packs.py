"""The shipped rule packs linted like code, and the loader's errors for broken packs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from attribaudit.engine import Engine, EngineOptions
from attribaudit.models import AttribauditError
from attribaudit.paths import rules_dir
from attribaudit.rules import load_rules

PACKS = sorted(rules_dir().glob("*.yaml"))


def test_shipped_packs_load() -> None:
    ruleset = load_rules()
    assert len(ruleset.packs) == len(PACKS)
    categories = {info.category for info in ruleset.infos()}
    assert {"extract", "chrome", "signal", "exemption", "finding"} <= categories


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_lexicon_words_are_strings_without_duplicates(pack: Path) -> None:
    data = yaml.safe_load(pack.read_text(encoding="utf-8"))
    for name, lexicon in (data.get("lexicons") or {}).items():
        words = list(lexicon.get("words") or [])
        for forms in (lexicon.get("lemmas") or {}).values():
            words.extend(forms)
        # YAML 1.1 turns bare on/no/yes/off into booleans: every entry must stay a string.
        assert all(isinstance(w, str) for w in words), f"{pack.name}:{name} holds a non-string word"
        seen: set[str] = set()
        duplicates = {w for w in words if w in seen or seen.add(w)}  # type: ignore[func-returns-value]
        assert not duplicates, f"{pack.name}:{name} lists {sorted(duplicates)} twice"


def test_no_rule_id_is_defined_twice_in_the_shipped_packs() -> None:
    ids: dict[str, str] = {}
    for pack in PACKS:
        data = yaml.safe_load(pack.read_text(encoding="utf-8"))
        for rule in data.get("rules") or []:
            assert rule["id"] not in ids, f"{rule['id']} in {pack.name} and {ids[rule['id']]}"
            ids[rule["id"]] = pack.name


def test_every_finding_rule_has_a_severity_and_every_extract_rule_a_kind() -> None:
    for info in load_rules().infos():
        if info.category == "finding":
            assert info.severity is not None, info.id


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "house.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_broken_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "pack: house\ndescription: x\nrules:\n  - id: a\n    summary: [unclosed\n"
    )
    with pytest.raises(AttribauditError) as caught:
        load_rules([path])
    assert caught.value.path == str(path)
    assert caught.value.line is not None and caught.value.line >= 5


def test_invalid_rule_names_the_line_of_the_rule(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "pack: house\ndescription: x\nrules:\n"
        "  - id: ok-rule\n    matcher: hearsay-adverb\n    kind: vague\n"
        "    summary: s\n    description: d\n"
        "    params: {lexicon: hearsay_adverbs}\n"
        "    examples: [{text: a reportedly b, match: true}, {text: a b, match: false}]\n"
        "  - id: bad-rule\n    matcher: no-such-matcher\n    summary: s\n    description: d\n"
        "    examples: [{text: a, match: true}, {text: b, match: false}]\n",
    )
    with pytest.raises(AttribauditError) as caught:
        load_rules([path])
    assert "unknown matcher" in caught.value.message
    assert caught.value.line == 12


def test_rule_without_both_examples_is_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "pack: house\ndescription: x\nrules:\n"
        "  - id: lonely\n    matcher: hearsay-adverb\n    kind: vague\n    summary: s\n"
        "    description: d\n    params: {lexicon: hearsay_adverbs}\n"
        "    examples: [{text: a reportedly b, match: true}]\n",
    )
    with pytest.raises(AttribauditError, match="at least one example"):
        load_rules([path])


@pytest.mark.parametrize(
    ("matcher", "params", "message"),
    [
        # Each ended in a traceback when the engine was built (KeyError, TypeError,
        # AttributeError from the extractor reading the params).
        ("chrome-line", "{teaser: true}", "params.lexicon is required"),
        ("verb-cue", "{}", "params.lexicon is required"),
        ("hearsay-adverb", "{lexicon: {a: 1}}", "params.lexicon must be a string"),
        ("verb-cue", "{lexicon: speech_verbs, needs_next: say}", "params.needs_next must be"),
        ("verb-cue", "{lexicon: speech_verbs, clause_only: 3}", "params.clause_only must be"),
        ("verb-cue", "{lexicon: speech_verbs, inversion: 'no'}", "params.inversion must be"),
        ("phrase-cue", "{lexicon: according_phrases, named_source: 1}", "named_source"),
        ("pattern", "{regex: '(?P<cue>x)', content: sideways}", "params.content must be"),
        ("verb-cue", "{lexicon: speech_verbs, sourceless: seem}", "params.sourceless must be"),
        ("verb-cue", "{lexicon: speech_verbs, passive_agent: 'yes'}", "params.passive_agent"),
        ("agent-cue", "{lexicon: agent_verbs, not_agents_lexicon: [a]}", "not_agents_lexicon"),
    ],
)
def test_params_of_the_wrong_shape_name_the_rule_and_its_line(
    tmp_path: Path, matcher: str, params: str, message: str
) -> None:
    path = _write(
        tmp_path,
        "pack: house\ndescription: x\nrules:\n"
        f"  - id: house-rule\n    matcher: {matcher}\n    kind: vague\n"
        f"    summary: s\n    description: d\n    params: {params}\n"
        "    examples: [{text: a reportedly b, match: true}, {text: a b, match: false}]\n",
    )
    with pytest.raises(AttribauditError) as caught:
        Engine(EngineOptions(rule_paths=[path]))
    assert caught.value.path == str(path)
    assert caught.value.line == 4
    assert caught.value.message.startswith("rule 'house-rule': ")
    assert message in caught.value.message


def test_unknown_lexicon_reference_names_the_rule(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "pack: house\ndescription: x\nrules:\n"
        "  - id: words-missing\n    matcher: hearsay-adverb\n    kind: vague\n"
        "    summary: s\n    description: d\n"
        "    params: {lexicon: no_such_words}\n"
        "    examples: [{text: a, match: true}, {text: b, match: false}]\n",
    )
    with pytest.raises(AttribauditError) as caught:
        load_rules([path])
    assert "no_such_words" in caught.value.message and caught.value.line == 4


def test_user_pack_extends_a_lexicon_and_adds_a_rule(tmp_path: Path) -> None:
    from attribaudit.engine import Engine, EngineOptions

    path = _write(
        tmp_path,
        "pack: house\ndescription: our newsroom's words\n"
        "lexicons:\n  hearsay_adverbs:\n    description: more hearsay\n    words: [apparently]\n",
    )
    engine = Engine(EngineOptions(rule_paths=[path]))
    result = engine.audit_text("The mayor apparently resigned on Friday after the vote.")
    assert any(a.kind.value == "vague" and a.rule == "hearsay-adverb" for a in result.attributions)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("{regex: '(?P<cue>said'}", "params.regex is not a valid regex"),
        ("{regex: '(?P<cue>said)', scout: '(sai'}", "params.scout is not a valid regex"),
        ("{scout: said}", "params.regex must be a non-empty string"),
    ],
)
def test_broken_pattern_regex_names_file_and_line(
    tmp_path: Path, params: str, message: str
) -> None:
    # Every stage that compiles a rule's regex (extraction here) reports the pack's line,
    # not a traceback.
    from attribaudit.engine import Engine, EngineOptions

    path = _write(
        tmp_path,
        "pack: house\ndescription: x\nrules:\n"
        "  - id: house-said\n    matcher: pattern\n    kind: direct\n"
        f"    summary: s\n    description: d\n    params: {params}\n"
        "    examples: [{text: he said so, match: true}, {text: b, match: false}]\n",
    )
    with pytest.raises(AttribauditError, match=message) as caught:
        Engine(EngineOptions(rule_paths=[path]))
    assert caught.value.path == str(path)
    assert caught.value.line == 4


def test_a_rule_pack_path_too_long_is_an_error_naming_it() -> None:
    # Path.is_dir / exists raised OSError (ENAMETOOLONG) past the error handling.
    with pytest.raises(AttribauditError, match="File name too long"):
        load_rules([Path("x" * 5000)])


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_as_a_rule_pack_is_refused_not_read_forever() -> None:
    # --rules /dev/zero was read until memory ran out.
    with pytest.raises(AttribauditError, match="larger than") as caught:
        load_rules([Path("/dev/zero")])
    assert caught.value.path == "/dev/zero"
