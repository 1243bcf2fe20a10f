"""The pipeline: read -> normalise -> segment -> extract -> resolve -> match -> classify ->
findings -> suppress -> severities. One Engine holds the compiled rules and registry and audits
any number of documents; building it is the expensive part, auditing is cheap.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .classify import Classifier
from .extract import Extractor
from .findings import FindingBuilder
from .ingest import STDIN_PATH, document_from_text, read_document
from .models import (
    AttribauditError,
    Attribution,
    Document,
    FileResult,
    Finding,
    Kind,
    RuleInfo,
    Severity,
    Span,
)
from .normalise import ChromeFilter
from .registry import Registry, load_registry
from .resolve import Resolver
from .rules import RuleSet, load_rules
from .segment import compile_headline_vetoes, segment
from .suppress import DIRECTIVE_RULES, apply_directives
from .tokens import Grammar, Token, quote_regions

_CREDIT_LEAD = re.compile(
    r"\b(?:by|from|of|to|via|according to)\s+(?:the\s+)?(?:\w+\s+){0,3}$", re.IGNORECASE
)

# How each format lays out paragraphs for the segmenter.
PARAGRAPH_MODE = {"txt": "auto", "md": "blank", "html": "blank", "docx": "line"}


class UnknownRuleIds(AttribauditError):
    """Options name rule ids that no loaded pack defines; `known` lets the caller say where
    (the config file and line) and suggest the id meant."""

    def __init__(self, unknown: list[str], known: set[str]) -> None:
        plural = "s" if len(unknown) > 1 else ""
        super().__init__(
            f"unknown rule id{plural}: {', '.join(unknown)} (see `attribaudit rules list`)"
        )
        self.known = known


@dataclass
class EngineOptions:
    rule_paths: list[Path] = field(default_factory=list)
    registry_paths: list[Path] = field(default_factory=list)
    severity: dict[str, Severity | None] = field(default_factory=dict)  # None = off
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    require_reason: bool = False
    report_unused_disables: bool = False
    max_bytes: int | None = None


SeverityFor = Callable[[str, str, Severity], "Severity | None"]


@dataclass(frozen=True)
class EngineRecipe:
    """Everything needed to build an equal Engine elsewhere (a worker process, a Dask worker).

    An Engine holds compiled patterns and automata that are costly to pickle and cheap to rebuild
    from their source files, so processes exchange this instead. `severity_for` must itself be
    picklable (a module-level function or an object with `__call__`), not a closure.
    """

    options: EngineOptions
    severity_for: SeverityFor | None = None

    def build(self) -> Engine:
        engine = Engine(self.options)
        engine.severity_for = self.severity_for
        return engine


class Engine:
    def __init__(self, options: EngineOptions | None = None) -> None:
        self.options = options or EngineOptions()
        self.rules: RuleSet = load_rules(self.options.rule_paths)
        self.registry: Registry = load_registry(self.options.registry_paths)
        self.grammar = Grammar(self.rules)
        self.chrome = ChromeFilter(self.rules)
        self.extractor = Extractor(self.rules, self.grammar)
        self.resolver = Resolver(self.rules, self.grammar, self.extractor)
        self.classifier = Classifier(self.rules)
        self.finding_builder = FindingBuilder(self.rules)
        self.abbreviations = self.rules.words("abbreviations", lower=False)
        self.sentence_starters = self.rules.words("sentence_starters", lower=False)
        self.speech_tag_verbs = self.rules.words("speech_tag_verbs", lower=False)
        self.headline_vetoes = compile_headline_vetoes(self.rules)
        self._infos = self.rules.infos() + list(DIRECTIVE_RULES)
        self.default_severity = {i.id: i.severity for i in self._infos if i.severity is not None}
        self.known_rules = {i.id for i in self._infos}
        unknown = sorted(
            set(self.options.severity) | set(self.options.select) | set(self.options.ignore)
        )
        unknown = [rule for rule in unknown if rule not in self.known_rules]
        if unknown:
            raise UnknownRuleIds(unknown, self.known_rules)
        # A per-path hook (config overrides) may change severities; the CLI installs it.
        self.severity_for: SeverityFor | None = None

    # -- public ---------------------------------------------------------------------------------
    def rule_infos(self) -> list[RuleInfo]:
        return list(self._infos)

    def recipe(self) -> EngineRecipe:
        """A picklable description of this engine; `recipe().build()` makes an equal one."""
        return EngineRecipe(self.options, self.severity_for)

    def __reduce__(self) -> tuple[Callable[[EngineRecipe], Engine], tuple[EngineRecipe]]:
        # Pickle as the recipe, not the compiled state: workers rebuild their own.
        return (EngineRecipe.build, (self.recipe(),))

    def fingerprint(self) -> str:
        """Identifies the rules and registry in force (for caches)."""
        return f"{self.rules.fingerprint()}:{self.registry.fingerprint()}"

    def audit_text(
        self, text: str, path: str = "<text>", fmt: str = "txt", *, all_hits: bool = False
    ) -> FileResult:
        return self.audit_document(document_from_text(text, path, fmt), all_hits=all_hits)

    def audit_file(self, path: str, stdin_filename: str | None = None) -> FileResult:
        """Audit one input; an unreadable one becomes a FileResult with its error."""
        try:
            kwargs = {} if self.options.max_bytes is None else {"max_bytes": self.options.max_bytes}
            doc = read_document(path, stdin_filename=stdin_filename, **kwargs)
        except AttribauditError as exc:
            # Stdin is named as its findings would be: --stdin-filename, else "<stdin>".
            shown = (stdin_filename or STDIN_PATH) if path == "-" else path
            return FileResult(path=shown, document=None, error=exc.message)
        return self.audit_document(doc)

    def audit_document(self, doc: Document, *, all_hits: bool = False) -> FileResult:
        """Audit one document. `hits` records where each rule fired; signal rules (which only
        colour the report where a sentence is short or unsourced) are looked for everywhere
        only with `all_hits`, as rule examples need, and otherwise only where they count."""
        hits: dict[str, list[Span]] = self.chrome.apply(doc)
        paragraphs, sentences = segment(
            doc.prose,
            abbreviations=self.abbreviations,
            paragraph_mode=PARAGRAPH_MODE.get(doc.format, "auto"),
            sentence_starters=self.sentence_starters,
            speech_tag_verbs=self.speech_tag_verbs,
            headline_vetoes=self.headline_vetoes,
            hits=hits,
        )
        # Sentence tokens from extraction, reused by the resolver.
        tokens: dict[int, list[Token]] = {}
        quotations = quote_regions(doc.prose, [(p.span.start, p.span.end) for p in paragraphs])
        attributions = self.extractor.extract(doc, paragraphs, sentences, quotations, tokens)
        unresolved = self.resolver.resolve(doc, sentences, attributions, tokens)
        attributions = self._match(doc, attributions)
        for attribution in attributions:
            hits.setdefault(attribution.rule, []).append(attribution.cue)
        results, signals = self.classifier.classify(
            doc, sentences, attributions, hits, all_signals=all_hits, quotations=quotations
        )
        findings = self.finding_builder.build(doc, results, attributions, unresolved, signals)
        for finding in findings:
            hits.setdefault(finding.rule, []).append(finding.span)
        findings = apply_directives(
            doc,
            findings,
            known_rules=self.known_rules,
            require_reason=self.options.require_reason,
            report_unused=self.options.report_unused_disables,
        )
        findings = self._stamp(doc.path, findings)
        # Fingerprints were set by the builder before suppression, so suppressing one of two
        # identical findings does not renumber the other; directive findings carry their own.
        # Directive findings come back last; report everything in text order.
        findings.sort(key=lambda f: (f.span.start, f.span.end, f.rule))
        return FileResult(
            path=doc.path,
            document=doc,
            sentences=results,
            attributions=attributions,
            findings=findings,
            hits=hits,
        )

    # -- stages -----------------------------------------------------------------------------------
    def _match(self, doc: Document, attributions: list[Attribution]) -> list[Attribution]:
        """Match each source against the registry. A credit line gets one attribution for each
        registry name it mentions, since it may credit several sources."""
        out: list[Attribution] = []
        match = self.registry.match
        for attribution in attributions:
            if attribution.kind is Kind.CREDIT:
                out.extend(self._credit_sources(doc, attribution))
                continue
            if attribution.source is not None:
                names = []
                if attribution.resolved is not None:
                    names.append(attribution.resolved.text)
                names.append(doc.text[attribution.source.start : attribution.source.end])
                for name in names:
                    found = match(name)
                    if found is not None and not found.ambiguous_with:
                        attribution.registry = found
                        break
                    if found is not None and attribution.registry is None:
                        attribution.registry = found
            out.append(attribution)
        for number, attribution in enumerate(out, 1):
            attribution.id = f"a{number}"
        return out

    def _credit_sources(self, doc: Document, credit: Attribution) -> list[Attribution]:
        content = credit.content[0] if credit.content else credit.cue
        text = doc.text[content.start : content.end]
        # A credit names its sources after "by", "from", "of", "to", "via" (or they are wire
        # agencies and outlets); other registry names in it are its topic ("Interpol's role").
        mentions = [
            (start, end, found)
            for start, end, found in self.registry.find_mentions(text)
            if found.type in ("agency", "outlet")
            or _CREDIT_LEAD.search(text[max(0, start - 40) : start])
        ]
        if not mentions:
            return [credit]
        out = []
        for start, end, found in mentions:
            out.append(
                Attribution(
                    id=credit.id,
                    kind=Kind.CREDIT,
                    rule=credit.rule,
                    cue=credit.cue,
                    source=Span(content.start + start, content.start + end),
                    content=credit.content,
                    sentence=credit.sentence,
                    registry=found,
                )
            )
        return out

    def _stamp(self, path: str, findings: list[Finding]) -> list[Finding]:
        """Severity from the rule's default, the user's overrides, and select/ignore."""
        select = set(self.options.select)
        ignore = set(self.options.ignore)
        kept = []
        for finding in findings:
            rule = finding.rule
            if (select and rule not in select) or rule in ignore:
                continue
            default = self.default_severity.get(rule, finding.severity)
            severity: Severity | None = self.options.severity.get(rule, default)
            if rule not in self.options.severity:
                severity = default
            if self.severity_for is not None:
                severity = self.severity_for(path, rule, severity) if severity is not None else None
            if severity is None:
                continue
            finding.severity = severity
            kept.append(finding)
        return kept


_DEFAULT: Engine | None = None


def default_engine() -> Engine:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Engine()
    return _DEFAULT


def audit_text(text: str, path: str = "<text>", fmt: str = "txt") -> FileResult:
    """Audit a string with the shipped rules and registry."""
    return default_engine().audit_text(text, path, fmt)


def audit_path(path: str) -> FileResult:
    """Audit one file with the shipped rules and registry."""
    return default_engine().audit_file(path)
