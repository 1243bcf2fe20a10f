""".docx drafts, through python-docx (the optional `docx` extra).

A .docx has no text original to point into, so the reader builds one: every paragraph of the
body, and of table cells, in document order, one per line. Locations are then paragraph
numbers (`location_unit = "paragraph"`: line N is paragraph N, counting empty paragraphs the
way Word's navigation does). Line breaks inside a paragraph (`<w:br/>`) become spaces so the
numbering holds; nothing else is changed, so prose is the text.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from ..models import AttribauditError, Document

DOCX_EXTRA_MESSAGE = "reading .docx files needs the docx extra: pip install 'attribaudit[docx]'"
# A .docx is a zip: refuse one that would inflate far beyond the input limit before parsing it.
_MAX_EXPANSION = 20
_IN_PARAGRAPH_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\v": " ", "\f": " "})


def read_docx(data: bytes, path: str, *, max_bytes: int) -> Document:
    try:
        import docx
    except ImportError:
        raise AttribauditError(DOCX_EXTRA_MESSAGE, path) from None

    _check_archive(data, path, max_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs = list(_paragraph_texts(document))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors...
        raise AttribauditError(
            f"not a valid .docx file ({type(exc).__name__}: {exc})", path
        ) from None
    return document_from_paragraphs(paragraphs, path)


def document_from_paragraphs(paragraphs: list[str], path: str) -> Document:
    text = "\n".join(paragraph.translate(_IN_PARAGRAPH_BREAKS) for paragraph in paragraphs)
    if not text.strip():
        raise AttribauditError("empty document (no text in any paragraph)", path)
    return Document(path=path, text=text, prose=text, format="docx", location_unit="paragraph")


def _check_archive(data: bytes, path: str, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise AttribauditError(
            "not a valid .docx file (it is not a zip archive; was it saved as .doc or renamed?)",
            path,
        ) from None
    if "[Content_Types].xml" not in names:
        raise AttribauditError("not a valid .docx file (no Word document inside the zip)", path)
    if expanded > max_bytes * _MAX_EXPANSION:
        raise AttribauditError(
            f"file is too large: it expands to {expanded:,} bytes "
            f"(the limit is {max_bytes * _MAX_EXPANSION:,})",
            path,
        )


def _paragraph_texts(container: Any) -> Iterator[str]:
    """Paragraph texts of a document or cell, tables included, in reading order."""
    for block in container.iter_inner_content():
        if hasattr(block, "rows"):
            yield from _table_texts(block)
        else:
            yield block.text


def _table_texts(table: Any) -> Iterator[str]:
    # A merged cell appears once per grid position it spans; read it once. The set holds the
    # cell elements themselves (not their ids) so lxml keeps one proxy per element alive.
    seen: set[Any] = set()
    for row in table.rows:
        for cell in _unique_cells(row.cells, seen):
            yield from _paragraph_texts(cell)


def _unique_cells(cells: Iterable[Any], seen: set[Any]) -> Iterator[Any]:
    for cell in cells:
        key = cell._tc
        if key not in seen:
            seen.add(key)
            yield cell
