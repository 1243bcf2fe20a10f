"""`squeezed` folds white space exactly as the regex it replaces."""

from __future__ import annotations

import re
import sys

from attribaudit.whitespace import squeezed

_SPACE = re.compile(r"\s+")


def test_str_split_splits_where_the_regex_matches_white_space() -> None:
    chars = [chr(code) for code in range(sys.maxunicode + 1)]
    matched = {char for char in chars if _SPACE.match(char)}
    split_at = {char for char in chars if len(f"a{char}b".split()) == 2}
    assert matched == split_at


def test_squeezed_is_the_regex_fold() -> None:
    for text in ("", " ", " a \t\n b\u00a0\u2003c \u3000", "one", "\u2028x\u2029\x1cy\x85 "):
        assert squeezed(text) == _SPACE.sub(" ", text).strip()
