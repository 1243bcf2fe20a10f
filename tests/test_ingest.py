"""Readers: every format keeps prose characters at their original offsets."""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attribaudit.ingest import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_SUFFIXES,
    _read_at_most,
    document_from_text,
    format_for_path,
    read_document,
)
from attribaudit.models import AttribauditError, Document

DATA = Path(__file__).parent / "data" / "ingest"


def assert_aligned(doc: Document) -> None:
    """Same length, and every character kept in prose is the original one."""
    assert len(doc.prose) == len(doc.text)
    for index, (kept, original) in enumerate(zip(doc.prose, doc.text, strict=True)):
        if kept not in " \n":
            assert kept == original, f"offset {index}: {kept!r} != {original!r}"


def same_offset(doc: Document, phrase: str) -> int:
    """The phrase is prose, at the offset it has in the original text."""
    offset = doc.text.index(phrase)
    assert doc.prose[offset : offset + len(phrase)] == phrase
    return offset


def absent(doc: Document, phrase: str) -> None:
    assert phrase in doc.text
    assert phrase not in doc.prose


def paragraphs(prose: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", prose) if p.strip()]


# -- plain text ---------------------------------------------------------------------------


def test_txt_prose_is_text_and_comments_are_recorded() -> None:
    doc = read_document(str(DATA / "article.txt"))
    assert doc.format == "txt"
    assert doc.location_unit == "line"
    comment = "<!-- attribaudit-disable-next-line unsourced-claim -->"
    [span] = doc.comments
    assert doc.slice(span) == comment
    assert doc.prose[span.start : span.end] == " " * len(comment)
    # Everything outside the comment is untouched.
    assert doc.prose[: span.start] == doc.text[: span.start]
    assert doc.prose[span.end :] == doc.text[span.end :]


def test_txt_without_comments_is_identical() -> None:
    text = "Line one.\r\nLine two.\n\n  indented\n"
    doc = document_from_text(text)
    assert doc.text == text
    assert doc.prose == text
    assert doc.comments == []


def test_bom_is_stripped_and_newlines_untouched(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfFirst line.\r\nSecond line.\r\n")
    doc = read_document(str(path))
    assert doc.text == "First line.\r\nSecond line.\r\n"
    assert doc.lines.position(doc.text.index("Second")) == (2, 1)


def test_unknown_suffix_reads_as_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.rst"
    path.write_text("The minister said so.\n", encoding="utf-8")
    doc = read_document(str(path))
    assert doc.format == "txt"
    assert doc.path == str(path)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.txt", "txt"), ("a.MD", "md"), ("a.markdown", "md"), ("a.htm", "html"),
     ("a.HTML", "html"), ("a.docx", "docx"), ("a.csv", "txt"), ("memory://b/x.md", "md"),
     ("s3://bucket/a.html?version=2", "html")],
)  # fmt: skip
def test_format_for_path(name: str, fmt: str) -> None:
    assert format_for_path(name) == fmt


def test_supported_suffixes_and_limit() -> None:
    assert SUPPORTED_SUFFIXES[".markdown"] == "md"
    assert DEFAULT_MAX_BYTES == 10 * 1024 * 1024


# -- input errors ---------------------------------------------------------------------------


def error_of(path: str, **kwargs: object) -> AttribauditError:
    with pytest.raises(AttribauditError) as caught:
        read_document(path, **kwargs)  # type: ignore[arg-type]
    assert caught.value.path == path
    return caught.value


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in error_of(str(tmp_path / "nope.md")).message


def test_directory(tmp_path: Path) -> None:
    assert "is a directory" in error_of(str(tmp_path)).message


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file"
)
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("text", encoding="utf-8")
    path.chmod(0)
    try:
        assert error_of(str(path)).message == "permission denied"
    finally:
        path.chmod(0o644)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"GIF89a\x01\x00\x00\x00")
    message = error_of(str(path)).message
    assert "binary file" in message
    assert "offset 7" in message


def test_utf16_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("Said the minister.".encode("utf-16"))
    assert "UTF-16" in error_of(str(path)).message


def test_not_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Café au lait".encode("latin-1"))
    message = error_of(str(path)).message
    assert "not valid UTF-8" in message
    assert "offset 3" in message
    assert "0xe9" in message


def test_not_utf8_offset_counts_the_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfab\xff")
    assert "offset 5" in error_of(str(path)).message


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n  "])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(content)
    assert "empty file" in error_of(str(path)).message


def test_too_large_names_limit_and_size(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 400)
    message = error_of(str(path), max_bytes=1000).message
    assert "too large" in message
    assert "2,000 bytes" in message
    assert "1,000 bytes" in message
    # At the limit exactly it is fine.
    assert read_document(str(path), max_bytes=2000).text.startswith("word")


@pytest.mark.parametrize("stated", [0, 3, 10, 26, 40])
def test_a_file_is_read_to_the_limit_whatever_size_it_states(stated: int) -> None:
    # /proc files state no size, a growing file too few bytes and a shrinking one too many:
    # the read goes on to the limit (one byte past the largest input accepted) all the same.
    data = bytes(range(65, 91))  # 26 bytes
    for limit in (1, 10, 26, 27, 100):
        assert _read_at_most(io.BytesIO(data), stated, limit) == data[:limit]


# -- stdin ----------------------------------------------------------------------------------


def fake_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_defaults_to_text(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_stdin(monkeypatch, b"# Not a heading in txt\n")
    doc = read_document("-")
    assert doc.path == "<stdin>"
    assert doc.format == "txt"
    assert doc.prose == "# Not a heading in txt\n"


def test_stdin_filename_picks_format_and_path(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_stdin(monkeypatch, b"# Heading\n\nBody `code`.\n")
    doc = read_document("-", stdin_filename="drafts/story.md")
    assert doc.path == "drafts/story.md"
    assert doc.format == "md"
    absent(doc, "`code`")


def test_stdin_errors_name_the_shown_path(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_stdin(monkeypatch, b"\xff\xfe")
    with pytest.raises(AttribauditError) as caught:
        read_document("-", stdin_filename="piped.txt")
    assert caught.value.path == "piped.txt"
    fake_stdin(monkeypatch, b"x" * 50)
    with pytest.raises(AttribauditError, match="too large"):
        read_document("-", max_bytes=10)


# -- fsspec URLs ----------------------------------------------------------------------------


def test_memory_url_is_read_through_fsspec() -> None:
    fsspec = pytest.importorskip("fsspec")
    with fsspec.open("memory://attribaudit-tests/story.md", "wb") as handle:
        handle.write(b"Intro with `code`.\n")
    doc = read_document("memory://attribaudit-tests/story.md")
    assert doc.format == "md"
    assert doc.path == "memory://attribaudit-tests/story.md"
    same_offset(doc, "Intro with")
    absent(doc, "`code`")


def test_missing_url() -> None:
    pytest.importorskip("fsspec")
    assert "no such file" in error_of("memory://attribaudit-tests/missing.txt").message


def test_url_without_fsspec(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fsspec", None)
    assert "fsspec" in error_of("s3://bucket/story.txt").message


# -- docx -----------------------------------------------------------------------------------


def write_docx(path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Bridge repairs delayed", level=1)
    document.add_paragraph("The council said repairs will take six months.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Who"
    table.cell(0, 1).text = "Said"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "The mayor"
    broken = document.add_paragraph("First half")
    broken.add_run().add_break()
    broken.add_run("second half.")
    document.add_paragraph("")
    document.add_paragraph("Critics say the plan fails.")
    document.save(str(path))


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    path = tmp_path / "draft.docx"
    write_docx(path)
    doc = read_document(str(path))
    assert doc.format == "docx"
    assert doc.location_unit == "paragraph"
    assert doc.text.split("\n") == [
        "Bridge repairs delayed",
        "The council said repairs will take six months.",
        "Who",
        "Said",
        "The mayor",  # a merged cell is read once
        "First half second half.",  # a line break inside a paragraph keeps one line
        "",
        "Critics say the plan fails.",
    ]
    assert doc.prose == doc.text
    # Line N is paragraph N.
    assert doc.lines.position(doc.text.index("Critics")) == (8, 1)


def test_docx_that_is_not_a_zip(tmp_path: Path) -> None:
    pytest.importorskip("docx")
    path = tmp_path / "renamed.docx"
    path.write_bytes(b"This was a .doc file once")
    assert "not a valid .docx" in error_of(str(path)).message


def test_docx_zip_without_a_document(tmp_path: Path) -> None:
    pytest.importorskip("docx")
    import zipfile

    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "not a valid .docx" in error_of(str(path)).message


def test_docx_with_only_empty_paragraphs(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    path = tmp_path / "blank.docx"
    document = docx.Document()
    document.add_paragraph("   ")
    document.save(str(path))
    assert "empty" in error_of(str(path)).message


def test_docx_without_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "draft.docx"
    path.write_bytes(b"PK\x03\x04 whatever")
    monkeypatch.setitem(sys.modules, "docx", None)
    error = error_of(str(path))
    assert error.message == (
        "reading .docx files needs the docx extra: pip install 'attribaudit[docx]'"
    )


# -- Markdown -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def md_doc() -> Document:
    doc = read_document(str(DATA / "article.md"))
    assert doc.format == "md"
    return doc


def test_markdown_keeps_prose_in_place(md_doc: Document) -> None:
    assert_aligned(md_doc)
    offset = same_offset(md_doc, "The city council said on Tuesday")
    assert md_doc.lines.position(offset) == (8, 1)
    same_offset(md_doc, "Harbour bridge repairs")
    same_offset(md_doc, "the council's statement")  # link text stays
    same_offset(md_doc, "the inspectors")  # reference link text stays
    same_offset(md_doc, "[Source: Harbour Gazette]")  # brackets that are not a link stay
    same_offset(md_doc, "Cost: 4 million euros")
    same_offset(md_doc, "Budget is fine")
    same_offset(md_doc, "Critics say the plan fails.")


@pytest.mark.parametrize(
    "markup",
    [
        'title: "Front matter: the mayor said nothing here"',  # YAML front matter
        "---",
        'print("the code said something")',  # fenced code
        "```python",
        "indented code also said something",  # indented code
        "`corrosion_level > 3`",  # inline code
        "(https://example.org/statement",  # link destination
        '"Statement")',  # link title
        "Photo of the bridge",  # image alt text
        "bridge.jpg",
        "Advertisement said buy now",  # raw HTML block
        "<!-- inline note -->",
        "<!-- attribaudit-disable unsourced-claim -- quoted budget figures -->",
        "[insp]: https://example.org/inspection",  # reference definition
        "|-----|------|",  # table delimiter row
        "# Harbour",  # heading marker
        "- Cost",  # list marker
        "> She added",  # blockquote marker
        "**safety**",  # emphasis markers
        "*delayed*",
        "[the inspectors][insp]",
    ],
)
def test_markdown_blanks_markup(md_doc: Document, markup: str) -> None:
    absent(md_doc, markup)


def test_markdown_quotes_and_comments(md_doc: Document) -> None:
    [quote] = md_doc.quotes
    assert md_doc.slice(quote).startswith('> "We cannot reopen it before spring,"')
    assert md_doc.slice(quote).endswith("comes first.")
    assert [md_doc.slice(span) for span in md_doc.comments] == [
        "<!-- attribaudit-disable unsourced-claim -- quoted budget figures -->",
        "<!-- inline note -->",
    ]


def test_markdown_block_boundaries(md_doc: Document) -> None:
    blocks = paragraphs(md_doc.prose)
    assert blocks[0] == "Harbour bridge repairs delayed again"
    # A soft-wrapped paragraph stays one paragraph; the blockquote lines are one too.
    assert blocks[1].startswith("The city council said on Tuesday")
    assert blocks[1].endswith("shows.")
    assert blocks[2] == "[Source: Harbour Gazette]"
    assert blocks[3] == '"We cannot reopen it before spring," the chief engineer said. ' + (
        "She added that safety comes first."
    )
    # List items and table cells are blocks of their own.
    assert blocks[4:10] == [
        "Cost: 4 million euros", "Closed lanes: two", "Who", "Said", "Mayor", "Budget is fine",
    ]  # fmt: skip
    assert (
        blocks[10] == "Traffic will be diverted through the old town. Critics say the plan fails."
    )


def test_markdown_heading_followed_by_text_still_breaks() -> None:
    doc = document_from_text("Title\n=====\nBody text here.\n- one\n- two\n", fmt="md")
    assert paragraphs(doc.prose) == ["Title", "Body text here.", "one", "two"]


def test_markdown_hard_break_is_a_block_end() -> None:
    doc = document_from_text("First line  \nsecond line\\\nthird\nfourth\n", fmt="md")
    assert paragraphs(doc.prose) == ["First line", "second line", "third fourth"]


def test_markdown_toml_front_matter_and_crlf() -> None:
    text = '+++\r\ntitle = "x said"\r\n+++\r\n\r\nBody *one*.\r\nBody two.\r\n'
    doc = document_from_text(text, fmt="md")
    assert_aligned(doc)
    absent(doc, 'title = "x said"')
    offset = same_offset(doc, "Body two.")
    assert doc.lines.position(offset) == (6, 1)
    assert paragraphs(doc.prose) == ["Body one . Body two."]


def test_markdown_entities_become_the_character() -> None:
    doc = document_from_text("Fish &amp; chips, it&#8217;s fine.\n", fmt="md")
    start = doc.text.index("&amp;")
    assert doc.prose[start : start + 5] == "&    "
    start = doc.text.index("&#8217;")
    assert doc.prose[start : start + 7] == "\u2019      "


def test_markdown_nested_containers_and_escapes() -> None:
    text = "- > Quoted in a list with \\*stars\\* and <b>bold</b>.\n\n1. Numbered <https://x.org>\n"
    doc = document_from_text(text, fmt="md")
    assert_aligned(doc)
    same_offset(doc, "Quoted in a list with")
    same_offset(doc, "*stars")
    absent(doc, "\\*stars\\*")
    absent(doc, "<b>")
    absent(doc, "<https://x.org>")
    absent(doc, "1.")
    assert len(doc.quotes) == 1


def test_markdown_literal_asterisks_and_underscores_stay() -> None:
    doc = document_from_text("It costs 5 * 3 and file_name stays, in 2020.\n", fmt="md")
    assert doc.prose.strip() == doc.text.strip()


# -- HTML -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html_doc() -> Document:
    doc = read_document(str(DATA / "article.html"))
    assert doc.format == "html"
    return doc


def test_html_article_body_in_place(html_doc: Document) -> None:
    offset = same_offset(html_doc, "The city council said on Tuesday")
    line, column = html_doc.lines.position(offset)
    assert html_doc.text.split("\n")[line - 1][column - 1 :].startswith("The city council")
    same_offset(html_doc, "Harbour bridge repairs delayed")
    same_offset(html_doc, "We cannot reopen it before spring.")
    same_offset(html_doc, "a necessary pause")


@pytest.mark.parametrize(
    "chrome",
    [
        "script text said", "p { color: #333 }", "Harbour bridge | The Gazette", "News",
        "The Gazette</a>", "aside text said", "Subscribe button said", "Teaser said",
        "Footer text said", "Noscript text said", "<p>", "<em>", 'lang="en"',
    ],
)  # fmt: skip
def test_html_drops_chrome_and_markup(html_doc: Document, chrome: str) -> None:
    absent(html_doc, chrome)


def test_html_references_are_decoded_in_place(html_doc: Document) -> None:
    start = html_doc.text.index("&amp;")
    assert html_doc.prose[start : start + 5] == "&    "
    start = html_doc.text.index("&#8217;")
    assert html_doc.prose[start - 2 : start + 8] == "It\u2019      s"
    start = html_doc.text.index("&rsquo;")
    assert html_doc.prose[start : start + 7] == "\u2019      "


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_decoded_reference_is_shown_without_its_padding(fmt: str) -> None:
    # Prose pads "&rsquo;" to its length ("union’      s"); quoted in a report it reads as
    # the page does. Other white space, and an "&" that is not a reference, stay.
    text = "The union&rsquo;s  secretary said &ldquo;no&rdquo; &amp; left. R&D &c\n"
    if fmt == "html":
        text = f"<p>{text}</p>"
    doc = document_from_text(text, fmt=fmt)
    start = text.index("The union")
    end = text.index("&c") + 2
    assert doc.shown(start, end) == "The union\u2019s  secretary said \u201cno\u201d & left. R&D &c"
    assert doc.words(start, end) == "The union\u2019s secretary said \u201cno\u201d & left. R&D &c"
    # A span that stops inside the padding shows the character.
    ref = text.index("&rsquo;")
    assert doc.words(ref, ref + 3) == "\u2019"


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_span_mapped_to_the_file_never_cuts_a_reference(fmt: str) -> None:
    text = "LYON (AFP) &mdash; Drivers struck. R&D &c &amp;\n"
    if fmt == "html":
        text = f"<p>{text}</p>"
    doc = document_from_text(text, fmt=fmt)
    dash = text.index("&mdash;")
    after = dash + len("&mdash;")
    lyon = text.index("LYON")
    # Ends just after the dash that prose holds at the "&", or in its padding: past the ";".
    assert doc.outer(lyon, dash + 1) == (lyon, after)
    assert doc.outer(lyon, dash + 4) == (lyon, after)
    assert doc.outer(lyon, dash) == (lyon, dash)  # before it: already whole
    # A start in the padding leaves the dash out; at the "&" it keeps it.
    assert doc.outer(dash + 3, after + 8) == (after, after + 8)
    assert doc.outer(dash, after + 8) == (dash, after + 8)
    # An "&" that is no reference, and a reference that is the whole span, stay as they are.
    rd = text.index("R&D")
    assert doc.outer(rd, rd + 2) == (rd, rd + 2)
    amp = text.index("&amp;")
    assert doc.outer(amp, amp + 5) == (amp, amp + 5)


def test_a_span_mapped_to_the_file_never_cuts_a_tag() -> None:
    text = '<p>Drivers struck<a href="/x">.</a> Then</p>'
    doc = document_from_text(text, fmt="html")
    tag = text.index("<a ")
    struck = text.index("struck")
    assert doc.outer(struck, tag + 4) == (struck, tag)
    close = text.index(">", tag) + 1
    assert doc.outer(tag + 3, close + 1) == (close, close + 1)


def test_plain_text_spans_are_never_moved() -> None:
    doc = document_from_text("LYON &mdash; Drivers struck.\n")
    assert doc.outer(0, 6) == (0, 6)


def test_plain_text_is_shown_as_it_is() -> None:
    doc = document_from_text("Fish &amp;  chips.\n")
    assert doc.shown(0, 18) == "Fish &amp;  chips."
    assert doc.words(0, 18) == "Fish &amp; chips."


def test_html_blocks_become_paragraphs(html_doc: Document) -> None:
    assert paragraphs(html_doc.prose) == [
        "Harbour bridge repairs delayed",
        "The city council said on Tuesday that repairs will take another six months & cost more.",
        "It\u2019 s the third delay, the engineer\u2019 s report shows.",
        "Traffic is diverted.",  # <br> ends a block
        "We cannot reopen it before spring.",
        "The mayor called it a necessary pause in a statement.",
    ]


def test_html_quotes_and_comments(html_doc: Document) -> None:
    quoted = [html_doc.slice(span) for span in html_doc.quotes]
    assert quoted == ["<p>We cannot reopen it before spring.</p>", "a necessary pause"]
    # Comments anywhere on the page count, also outside the article.
    [comment] = html_doc.comments
    assert html_doc.slice(comment) == "<!-- attribaudit-disable vague-attribution -->"


def test_html_main_without_article() -> None:
    text = "<div>Menu said</div><main><p>Main text said.</p></main><div>After said</div>"
    doc = document_from_text(text, fmt="html")
    assert paragraphs(doc.prose) == ["Main text said."]


def test_html_fragment_without_article_or_main() -> None:
    text = "<nav>Skip</nav>\n<p>First para.</p>\n<p>Second <a href='/x'>para</a>.</p>"
    doc = document_from_text(text, fmt="html")
    assert paragraphs(doc.prose) == ["First para.", "Second para ."]
    same_offset(doc, "First para.")


def test_html_unclosed_head_does_not_hide_the_body() -> None:
    text = "<html><head><title>T</title>\n<body><p>Body text said.</p></body></html>"
    doc = document_from_text(text, fmt="html")
    assert paragraphs(doc.prose) == ["Body text said."]


def test_html_largest_article_wins() -> None:
    text = (
        "<article><p>Short teaser.</p></article>"
        "<article><p>The real story is much longer than the teaser.</p></article>"
    )
    doc = document_from_text(text, fmt="html")
    assert paragraphs(doc.prose) == ["The real story is much longer than the teaser."]


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><nav>Home</nav><footer>(c) 2026 Example Herald</footer></body></html>",
        "<html><head><title>Herald</title><script>var said = 1;</script></head></html>",
        "<article>\n  <!-- attribaudit-disable -->\n</article><aside>Critics say</aside>",
    ],
)
def test_html_page_without_article_text_is_a_read_error(tmp_path: Path, page: str) -> None:
    # A page that is all chrome (an index page, a saved login wall) has nothing to audit; it
    # is named like an empty file rather than passed as a clean article.
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    message = error_of(str(path)).message
    assert "no article text" in message


def test_html_quotes_inside_dropped_parts_are_not_recorded() -> None:
    text = "<article><p>Body.</p></article><aside><blockquote>Pull quote</blockquote></aside>"
    doc = document_from_text(text, fmt="html")
    assert doc.quotes == []


# -- properties -------------------------------------------------------------------------------

# Markdown and HTML syntax, letters, a non-ASCII one and line breaks; no `&`, whose references
# legitimately put a different character in prose (tested above).
_MARKUP = st.text(alphabet=st.sampled_from("ab c\n\r\t#>-*_`[]()!<>/=\"'|:+1.\\~ép"), max_size=200)


@settings(max_examples=300, deadline=None)
@given(_MARKUP)
def test_markdown_never_moves_characters(text: str) -> None:
    assert_aligned(document_from_text(text, fmt="md"))


@settings(max_examples=300, deadline=None)
@given(_MARKUP)
def test_html_never_moves_characters(text: str) -> None:
    assert_aligned(document_from_text(text, fmt="html"))


def test_a_markdown_paragraph_holding_a_nul_is_still_prose() -> None:
    # markdown-it reads U+0000 as U+FFFD, so the reader could not find the paragraph's lines in
    # the file and blanked the paragraph: its claims vanished from the audit without a word.
    # (A NUL in the first 8 KiB makes a file binary; later ones reach the reader.)
    text = "# Levy\n\nThe council \x00 has failed everyone for a decade.\n\nOfficials said so.\n"
    doc = document_from_text(text, "draft.md", "md")
    assert doc.prose[8:56] == text[8:56]
    assert "Officials said so." in doc.prose
