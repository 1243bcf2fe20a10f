"""Rule packs: loading the YAML files, merging lexicons, and looking rules up.

A pack is a YAML file (see `schema.Pack`). The shipped packs live in the repository's `rules/`
folder; users add files or folders with `--rules`. Lexicons with the same name merge across packs
(a user pack can add cue verbs); a rule whose id already exists replaces the earlier one (a user
pack can retune a shipped rule).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..models import AttribauditError, RuleInfo, Severity
from ..paths import rules_dir
from ..yamlio import load_yaml, validation_error
from .schema import Pack, Rule, params_problem

RULE_SUFFIXES = (".yaml", ".yml")


@dataclass(slots=True)
class LoadedRule:
    rule: Rule
    path: Path
    line: int | None


@dataclass
class RuleSet:
    """Every rule and lexicon in force, merged from the shipped packs and the user's."""

    rules: dict[str, LoadedRule] = field(default_factory=dict)
    lexicon_words: dict[str, set[str]] = field(default_factory=dict)
    lexicon_lemmas: dict[str, dict[str, str]] = field(default_factory=dict)  # form -> lemma
    lexicon_descriptions: dict[str, str] = field(default_factory=dict)
    packs: list[Path] = field(default_factory=list)
    _digest: hashlib._Hash = field(default_factory=hashlib.sha256)

    # -- look-ups -------------------------------------------------------------------------
    def words(self, name: str, *, lower: bool = True) -> frozenset[str]:
        """A lexicon's words (and lemma forms), lower-cased unless told otherwise."""
        words = set(self.lexicon_words.get(name, ()))
        words.update(self.lexicon_lemmas.get(name, {}))
        if name not in self.lexicon_words and name not in self.lexicon_lemmas:
            raise KeyError(name)
        return frozenset(w.lower() for w in words) if lower else frozenset(words)

    def forms(self, name: str) -> dict[str, str]:
        """Inflected form (lower-case) -> lemma, for a lexicon with `lemmas`."""
        if name not in self.lexicon_lemmas and name not in self.lexicon_words:
            raise KeyError(name)
        table = {w.lower(): w.lower() for w in self.lexicon_words.get(name, ())}
        table.update(self.lexicon_lemmas.get(name, {}))
        return table

    def has_lexicon(self, name: str) -> bool:
        return name in self.lexicon_words or name in self.lexicon_lemmas

    def by_matcher(self, *matchers: str) -> list[Rule]:
        return [
            lr.rule for lr in self.rules.values() if lr.rule.matcher in matchers and lr.rule.enabled
        ]

    def get(self, rule_id: str) -> Rule:
        return self.rules[rule_id].rule

    def where(self, rule_id: str) -> tuple[Path, int | None]:
        loaded = self.rules[rule_id]
        return loaded.path, loaded.line

    def infos(self) -> list[RuleInfo]:
        return [
            RuleInfo(
                id=lr.rule.id,
                category=lr.rule.category,
                summary=lr.rule.summary,
                description=lr.rule.description.strip(),
                severity=Severity(lr.rule.severity) if lr.rule.severity else None,
                pack=str(lr.path),
            )
            for lr in self.rules.values()
        ]

    def fingerprint(self) -> str:
        """A hash of every pack's bytes, for cache keys: any rule edit changes it."""
        return self._digest.hexdigest()

    # -- building -------------------------------------------------------------------------
    def add_pack(self, path: Path) -> None:
        data = load_yaml(path)  # first: it refuses a file too large, or endless (/dev/zero)
        raw = path.read_bytes() if path.is_file() else b""
        if not isinstance(data, dict):
            raise AttribauditError(
                "a rule pack must be a mapping with `pack` and `rules`", str(path), 1
            )
        try:
            pack = Pack.model_validate(data)
        except ValidationError as exc:
            raise validation_error(path, data, exc.errors(), "rule pack") from None
        self._digest.update(str(path.name).encode())
        self._digest.update(raw)
        self.packs.append(path)
        for name, lexicon in pack.lexicons.items():
            self.lexicon_words.setdefault(name, set()).update(lexicon.words)
            forms = self.lexicon_lemmas.setdefault(name, {})
            for lemma, inflected in lexicon.lemmas.items():
                # The lemma is a label; only the forms listed are matched, so a lexicon can
                # leave out a base form that is also a noun ("post", "point").
                for form in inflected:
                    forms[form.lower()] = lemma.lower()
            self.lexicon_descriptions.setdefault(name, lexicon.description)
        rule_lines = getattr(data.get("rules"), "item_lines", [])
        for index, rule in enumerate(pack.rules):
            line = rule_lines[index] if index < len(rule_lines) else None
            problem = params_problem(rule)
            if problem is not None:
                raise AttribauditError(f"rule {rule.id!r}: {problem}", str(path), line)
            self.rules[rule.id] = LoadedRule(rule, path, line)

    def check_references(self) -> None:
        """Every lexicon a rule names must exist; checked once all packs are in."""
        for loaded in self.rules.values():
            for key, value in loaded.rule.params.items():
                if not key.endswith("lexicon") and not key.endswith("lexicons"):
                    continue
                names = value if isinstance(value, list) else [value]
                for name in names:
                    if not self.has_lexicon(name):
                        raise AttribauditError(
                            f"rule {loaded.rule.id!r}: unknown lexicon {name!r} in params.{key}",
                            str(loaded.path),
                            loaded.line,
                        )


def pack_files(path: Path) -> list[Path]:
    """The rule files a `--rules` argument names: the file itself, or a folder's YAML files."""
    try:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix in RULE_SUFFIXES and p.is_file())
            if not files:
                raise AttribauditError("no rule files (*.yaml) in this folder", str(path))
            return files
        if not path.exists():
            raise AttribauditError("rule pack not found", str(path))
    except OSError as exc:  # a name too long, a folder that cannot be listed
        raise AttribauditError(f"cannot read rule pack: {exc.strerror or exc}", str(path)) from None
    return [path]


def load_rules(extra: Sequence[Path] = (), *, include_default: bool = True) -> RuleSet:
    """The shipped packs, then the user's, in order; later packs extend and override."""
    ruleset = RuleSet()
    sources: Iterable[Path] = [rules_dir()] if include_default else []
    for root in [*sources, *extra]:
        for file in pack_files(Path(root)):
            ruleset.add_pack(file)
    ruleset.check_references()
    return ruleset


# -- rule regexes ------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def compile_pattern(rule: Rule, rules: RuleSet, *, multiline: bool = False) -> re.Pattern[str]:
    """A rule's `regex` with `{lexicon}` placeholders expanded to word alternations (a space in
    an entry matches any white space), and `ignore_case` applied. A missing or broken regex in a
    pack is an AttribauditError naming the rule's file and line."""

    def expand(m: re.Match[str]) -> str:
        name = m.group(1)
        if not rules.has_lexicon(name):
            return m.group(0)
        words = sorted(rules.words(name, lower=False), key=len, reverse=True)
        return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + ")"

    flags = re.MULTILINE if multiline else 0
    if rule.params.get("ignore_case"):
        flags |= re.IGNORECASE
    source = _param_text(rule, rules, "regex")
    return _compile(rule, rules, "regex", _PLACEHOLDER.sub(expand, source), flags)


def compile_scout(rule: Rule, rules: RuleSet) -> re.Pattern[str] | None:
    """A pattern rule's `scout` as written (case-sensitive, no placeholders), or None."""
    if not rule.params.get("scout"):
        return None
    return _compile(rule, rules, "scout", _param_text(rule, rules, "scout"), 0)


def _param_text(rule: Rule, rules: RuleSet, name: str) -> str:
    value = rule.params.get(name)
    if not isinstance(value, str) or not value.strip():
        path, line = rules.where(rule.id)
        raise AttribauditError(
            f"rule {rule.id!r}: params.{name} must be a non-empty string", str(path), line
        )
    return value


def _compile(rule: Rule, rules: RuleSet, name: str, source: str, flags: int) -> re.Pattern[str]:
    try:
        return re.compile(source, flags)
    except re.error as exc:
        path, line = rules.where(rule.id)
        raise AttribauditError(
            f"rule {rule.id!r}: params.{name} is not a valid regex: {exc}", str(path), line
        ) from None
