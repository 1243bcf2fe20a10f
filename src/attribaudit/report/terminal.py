"""The default report for people: per file, the flagged sentences with the span highlighted,
a table of sources with their registry match, a summary line, and the corpus summary."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..models import FileResult, RuleInfo
from . import percent

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_SPACE = re.compile(r"\s+")
CONTEXT = 220  # characters of sentence shown around a finding
# A sentence at most this much longer is shown whole: cutting off its last two words saves
# nothing worth the "…".
CONTEXT_SLACK = 20


def print_file(entry: dict[str, Any], result: FileResult | None, console: Console) -> None:
    path = entry["path"]
    if entry["status"] == "error":
        console.print(
            Text.assemble((path, "bold"), ": ", ("error", "bold red"), f": {entry['error']}")
        )
        return
    console.print(Text(path, style="bold underline"))
    sentences = {(s["start"], s["end"]): s for s in entry["sentences"]}
    lines: list[Text] = []
    for f in entry["findings"]:
        head = Text.assemble(
            (f"{f['line']}:{f['column']}", "dim"),
            " ",
            (f"{f['severity']:<7}", STYLE[f["severity"]]),
            " ",
            (f["rule"], "magenta"),
            " ",
            f["message"],
        )
        # Wrapped lines stay indented under their finding.
        lines.extend(_indented(console, head, 2))
        if result is not None and result.document is not None:
            lines.extend(_indented(console, _context(result, f, sentences), 6))
    if lines:
        # One print for all of them: they are wrapped already, and each console.print costs
        # some 0.2 ms whatever it prints (an article has some 40 such lines).
        console.print(Group(*lines), soft_wrap=True)
    sources = [a for a in entry["attributions"] if a["source"] is not None]
    if sources:
        table = Table(
            title=None, show_edge=False, pad_edge=False, box=None, header_style="bold dim"
        )
        table.add_column("source")
        table.add_column("kind")
        table.add_column("resolved")
        table.add_column("registry")
        seen = set()
        for a in sources:
            key = (a["source"]["text"], a["kind"])
            if key in seen:
                continue
            seen.add(key)
            reg = a["registry"]
            match = "—"
            if reg:
                match = f"{reg['name']} ({reg['score']:.0f}, via “{reg['alias']}”)"
                if reg.get("ambiguous_with"):
                    match += " ambiguous: " + ", ".join(reg["ambiguous_with"])
            resolved = a["resolved"]["text"] + f" ({a['resolved']['via']})" if a["resolved"] else ""
            table.add_row(
                _clip(_SPACE.sub(" ", a["source"]["text"]), 48), a["kind"], resolved, match
            )
        _print_table(table, console)
    s = entry["summary"]
    console.print(
        Text(
            f"  {_count(s['sentences'], 'sentence')}, {_count(s['assertions'], 'claim')}: "
            f"{s['unsourced']} unsourced, {s['vague']} vague, "
            f"{percent(s['sourced_ratio'])} sourced",
            style="dim",
        )
    )
    console.print()


def _clip(text: str, width: int) -> str:
    """`text` cut to `width` characters, marked when it was cut: a name that stops short
    ("Vladimir Kolokolts") reads as a wrong name."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _context(result: FileResult, finding: dict[str, Any], sentences: dict) -> Text:
    """The sentence around a finding, at most some CONTEXT characters of it. A cut falls
    between words and is marked "…": "the letter of Interpo" reads as a misspelt word, and an
    unmarked cut as the sentence's own start or end."""
    doc = result.document
    assert doc is not None
    start, end = finding["start"], finding["end"]
    # The sentence holding the finding, or the finding itself when it is a whole sentence.
    a, b = next(
        ((s_start, s_end) for (s_start, s_end) in sentences if s_start <= start and end <= s_end),
        (start, end),
    )
    # Only a window of the file is read: a "sentence" may be a whole dump with no full stop.
    # The window's edges are moved to white space of the file, which never falls inside a
    # character reference, so the words at its edges are whole; a tag is blank prose either way.
    text = doc.text
    window = 4 * CONTEXT
    cut_before = a < start - window
    if cut_before:
        a = _space_after(text, start - window, start)
    cut_after = b > end + window
    if cut_after:
        b = _space_before(text, end, end + window)
    inside_end = end
    if end - start > window:
        inside_end = _space_before(text, start, start + window)
    before = _SPACE.sub(" ", doc.shown(a, start)).lstrip()
    inside = _SPACE.sub(" ", doc.shown(start, inside_end))
    after = _SPACE.sub(" ", doc.shown(end, b)).rstrip()
    cut = cut_before or cut_after or inside_end < end
    if cut or len(before) + len(inside) + len(after) > CONTEXT + CONTEXT_SLACK:
        before, inside, after = _fit(before, inside, after, cut_before, cut_after, inside_end < end)
    style = STYLE[finding["severity"]].replace("bold ", "") + " underline"
    return Text.assemble((before, "dim"), (inside, style), (after, "dim"))


def _fit(
    before: str, inside: str, after: str, cut_before: bool, cut_after: bool, cut_inside: bool
) -> tuple[str, str, str]:
    """The three parts of a context cut to CONTEXT characters in all, each cut marked."""
    inside = _head(inside, CONTEXT, cut_inside, whole_words=False)
    # The finding first; the rest of the room goes a third before it and the rest after it,
    # or all to the one side when the other is short.
    room = max(0, CONTEXT - len(inside))
    before = _tail(before, max(room // 3, room - len(after)), cut_before)
    after = _head(after, room - len(before), cut_after)
    return before, inside, after


def _space_after(text: str, at: int, limit: int) -> int:
    """The first white space of `text` from `at` (or `limit` when there is none before it)."""
    match = _SPACE.search(text, at, limit)
    return match.start() if match else limit


def _space_before(text: str, limit: int, at: int) -> int:
    """The end of the last word of `text` before `at` and after `limit` (or `limit`)."""
    spaces = [m.start() for m in _SPACE.finditer(text, limit, at)]
    return spaces[-1] if spaces else limit


def _tail(text: str, room: int, cut: bool) -> str:
    """The end of `text` in at most `room` characters, from the start of a word; "…" before
    it when anything was left out (`cut`: the text was cut already, before it came here)."""
    if len(text) <= room and not cut:
        return text
    keep = max(0, room - 1)  # the "…" takes one
    kept = text[len(text) - keep :] if keep else ""
    if len(kept) < len(text) and not text[len(text) - len(kept) - 1].isspace():
        # The first word kept was cut: it goes too.
        space = kept.find(" ")
        kept = kept[space + 1 :] if space >= 0 else ""
    if not kept and text.endswith(" "):
        return "… "
    return "…" + kept.lstrip()


def _head(text: str, room: int, cut: bool, *, whole_words: bool = True) -> str:
    """The start of `text` in at most `room` characters, up to the end of a word; "…" after it
    when anything was left out. Without `whole_words`, a text with no space to cut at (the
    finding itself, one long word) is cut where it must be rather than left out."""
    if len(text) <= room and not cut:
        return text
    keep = max(0, room - 1)
    kept = text[:keep]
    if len(kept) < len(text) and not text[len(kept)].isspace():
        space = kept.rfind(" ")
        if space >= 0:
            kept = kept[:space]
        elif whole_words:
            kept = ""
    kept = kept.rstrip()
    if not kept and text.startswith(" "):
        return " …"
    return kept + "…"


def _indented(console: Console, text: Text, indent: int) -> list[Text]:
    """The lines of `text` wrapped to the console and indented, so a long message stays under
    its finding (print them with soft_wrap, as they fit already)."""
    lines = []
    for line in text.wrap(console, max(20, console.width - indent)):
        line.rstrip()
        lines.append(Text(" " * indent) + line)
    return lines


def print_summary(report: dict[str, Any], console: Console) -> None:
    s = report["summary"]
    parts = [
        f"{s['files']} file{'s' if s['files'] != 1 else ''}",
        f"{s['errors']} error{'s' if s['errors'] != 1 else ''}",
        f"{s['warnings']} warning{'s' if s['warnings'] != 1 else ''}",
        f"{s['infos']} info",
    ]
    if s.get("failed"):
        parts.append(f"{s['failed']} could not be read")
    style = (
        "bold red" if s["errors"] or s.get("failed") else ("yellow" if s["warnings"] else "green")
    )
    console.print(Text(" · ".join(parts), style=style))
    corpus = report.get("corpus")
    # The corpus part closes a report of several files; for one it repeats the file's summary.
    if corpus and corpus.get("files", 0) > 1:
        print_corpus(corpus, console)


def print_corpus(corpus: dict[str, Any], console: Console) -> None:
    """The corpus summary at the end of the terminal report."""
    console.print()
    console.print(Text("Corpus", style="bold underline"))
    failed = f", {corpus['failed']} could not be read" if corpus["failed"] else ""
    console.print(
        f"  {_count(corpus['audited'], 'file')} audited{failed}; "
        f"{_count(corpus['sentences'], 'sentence')}, {_count(corpus['assertions'], 'claim')}: "
        f"{percent(corpus['sourced_share'])} sourced, "
        f"{corpus['unsourced']} unsourced, {corpus['vague']} vague",
        highlight=False,
    )
    if corpus["sources"]:
        table = _table("most cited sources", "citations", "files", "registry entry")
        for s in corpus["sources"]:
            via = ", ".join(f"“{a}”" for a in s["aliases"])
            table.add_row(
                s["name"], str(s["citations"]), str(s["files"]), f"{s['type']}, via {via}"
            )
        _print_table(table, console)
    if corpus["unregistered"]:
        note = " (approximate)" if corpus.get("unregistered_approximate") else ""
        table = _table(
            f"sources not in the registry{note}: {corpus['unregistered_distinct']} distinct",
            "citations",
            "files",
        )
        for u in corpus["unregistered"]:
            table.add_row(_clip(u["source"], 60), str(u["citations"]), str(u["files"]))
        _print_table(table, console)
    if corpus["unsourced_files"]:
        table = _table(
            f"highest share of unsourced claims (files with ≥ {corpus['min_assertions']})",
            "unsourced",
            "claims",
            "share",
        )
        for f in corpus["unsourced_files"]:
            table.add_row(f["path"], str(f["unsourced"]), str(f["assertions"]), percent(f["share"]))
        _print_table(table, console)


def _print_table(table: Table, console: Console) -> None:
    """A table indented under its heading. The indent is the table's, not its cells': a cell
    that wraps keeps it on every line, where "  " in the cell's text held for its first only."""
    console.print(Padding(table, (0, 0, 0, 2), expand=False))


def _table(title: str, *columns: str) -> Table:
    table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold dim")
    table.add_column(title)
    for column in columns:
        table.add_column(column, justify="right" if column != "registry entry" else "left")
    return table


def render(report: dict[str, Any], rules: Sequence[RuleInfo]) -> str:
    """Plain text of the same report (for --output), without the document context."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=120, no_color=True, highlight=False)
    for entry in report["files"]:
        print_file(entry, None, console)
    print_summary(report, console)
    return buffer.getvalue()
