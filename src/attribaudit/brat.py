"""Read a gold attribution corpus in brat standoff, laid out as PolNeAR is.

    GOLD_DIR/text/NAME.txt
    GOLD_DIR/attributions/NAME_<annotator>.ann

Only the `Source`, `Cue` and `Content` parts of attributions are kept; the `E` lines say which
parts belong together. Offsets are code points into the text file exactly as decoded (UTF-8,
newlines untouched), which is also what the engine reports, so no mapping is needed.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .models import AttribauditError

Fragment = tuple[int, int]

ROLES = ("cue", "source", "content")

# brat numbers repeated roles ("Content2"); the digits say nothing about the role itself.
_ROLE_BY_NAME = {"Cue": "cue", "Source": "source", "Content": "content"}
_TRAILING_DIGITS = re.compile(r"\d+\Z")
_OFFSETS = re.compile(r"\d+ \d+(?:;\d+ \d+)*\Z")
_MAX_OFFSET_DIGITS = 18
# Annotation kinds brat writes that say nothing about span extents: relations, attributes,
# normalisations, notes and equivalences.
_IGNORED_KINDS = frozenset("RAMN#*")
# The start of any brat annotation line. A textbound's covered text may contain the document's
# newlines (PolNeAR has a few); the lines that follow it are then part of that text, unless they
# look like an annotation of their own.
_ANNOTATION_START = re.compile(r"(?:[TERAMN]\d+|#\d*|\*)\t")


@dataclass
class GoldAttribution:
    """One hand-annotated attribution; each role is a list of (start, end) fragments."""

    cue: list[Fragment] = field(default_factory=list)
    source: list[Fragment] = field(default_factory=list)
    content: list[Fragment] = field(default_factory=list)

    def role(self, name: str) -> list[Fragment]:
        return getattr(self, name)  # type: ignore[no-any-return]


@dataclass
class GoldDocument:
    name: str
    text: str
    attributions: list[GoldAttribution]
    publisher: str | None = None


@dataclass
class _Textbound:
    label: str
    fragments: list[Fragment]


def read_corpus(gold_dir: Path) -> Iterator[GoldDocument]:
    """Yield the corpus's documents in name order.

    The folder layout and the pairing of texts with annotation files are checked before the
    first document is yielded, so a broken corpus fails at once rather than halfway through.
    """
    text_dir, ann_dir = check_layout(gold_dir)
    ann_files = _annotation_files(ann_dir)
    texts = sorted(text_dir.glob("*.txt"))
    for text_path in texts:
        if text_path.stem not in ann_files:
            raise AttribauditError(
                f"no annotation file attributions/{text_path.stem}_<annotator>.ann for this text",
                str(text_path),
            )
    publishers = _metadata_publishers(gold_dir)

    def documents() -> Iterator[GoldDocument]:
        for text_path in texts:
            name = text_path.stem
            text = _read_text(text_path)
            yield GoldDocument(
                name=name,
                text=text,
                attributions=read_ann(ann_files[name], text),
                publisher=publishers.get(name) or publisher_from_name(name),
            )

    return documents()


def check_layout(gold_dir: Path) -> tuple[Path, Path]:
    """Return (text/, attributions/) or say which one is missing."""
    if not gold_dir.is_dir():
        raise AttribauditError("gold corpus folder not found", str(gold_dir))
    text_dir, ann_dir = gold_dir / "text", gold_dir / "attributions"
    for needed in (text_dir, ann_dir):
        if not needed.is_dir():
            raise AttribauditError(
                f"not a brat attribution corpus: it has no {needed.name}/ folder "
                "(expected text/NAME.txt and attributions/NAME_<annotator>.ann)",
                str(gold_dir),
            )
    return text_dir, ann_dir


def publisher_from_name(name: str) -> str | None:
    """PolNeAR names start with the publisher: `breitbart_2015-11-11_...`."""
    prefix, sep, _ = name.partition("_")
    return prefix if sep and prefix else None


def read_ann(path: Path, text: str) -> list[GoldAttribution]:
    """Parse one .ann file into attributions, checking offsets against the document text."""
    where = str(path)
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise AttribauditError(f"cannot read annotation file: {exc}", where) from exc

    textbounds: dict[str, _Textbound] = {}
    events: list[tuple[int, list[tuple[str, str]]]] = []
    continuation = 0  # characters of a textbound's covered text still to come on later lines
    for number, line in enumerate(lines, start=1):
        if continuation > 0 and not _ANNOTATION_START.match(line):
            continuation -= len(line) + 1
            continue
        continuation = 0
        if not line.strip():
            continue
        kind = line[0]
        if kind == "T":
            ann_id, bound, covered = _parse_textbound(line, len(text), where, number)
            textbounds[ann_id] = bound
            expected = sum(end - start for start, end in bound.fragments)
            expected += len(bound.fragments) - 1  # brat joins fragments with one space
            continuation = expected - len(covered)
        elif kind == "E":
            events.append((number, _parse_event(line, where, number)))
        elif kind not in _IGNORED_KINDS:
            raise AttribauditError(f"unrecognised annotation line: {line[:60]!r}", where, number)

    attributions = []
    for number, arguments in events:
        attribution = GoldAttribution()
        for role, ref in arguments:
            if ref not in textbounds:
                raise AttribauditError(
                    f"{role} refers to {ref}, which is not defined", where, number
                )
            attribution.role(role).extend(textbounds[ref].fragments)
        if attribution.cue or attribution.source or attribution.content:
            for role in ROLES:
                attribution.role(role).sort()
            attributions.append(attribution)
    return attributions


def _parse_textbound(
    line: str, text_length: int, where: str, number: int
) -> tuple[str, _Textbound, str]:
    parts = line.split("\t", 2)
    if len(parts) < 2:
        raise AttribauditError(
            "textbound line needs ID<TAB>LABEL START END<TAB>TEXT", where, number
        )
    ann_id, body = parts[0], parts[1]
    covered = parts[2] if len(parts) == 3 else ""
    label, _, offsets = body.partition(" ")
    if not label or not _OFFSETS.match(offsets):
        raise AttribauditError(
            f"bad textbound {ann_id}: expected 'LABEL START END[;START END...]', got {body!r}",
            where,
            number,
        )
    fragments = []
    for piece in offsets.split(";"):
        start_text, end_text = piece.split(" ")
        # An offset longer than any text would be: int() refuses past 4,300 digits.
        too_long = max(len(start_text), len(end_text)) > _MAX_OFFSET_DIGITS
        start, end = (0, text_length + 1) if too_long else (int(start_text), int(end_text))
        if start > end or end > text_length:
            shown = f"{piece[:40]}…" if too_long else f"{start} {end}"
            raise AttribauditError(
                f"bad textbound {ann_id}: offsets {shown} fall outside the text "
                f"({text_length} characters)",
                where,
                number,
            )
        fragments.append((start, end))
    return ann_id, _Textbound(label, fragments), covered


def _parse_event(line: str, where: str, number: int) -> list[tuple[str, str]]:
    """Return (role, textbound id) for the cue, source and content arguments of an E line."""
    parts = line.split("\t")
    if len(parts) < 2 or not parts[1].strip():
        raise AttribauditError("event line needs ID<TAB>TYPE:ID ROLE:ID...", where, number)
    arguments = []
    for argument in parts[1].split():
        name, sep, ref = argument.partition(":")
        if not sep or not name or not ref:
            raise AttribauditError(
                f"bad event argument {argument!r}: expected ROLE:ID", where, number
            )
        role = _ROLE_BY_NAME.get(_TRAILING_DIGITS.sub("", name))
        if role is not None:  # the trigger ("Attribution:T4") and other roles are not scored
            arguments.append((role, ref))
    return arguments


def _annotation_files(ann_dir: Path) -> dict[str, Path]:
    """Article name -> its annotation file; with several annotators, the first by file name."""
    chosen: dict[str, Path] = {}
    for path in sorted(ann_dir.glob("*.ann")):
        name, sep, _annotator = path.stem.rpartition("_")
        if sep and name not in chosen:
            chosen[name] = path
    return chosen


def _read_text(path: Path) -> str:
    try:
        # newline="" keeps "\r\n" as two characters: brat counted them.
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise AttribauditError(f"cannot read text: {exc}", str(path)) from exc


def _metadata_publishers(gold_dir: Path) -> dict[str, str]:
    """Name -> publisher from a `metadata.tsv` inside the split folder or next to it."""
    for candidate in (gold_dir / "metadata.tsv", gold_dir.parent / "metadata.tsv"):
        if candidate.is_file():
            return _read_metadata(candidate)
    return {}


def _read_metadata(path: Path) -> dict[str, str]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise AttribauditError(f"cannot read corpus metadata: {exc}", str(path)) from exc
    publishers = {}
    for row in rows:
        name, publisher = row.get("filename"), row.get("publisher")
        if name and publisher:
            publishers[name.strip()] = publisher.strip()
    return publishers
