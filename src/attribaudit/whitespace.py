"""White space folding shared by the stages and the reports."""

from __future__ import annotations


def squeezed(text: str) -> str:
    """The text with each run of white space one space and none at its ends: what
    `re.sub(r"\\s+", " ", text).strip()` gives (`str.split` splits at exactly the characters
    that `\\s` matches, checked over all of Unicode), several times faster. Reports call it for
    every finding and source name they quote."""
    return " ".join(text.split())
