"""The shape of a rule pack file, validated with pydantic so a mistake names its file and line."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Category = Literal["extract", "chrome", "segment", "signal", "exemption", "finding", "resolve"]

# Matcher types the engine knows. A rule picks one and supplies its parameters; adding a
# matcher means adding code, adding a rule only data.
MATCHERS: dict[str, Category] = {
    "verb-cue": "extract",  # a cue verb from a lexicon, source before or after it
    "phrase-cue": "extract",  # "according to X", "citing X": source follows the phrase
    "agent-cue": "extract",  # "voiced by X", "reported by X": passive with its agent
    "hearsay-adverb": "extract",  # "reportedly", "allegedly": vague, no source
    "pattern": "extract",  # a regex with named groups cue / source / content
    "source-tag": "extract",  # "[Source: TASS]": covers its paragraph
    "credit-line": "extract",  # "Attribution: ..." / "Citation: ...": document-level
    "chrome-line": "chrome",  # a whole line of page furniture, maybe with a teaser after it
    "not-headline": "segment",  # a short line without a final period that is prose, not a title
    "exemption": "exemption",  # a sentence that makes no claim (question, call to action)
    "signal": "signal",  # evidence that a sentence asserts something
    "finding": "finding",  # a kind of finding the engine reports
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Lexicon(Strict):
    description: str
    words: list[str] = Field(default_factory=list)
    # lemma -> the forms that are matched (the lemma itself only when listed).
    lemmas: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _not_empty(self) -> Lexicon:
        if not self.words and not self.lemmas:
            raise ValueError("a lexicon needs `words` or `lemmas`")
        return self


class Example(Strict):
    text: str
    match: bool
    # For extract rules: the expected cue / source / content / kind of the hit. For chrome: the
    # dropped line. For finding rules: the text of the flagged span.
    expect: dict[str, str] = Field(default_factory=dict)
    # When several sentences are given, which one the case is about (its text).
    note: str | None = None


class Rule(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
    matcher: str
    summary: str
    description: str
    severity: Literal["error", "warning", "info"] | None = None
    kind: Literal["direct", "according-to", "source-tag", "credit", "vague"] | None = None
    # Matcher parameters: validated by the matcher when it is built (it knows what it needs).
    params: dict[str, Any] = Field(default_factory=dict)
    examples: list[Example]
    enabled: bool = True

    @field_validator("matcher")
    @classmethod
    def _known_matcher(cls, value: str) -> str:
        if value not in MATCHERS:
            raise ValueError(f"unknown matcher {value!r}; known: {', '.join(sorted(MATCHERS))}")
        return value

    @field_validator("examples")
    @classmethod
    def _has_both_examples(cls, value: list[Example]) -> list[Example]:
        if not any(e.match for e in value) or not any(not e.match for e in value):
            raise ValueError("a rule needs at least one example that matches and one that does not")
        return value

    @property
    def category(self) -> Category:
        return MATCHERS[self.matcher]

    @model_validator(mode="after")
    def _severity_for_findings(self) -> Rule:
        if self.matcher == "finding" and self.severity is None:
            raise ValueError("a finding rule needs a default `severity`")
        if self.category == "extract" and self.kind is None:
            raise ValueError("an extract rule needs a `kind`")
        return self


class Pack(Strict):
    pack: str
    description: str
    lexicons: dict[str, Lexicon] = Field(default_factory=dict)
    rules: list[Rule] = Field(default_factory=list)


# -- params ------------------------------------------------------------------------------------

# What each matcher reads from a rule's `params`, with the shape it needs: "text" a string,
# "flag" true or false, "words" a list of strings, "words-by-word" a mapping of strings to lists
# of strings, or a tuple of the strings allowed. The matchers read params when the engine is
# built, so a wrong shape surfaced there as a KeyError or TypeError; it is checked on loading
# instead, where the rule's file and line are known. Params not listed are left alone.
_LEXICON = {"lexicon": "text"}
_REGEX = {"regex": "text", "ignore_case": "flag"}
PARAMS: dict[str, dict[str, str | tuple[str, ...]]] = {
    "verb-cue": {
        **_LEXICON,
        "subject_lexicon": "text",
        "inversion": "flag",
        "subject_fallback": "flag",
        "drop_inside_content": "flag",
        "inside_quotations": "flag",
        "no_inversion": "words",
        "not_sources": "words",
        "no_subject_fallback": "words",
        "clause_only": "words",
        "topic_particles": "words",
        "not_sources_in_quotations": "words",
        "sources_only_in_answers": "words",
        "needs_next": "words-by-word",
        "sourceless": "words",
        "passive_agent": "flag",
        "naming_forms": "words",
        "not_after_controls": "words",
    },
    "phrase-cue": {**_LEXICON, "named_source": "flag", "clause_initial": "flag"},
    "agent-cue": {**_LEXICON, "not_agents_lexicon": "text"},
    "hearsay-adverb": _LEXICON,
    "chrome-line": {**_LEXICON, "teaser": "flag"},
    "pattern": {
        **_REGEX,
        "scout": "text",
        "scout_after_first_word": "flag",
        "content": ("after", "sentence"),
    },
    "source-tag": _REGEX,
    "credit-line": _REGEX,
    "not-headline": _REGEX,
    "exemption": _REGEX,
    "signal": _REGEX,
}
# Params a matcher cannot do without (a regex is checked where it is compiled).
REQUIRED_PARAMS: dict[str, tuple[str, ...]] = {
    matcher: ("lexicon",)
    for matcher in ("verb-cue", "phrase-cue", "agent-cue", "hearsay-adverb", "chrome-line")
}

_SHAPES = {
    "text": "a string",
    "flag": "true or false",
    "words": "a list of strings",
    "words-by-word": "a mapping of words to lists of strings",
}


def params_problem(rule: Rule) -> str | None:
    """What is wrong with `rule.params` for its matcher ("params.lexicon is required"), or None."""
    for name in REQUIRED_PARAMS.get(rule.matcher, ()):
        if name not in rule.params:
            return f"params.{name} is required by the {rule.matcher} matcher"
    for name, shape in PARAMS.get(rule.matcher, {}).items():
        if name in rule.params and not _has_shape(rule.params[name], shape):
            wanted = (
                " or ".join(repr(option) for option in shape)
                if isinstance(shape, tuple)
                else _SHAPES[shape]
            )
            return f"params.{name} must be {wanted} (got {rule.params[name]!r:.60})"
    return None


def _has_shape(value: Any, shape: str | tuple[str, ...]) -> bool:
    if isinstance(shape, tuple):
        return value in shape
    if shape == "text":
        return isinstance(value, str)
    if shape == "flag":
        return isinstance(value, bool)
    if shape == "words":
        return _is_words(value)
    return isinstance(value, dict) and all(
        isinstance(key, str) and _is_words(words) for key, words in value.items()
    )


def _is_words(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(word, str) for word in value)
