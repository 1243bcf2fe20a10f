"""Every input a newsroom has, through the real CLI: HTML pages, Word files, Markdown, stdin, and
the inputs that cannot be audited (each exit 2 with a message naming the file, never a traceback).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

# The same claim wherever it appears: flagged in prose, ignored anywhere that is not prose.
CLAIM = "The council has failed everyone for a decade."
UNSOURCED = (
    "The dispute reflects a deeper failure of planning at the council, "
    "which has let maintenance slide for a decade."
)
SOURCED = (
    "According to Marta Lindqvist, who chairs the finance committee, "
    "the levy would raise about 4.2 million crowns a year."
)

# A CMS page: the claim sits in every kind of chrome, and the article holds one unsourced
# sentence, on line 14 after five characters of indentation and markup.
HTML_PAGE = f"""<!DOCTYPE html>
<html>
<head>
  <title>{CLAIM}</title>
  <script>var teaser = "{CLAIM}";</script>
  <style>body {{ color: #222; }}</style>
</head>
<body>
<header><h1>Calder Bay Gazette</h1><p>{CLAIM}</p></header>
<nav><a href="/">Home</a> <a href="/news">{CLAIM}</a></nav>
<article>
  <h2>Harbour levy vote delayed</h2>
  <p>{SOURCED}</p>
  <p>{UNSOURCED}</p>
</article>
<aside><p>{CLAIM}</p></aside>
<form><label>{CLAIM}</label></form>
<footer><p>{CLAIM}</p></footer>
<script>document.write("{CLAIM}");</script>
</body>
</html>
"""

# Nothing but the sourced sentence is prose here.
MARKDOWN_NOT_PROSE = f"""---
title: {CLAIM}
summary: {CLAIM}
---

# Harbour levy

{SOURCED}

`{CLAIM}`

[Read more](https://example.com/the-council-has-failed "{CLAIM}")

```text
{CLAIM}
```

    {CLAIM}

<!-- {CLAIM} -->
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def check(app, *args: str, stdin: str | bytes | None = None) -> Result:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["check", *args], input=stdin)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def lines_of(result: Result) -> list[str]:
    return result.stdout.splitlines()


# --------------------------------------------------------------------------- HTML


def test_html_audits_the_article_and_points_into_the_html_file(app, tmp_path: Path) -> None:
    page = tmp_path / "levy.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    result = check(app, "--format", "line", "levy.html")
    assert result.exit_code == 1
    # Only the article's unsourced sentence: none of the chrome copies of CLAIM.
    assert len(lines_of(result)) == 1
    assert lines_of(result)[0].startswith("levy.html:14:6: error unsourced-claim ")
    assert HTML_PAGE.splitlines()[13][5:].startswith(UNSOURCED)

    finding = json.loads(check(app, "--format", "json", "levy.html").stdout)["files"][0]
    finding = finding["findings"][0]
    assert HTML_PAGE[finding["start"] : finding["end"]] == UNSOURCED
    assert (finding["end_line"], finding["end_column"]) == (14, 6 + len(UNSOURCED))


def test_html_chrome_claim_is_flagged_when_it_is_prose(app, tmp_path: Path) -> None:
    # The control for the test above: CLAIM itself is an unsourced claim.
    (tmp_path / "claim.html").write_text(f"<article><p>{CLAIM}</p></article>", encoding="utf-8")
    result = check(app, "--format", "line", "claim.html")
    assert lines_of(result) == [
        "claim.html:1:13: error unsourced-claim unsourced claim (evaluative language): "
        "no attribution in scope; attribute it or cut it"
    ]


@pytest.mark.parametrize("suffix", [".htm", ".html"])
def test_html_suffixes_are_found_in_folders(app, tmp_path: Path, suffix: str) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / f"levy{suffix}").write_text(HTML_PAGE, encoding="utf-8")
    (tmp_path / "site" / "style.css").write_text(f"/* {CLAIM} */", encoding="utf-8")
    result = check(app, "--format", "line", "site")
    assert [line.split(":")[0] for line in lines_of(result)] == [f"site/levy{suffix}"]


# --------------------------------------------------------------------------- Word


def _write_docx(path: Path, paragraphs: list[str]) -> None:
    docx = pytest.importorskip("docx", reason="python-docx (the docx extra) is not installed")
    document = docx.Document()
    document.add_heading("Harbour levy vote delayed", level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))


def test_docx_written_by_python_docx_has_paragraph_locations(app, tmp_path: Path) -> None:
    _write_docx(tmp_path / "levy.docx", [SOURCED, "", UNSOURCED])
    result = check(app, "--format", "json", "levy.docx")
    assert result.exit_code == 1
    entry = json.loads(result.stdout)["files"][0]
    assert (entry["format"], entry["location_unit"]) == ("docx", "paragraph")
    [finding] = entry["findings"]
    # Heading, sourced paragraph, empty paragraph, then the claim: paragraph 4, from its start.
    assert (finding["rule"], finding["line"], finding["column"]) == ("unsourced-claim", 4, 1)

    line = check(app, "--format", "line", "levy.docx")
    assert lines_of(line)[0].startswith("levy.docx:4:1: error unsourced-claim ")
    sarif = json.loads(check(app, "--format", "sarif", "levy.docx").stdout)
    region = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 4
    assert "charOffset" not in region  # offsets into a zip would point nowhere


def test_docx_clean_file_passes(app, tmp_path: Path) -> None:
    _write_docx(tmp_path / "clean.docx", [SOURCED])
    result = check(app, "--format", "line", "clean.docx")
    assert (result.exit_code, result.stdout) == (0, "")


# --------------------------------------------------------------------------- Markdown


def test_markdown_markup_is_not_prose(app, tmp_path: Path) -> None:
    (tmp_path / "draft.md").write_text(MARKDOWN_NOT_PROSE, encoding="utf-8")
    result = check(app, "--format", "line", "draft.md")
    assert (result.exit_code, result.stdout) == (0, "")
    # The control: read as plain text, the same file is full of unsourced claims.
    (tmp_path / "draft.txt").write_text(MARKDOWN_NOT_PROSE, encoding="utf-8")
    assert check(app, "--format", "line", "draft.txt").exit_code == 1


def test_markdown_prose_after_markup_keeps_its_line(app, tmp_path: Path) -> None:
    (tmp_path / "draft.md").write_text(MARKDOWN_NOT_PROSE + f"\n{UNSOURCED}\n", encoding="utf-8")
    result = check(app, "--format", "line", "draft.md")
    line_number = len(MARKDOWN_NOT_PROSE.splitlines()) + 2
    assert [line.split(" ")[0] for line in lines_of(result)] == [f"draft.md:{line_number}:1:"]


# --------------------------------------------------------------------------- stdin


def test_stdin_filename_picks_the_format_and_names_the_report(app) -> None:
    result = check(
        app,
        "--format",
        "line",
        "-",
        "--stdin-filename",
        "draft.md",
        stdin=MARKDOWN_NOT_PROSE + f"\n{UNSOURCED}\n",
    )
    assert result.exit_code == 1
    assert [line.split(" ")[0] for line in lines_of(result)] == [
        f"draft.md:{len(MARKDOWN_NOT_PROSE.splitlines()) + 2}:1:"
    ]


def test_stdin_html(app) -> None:
    result = check(app, "--format", "line", "-", "--stdin-filename", "page.html", stdin=HTML_PAGE)
    assert [line.split(" ")[0] for line in lines_of(result)] == ["page.html:14:6:"]


def test_stdin_without_a_filename_is_plain_text(app) -> None:
    result = check(app, "--format", "line", "-", stdin=MARKDOWN_NOT_PROSE)
    assert result.exit_code == 1  # front matter, code and comments are prose in plain text
    assert all(line.startswith("<stdin>:") for line in lines_of(result))


def test_unreadable_stdin_is_named_as_its_findings_would_be(app) -> None:
    # Findings from stdin say "<stdin>:LINE:COL"; its read error named it "-".
    result = check(app, "--format", "line", "-", stdin=b"\x89PNG\r\n\x1a\n\x00\x00")
    assert result.exit_code == 2
    assert lines_of(result)[0].startswith("<stdin>: error read-error binary file")


# --------------------------------------------------------------------------- unreadable inputs


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """name -> (path argument, words the message must contain)."""
    (tmp_path / "empty.md").write_bytes(b"\n  \n")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "latin1.txt").write_bytes("Le café est fermé.".encode("latin-1"))
    (tmp_path / "no-articles").mkdir()
    (tmp_path / "no-articles" / "data.csv").write_text("a,b\n", encoding="utf-8")
    return {
        "missing": ("nowhere.md", "no such file"),
        "empty": ("empty.md", "empty"),
        "binary": ("image.txt", "binary"),
        "not-utf8": ("latin1.txt", "UTF-8"),
        "no-articles": ("no-articles", "no articles"),
    }


@pytest.mark.parametrize("case", ["missing", "empty", "binary", "not-utf8", "no-articles"])
@pytest.mark.parametrize("fmt", ["terminal", "line", "json"])
def test_unreadable_input_exits_2_naming_the_file(app, tmp_path: Path, case: str, fmt: str) -> None:
    path, words = _bad_inputs(tmp_path)[case]
    result = check(app, "--format", fmt, path)
    assert result.exit_code == 2
    if fmt == "json":
        [entry] = json.loads(result.stdout)["files"]
        assert (entry["path"], entry["status"]) == (path, "error")
        assert words in entry["error"]
    else:
        flat = " ".join(result.output.split())
        assert path in flat and words in flat


def test_batch_reports_the_bad_file_and_audits_the_others(app, tmp_path: Path) -> None:
    _bad_inputs(tmp_path)
    (tmp_path / "a.md").write_text(f"# A\n\n{UNSOURCED}\n", encoding="utf-8")
    (tmp_path / "z.md").write_text(f"# Z\n\n{SOURCED}\n\n{UNSOURCED}\n", encoding="utf-8")
    result = check(app, "--format", "json", "a.md", "image.txt", "z.md", "nowhere.md")
    assert result.exit_code == 2  # an unreadable input outranks findings
    files = json.loads(result.stdout)["files"]
    status = {f["path"]: (f["status"], [x["rule"] for x in f["findings"]]) for f in files}
    assert status == {
        "a.md": ("ok", ["unsourced-claim"]),
        "image.txt": ("error", []),
        "z.md": ("ok", ["unsourced-claim"]),
        "nowhere.md": ("error", []),
    }
    line = check(app, "--format", "line", "a.md", "image.txt", "z.md")
    assert [row.split(":")[0] for row in lines_of(line)] == ["a.md", "image.txt", "z.md"]


# --------------------------------------------------------------------------- broken data files

BROKEN_RULES = """pack: local
description: Local rules.
rules:
  - id: local-rule
    category: finding: extra
    matcher: phrase
"""
INVALID_RULES = """pack: local
description: Local rules.
rules:
  - id: local-rule
    category: finding
    severity: critical
"""
INVALID_REGISTRY = """registry: local
description: Local sources.
entries:
- id: calder-council
  name: Calder Bay Council
  type: governmnet
"""


@pytest.mark.parametrize(
    ("option", "name", "text", "expected"),
    [
        ("--rules", "broken.yaml", BROKEN_RULES, "broken.yaml:5: invalid YAML"),
        ("--rules", "invalid.yaml", INVALID_RULES, "invalid.yaml:4: invalid rule pack"),
        ("--registry", "sources.yaml", INVALID_REGISTRY, "sources.yaml:6: invalid registry"),
        ("--registry", "sources.yaml", BROKEN_RULES, "sources.yaml:5: invalid YAML"),
    ],
)
def test_broken_rule_or_registry_file_exits_2_with_file_and_line(
    app, tmp_path: Path, option: str, name: str, text: str, expected: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "a.md").write_text(f"# A\n\n{SOURCED}\n", encoding="utf-8")
    result = check(app, option, name, "a.md")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("attribaudit: error: ")
    assert expected in result.stderr


@pytest.mark.parametrize("option", ["--rules", "--registry"])
def test_missing_rule_or_registry_file(app, tmp_path: Path, option: str) -> None:
    (tmp_path / "a.md").write_text(f"# A\n\n{SOURCED}\n", encoding="utf-8")
    result = check(app, option, "gone.yaml", "a.md")
    assert result.exit_code == 2
    assert "gone.yaml" in result.stderr and "not found" in result.stderr


def test_html_references_read_as_the_page_shows_them(app, tmp_path: Path) -> None:
    # CMS pages write apostrophes and quotes as references; the report quotes the words as a
    # reader sees them, not with the blanks that keep the offsets ("union’ s").
    page = (
        "<article><p>The union&rsquo;s members stayed home, said Anna Berg, "
        "the union&rsquo;s general secretary.</p>"
        "<p>The city&rsquo;s critics say the strike will last.</p></article>"
    )
    (tmp_path / "strike.html").write_text(page, encoding="utf-8")
    result = check(app, "--format", "json", str(tmp_path / "strike.html"))
    entry = json.loads(result.stdout)["files"][0]
    sources = [a["source"]["text"] for a in entry["attributions"] if a["source"]]
    assert "Anna Berg, the union\u2019s general secretary" in sources
    assert all("\u2019 " not in a["content"][0]["text"] for a in entry["attributions"])
    messages = [f["message"] for f in entry["findings"]]
    assert "vague attribution: \u201cThe city\u2019s critics\u201d names no one" in messages


# A wire dateline and a quotation written with references, as a CMS writes them: the dateline
# tag's cue ends at the dash, the quotation at its closing quote mark, both references.
REFERENCE_PAGES = {
    "html": (
        "<article><p>LYON (AFP) &mdash; Bus drivers in three cities stayed off work on "
        "Thursday.</p>\n<p>&ldquo;We are not asking for more money,&rdquo; said H&eacute;l"
        "&egrave;ne Marchetti, the union&rsquo;s general secretary. &ldquo;We are asking to be "
        "able to sleep.&rdquo;</p></article>\n"
    ),
    "md": (
        "LYON (AFP) &mdash; Bus drivers in three cities stayed off work on Thursday.\n\n"
        "&ldquo;We are not asking for more money,&rdquo; said Hélène Marchetti, the "
        "union&rsquo;s general secretary. &ldquo;We are asking to be able to sleep.&rdquo;\n"
    ),
}
_REFERENCE_OR_TAG = re.compile(r"&#?[A-Za-z0-9]+;|<[^<>]*>")


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_spans_never_cut_a_character_reference_or_a_tag(app, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"strike.{fmt}"
    path.write_text(REFERENCE_PAGES[fmt], encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    entry = json.loads(check(app, "--format", "json", str(path)).stdout)["files"][0]
    spans = [
        span
        for a in entry["attributions"]
        for span in [a["cue"], a["source"], *a["content"]]
        if span is not None
    ]
    spans += entry["sentences"] + entry["findings"]
    assert any(s["end"] == text.index("&mdash;") + len("&mdash;") for s in spans)
    atoms = [m.span() for m in _REFERENCE_OR_TAG.finditer(text)]
    for span in spans:
        cut = [text[a:b] for a, b in atoms for at in (span["start"], span["end"]) if a < at < b]
        assert not cut, (text[span["start"] : span["end"]], cut)
        if "text" in span:
            # The source text, references decoded and tags dropped, reads as the span's text.
            shown = html.unescape(
                _REFERENCE_OR_TAG.sub(
                    lambda m: m.group() if m.group().startswith("&") else " ",
                    text[span["start"] : span["end"]],
                )
            )
            assert " ".join(shown.split()) == span["text"]
