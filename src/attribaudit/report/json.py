"""`--format json`: the version-1 contract as one object.

The object is indented, which Python's JSON encoder does in Python, not C: a corpus's report
costs about as much to encode as a fifth of its audit. So each file's entry can be encoded on
its own, where it was audited (`render_file`, in a worker), and the report put together from
those texts (`render_with_files`), which gives the same text as `render`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..models import RuleInfo

INDENT = 2
# Where each entry stands in the report: an item of the top-level "files" list.
_ENTRY_DEPTH = 2
# The empty "files" list of a report, as `render` writes it. A line break followed by exactly
# one level of indentation only starts a top-level key: strings hold no raw line breaks.
_NO_FILES = "\n" + " " * INDENT + '"files": []'


def render(report: dict[str, Any], rules: Sequence[RuleInfo]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=INDENT)


def render_file(entry: dict[str, Any]) -> str:
    """One entry of `files` as `render` writes it inside the report, indentation included."""
    margin = " " * (INDENT * _ENTRY_DEPTH)
    return margin + render(entry, ()).replace("\n", "\n" + margin)


def render_with_files(report: dict[str, Any], files: Sequence[str]) -> str:
    """`render(report)` with `files` (from `render_file`, in order) as the report's entries;
    the report's own `files` list must be empty."""
    if report["files"]:
        raise ValueError("the report already holds entries")
    text = render(report, ())
    if not files:
        return text
    listed = "\n" + " " * INDENT + '"files": [\n' + ",\n".join(files) + "\n" + " " * INDENT + "]"
    return text.replace(_NO_FILES, listed, 1)
