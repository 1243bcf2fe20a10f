"""Finding the inputs: files, folders, globs, ignore files, stdin and URLs."""

from __future__ import annotations

import os
import types
from pathlib import Path

import pytest

from attribaudit import discover as discover_module
from attribaudit.discover import Input, discover


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("The minister said so.\n", encoding="utf-8")


def found(*paths: str, **options: object) -> list[str]:
    items = list(discover(paths, **options))  # type: ignore[arg-type]
    assert all(item.error is None for item in items), items
    return [item.path for item in items]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small editorial repository, with the test running from its root."""
    touch(
        tmp_path,
        "articles/b.md",
        "articles/a.txt",
        "articles/c.html",
        "articles/d.htm",
        "articles/e.markdown",
        "articles/f.docx",
        "articles/photo.jpg",
        "articles/notes.csv",
        "articles/2024/jan.md",
        "articles/2024/feb.txt",
        "articles/.drafts/secret.md",
        "articles/.hidden.md",
        "articles/build/out.md",
        "articles/vendor/lib.md",
        "articles/2024/tmp/scratch.md",
        "articles/2024/tmp/keep.md",
        "articles/2024/old.md",
        ".git/HEAD.md",
    )
    (tmp_path / "articles" / ".gitignore").write_text("build/\n# comment\n\n", encoding="utf-8")
    (tmp_path / "articles" / ".attribauditignore").write_text("vendor/\n", encoding="utf-8")
    # A nested ignore file applies to its own subtree, relative to its folder, and can
    # re-include what a parent ignored.
    (tmp_path / "articles" / "2024" / ".gitignore").write_text(
        "tmp/*\n!tmp/keep.md\nold.md\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_folder_is_walked_sorted_with_default_suffixes(tree: Path) -> None:
    assert found("articles") == [
        "articles/2024/feb.txt",
        "articles/2024/jan.md",
        "articles/2024/tmp/keep.md",
        "articles/a.txt",
        "articles/b.md",
        "articles/c.html",
        "articles/d.htm",
        "articles/e.markdown",
        "articles/f.docx",
    ]


def test_paths_are_shown_the_way_the_folder_was_written(tree: Path) -> None:
    assert found("articles/")[0] == "articles/2024/feb.txt"
    assert found("./articles")[0] == "./articles/2024/feb.txt"
    os.chdir(tree / "articles")
    assert found(".")[0] == "2024/feb.txt"
    assert found("..")[0] == "../articles/2024/feb.txt"


def test_ignore_files_can_be_turned_off(tree: Path) -> None:
    paths = found("articles", use_ignore_files=False)
    assert "articles/build/out.md" in paths
    assert "articles/vendor/lib.md" in paths
    assert "articles/2024/old.md" in paths
    assert "articles/2024/tmp/scratch.md" in paths
    # Hidden entries stay skipped either way.
    assert not any("/." in path for path in paths)


def test_an_invalid_line_in_an_ignore_file_is_skipped_as_git_does(tree: Path) -> None:
    # "!" alone and a trailing backslash are no patterns; git skips such lines, and the walk
    # stopped with pathspec's traceback.
    (tree / "articles" / ".attribauditignore").write_text("vendor/\n!\nfoo\\\n", encoding="utf-8")
    (tree / "articles" / "2024" / ".gitignore").write_text("!\nold.md\n", encoding="utf-8")
    paths = found("articles")
    assert "articles/vendor/lib.md" not in paths
    assert "articles/2024/old.md" not in paths
    assert "articles/2024/jan.md" in paths


def test_an_invalid_glob_argument_is_an_input_error(tree: Path) -> None:
    # The glob's character class became a bad regular expression: re.error's traceback.
    items = list(discover(["articles/[z-a].md", "articles/**/[!].md", "articles/a.txt"]))
    assert [item.path for item in items] == [
        "articles/[z-a].md",
        "articles/**/[!].md",
        "articles/a.txt",
    ]
    assert items[0].error is not None and items[0].error.startswith("invalid pattern")
    assert items[1].error is not None and items[1].error.startswith("invalid pattern")
    assert items[2].error is None


def test_include_replaces_the_default_suffixes(tree: Path) -> None:
    assert found("articles", include=["*.csv", "2024/*.txt"]) == [
        "articles/2024/feb.txt",
        "articles/notes.csv",
    ]


def test_exclude_is_relative_to_the_folder_walked(tree: Path) -> None:
    paths = found("articles", exclude=["2024/", "*.htm*"])
    assert paths == ["articles/a.txt", "articles/b.md", "articles/e.markdown", "articles/f.docx"]
    # An anchored pattern matches from the walked folder, not from the working directory.
    assert "articles/b.md" not in found("articles", exclude=["/b.md"])


def test_explicit_file_is_always_taken_but_exclude_applies(tree: Path) -> None:
    assert found("articles/photo.jpg", "articles/build/out.md") == [
        "articles/photo.jpg",
        "articles/build/out.md",
    ]
    assert list(discover(["articles/photo.jpg"], exclude=["*.jpg"])) == []


def test_each_file_is_yielded_once(tree: Path) -> None:
    paths = found("articles/b.md", "articles", "articles/2024", "./articles/b.md")
    assert paths.count("articles/b.md") == 1
    assert len(paths) == len(set(paths))
    # A folder whose files were all yielded already is not "empty".
    assert found("articles", "articles/2024")[-1] == "articles/f.docx"


def test_stdin_passes_through() -> None:
    assert list(discover(["-", "-"])) == [Input("-"), Input("-")]


def test_missing_path_and_empty_folder(tree: Path) -> None:
    (tree / "empty").mkdir()
    touch(tree, "images/logo.png")
    items = list(discover(["nope.md", "empty", "images"]))
    assert items == [
        Input("nope.md", error="no such file or directory"),
        Input(
            "empty",
            error="no articles found (looked for *.txt, *.md, *.markdown, *.html, *.htm, *.docx)",
        ),
        Input(
            "images",
            error="no articles found (looked for *.txt, *.md, *.markdown, *.html, *.htm, *.docx)",
        ),
    ]
    [item] = discover(["images"], include=["*.rst"])
    assert item.error == "no articles found (looked for *.rst)"


def test_glob_in_one_folder(tree: Path) -> None:
    assert found("articles/*.md") == ["articles/b.md"]
    # Whatever the suffix: the glob chose the file.
    assert found("articles/*.jpg") == ["articles/photo.jpg"]


def test_recursive_glob(tree: Path) -> None:
    assert found("**/*.txt") == ["articles/2024/feb.txt", "articles/a.txt"]
    assert found("articles/**/*.md") == [
        "articles/2024/jan.md",
        "articles/2024/tmp/keep.md",
        "articles/b.md",
    ]


def test_glob_matching_a_folder_walks_it(tree: Path) -> None:
    assert found("articles/20*") == [
        "articles/2024/feb.txt",
        "articles/2024/jan.md",
        "articles/2024/tmp/keep.md",
    ]


def test_glob_without_matches(tree: Path) -> None:
    assert list(discover(["articles/*.pdf"])) == [
        Input("articles/*.pdf", error="no files match this pattern")
    ]
    assert list(discover(["missing/*.md"])) == [
        Input("missing/*.md", error="no such file or directory")
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loops_are_not_followed(tree: Path) -> None:
    loop = tree / "articles" / "2024" / "loop"
    try:
        loop.symlink_to(tree / "articles", target_is_directory=True)
    except OSError:
        pytest.skip("cannot create symlinks here")
    (tree / "articles" / "link.md").symlink_to(tree / "articles" / "b.md")
    paths = found("articles")
    # Walking finishes, the loop is not entered, and a symlinked file is an ordinary input.
    assert not any("loop" in path for path in paths)
    assert "articles/link.md" in paths
    assert len(paths) == 10


def test_discover_streams(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for index in range(30):
        touch(tree, f"big/d{index:02}/x.md")
    listed: list[str] = []
    real_scandir = os.scandir

    def counting_scandir(path: str) -> os._ScandirIterator[str]:  # type: ignore[name-defined]
        listed.append(path)
        return real_scandir(path)

    monkeypatch.setattr(discover_module.os, "scandir", counting_scandir)
    items = discover(["big"])
    assert isinstance(items, types.GeneratorType)
    assert next(items) == Input("big/d00/x.md")
    # Only the top folder and the first subfolder were listed to produce the first input.
    assert len(listed) == 2
    assert len(list(items)) == 29


def test_urls_pass_through_and_globs_expand() -> None:
    fsspec = pytest.importorskip("fsspec")
    for name in ("a.md", "b.txt", "c.md"):
        with fsspec.open(f"memory://discover-tests/{name}", "wb") as handle:
            handle.write(b"text")
    assert found("s3://bucket/story.md") == ["s3://bucket/story.md"]
    assert found("memory://discover-tests/*.md") == [
        "memory:///discover-tests/a.md",
        "memory:///discover-tests/c.md",
    ]
    assert list(discover(["memory://discover-tests/*.pdf"])) == [
        Input("memory://discover-tests/*.pdf", error="no files match this pattern")
    ]


def test_a_folder_url_is_listed_like_a_folder() -> None:
    # The README's archive example: `attribaudit check s3://newsroom-archive/2023/`. A folder
    # URL passed through unexpanded and was one read error, "is a directory".
    fsspec = pytest.importorskip("fsspec")
    for name in (
        "2023/a.md",
        "2023/jan/b.txt",
        "2023/notes.csv",
        "2023/.drafts/c.md",
        "2023/d.html",
    ):
        with fsspec.open(f"memory://folder-url-tests/{name}", "wb") as handle:
            handle.write(b"The minister said so.\n")
    expected = [
        "memory:///folder-url-tests/2023/a.md",
        "memory:///folder-url-tests/2023/d.html",
        "memory:///folder-url-tests/2023/jan/b.txt",
    ]
    assert found("memory://folder-url-tests/2023/") == expected
    assert found("memory://folder-url-tests/2023") == expected
    assert found("memory://folder-url-tests/2023/", exclude=["jan/"]) == expected[:2]
    assert found("memory://folder-url-tests/2023/", include=["*.csv"]) == [
        "memory:///folder-url-tests/2023/notes.csv"
    ]
    # Each file once, also when named twice.
    assert found("memory://folder-url-tests/2023/", "memory:///folder-url-tests/2023/a.md") == (
        expected
    )
    with fsspec.open("memory://folder-url-tests/empty/x.pdf", "wb") as handle:
        handle.write(b"%PDF")
    assert list(discover(["memory://folder-url-tests/empty/"])) == [
        Input(
            "memory://folder-url-tests/empty/",
            error="no articles found (looked for *.txt, *.md, *.markdown, *.html, *.htm, *.docx)",
        )
    ]
