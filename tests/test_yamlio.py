"""The YAML loader's line numbers and its parse cache in the user cache folder."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from attribaudit import yamlio
from attribaudit.models import AttribauditError
from attribaudit.paths import NO_CACHE_ENV, user_cache_dir
from attribaudit.yamlio import LineDict, LineList, load_yaml, locate

PACK = """\
pack: demo
rules:
  - id: first
    when: 2021-03-17
  - id: second
    words: [a, b]
"""


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv(NO_CACHE_ENV, raising=False)
    return home


def cached_files(home: Path) -> list[Path]:
    return sorted((home / "attribaudit" / "yaml").glob("*.pickle"))


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(text: str, path: Path) -> None:
        raise AssertionError("parsed again instead of using the cache")

    monkeypatch.setattr(yamlio, "_parse", fail)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_lines_of_mappings_keys_and_items(cache_home: Path, tmp_path: Path) -> None:
    data = load_yaml(write(tmp_path / "pack.yaml", PACK))
    assert isinstance(data, LineDict) and isinstance(data["rules"], LineList)
    assert data.key_lines["rules"] == 2
    assert data["rules"].item_lines == [3, 5]
    assert locate(data, ("rules", 1, "words")) == 6


def test_a_second_load_comes_from_the_cache_with_its_lines(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "pack.yaml", PACK)
    first = load_yaml(path)
    assert len(cached_files(cache_home)) == 1
    no_parsing(monkeypatch)
    again = load_yaml(path)
    assert again == first
    assert again is not first  # each caller gets its own tree to keep or change
    assert again["rules"].item_lines == [3, 5]
    assert again.key_lines == first.key_lines
    assert locate(again, ("rules", 1, "words")) == 6
    assert str(again["rules"][0]["when"]) == "2021-03-17"  # a date stays a date


def test_an_edited_file_is_parsed_again_and_replaces_its_entry(
    cache_home: Path, tmp_path: Path
) -> None:
    path = write(tmp_path / "pack.yaml", PACK)
    load_yaml(path)
    write(path, PACK.replace("second", "third"))
    assert load_yaml(path)["rules"][1]["id"] == "third"
    assert len(cached_files(cache_home)) == 1  # one entry per data file, however often edited


def test_a_damaged_or_foreign_cache_file_is_only_a_miss(cache_home: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "pack.yaml", PACK)
    expected = load_yaml(path)
    (entry,) = cached_files(cache_home)
    entry.write_bytes(b"\x80\x05not a pickle")
    assert load_yaml(path) == expected
    # A pickle naming any other class is refused, never run.
    entry.write_bytes(pickle.dumps((b"key", os.getcwd)))
    assert load_yaml(path) == expected


def test_errors_are_the_same_with_or_without_the_cache(cache_home: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "bad.yaml", "pack: demo\nrules: [\n")
    for _ in range(2):  # nothing is cached for a file that does not parse
        with pytest.raises(AttribauditError, match="invalid YAML") as caught:
            load_yaml(path)
        assert caught.value.line == 2
    assert cached_files(cache_home) == []
    with pytest.raises(AttribauditError, match="file not found"):
        load_yaml(tmp_path / "missing.yaml")


def test_an_unwritable_cache_folder_costs_nothing_but_speed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = write(tmp_path / "not-a-folder", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # mkdir under a file fails
    path = write(tmp_path / "pack.yaml", PACK)
    assert load_yaml(path)["pack"] == "demo"
    assert load_yaml(path)["pack"] == "demo"


def test_the_cache_can_be_switched_off(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(NO_CACHE_ENV, "1")
    assert user_cache_dir() is None
    load_yaml(write(tmp_path / "pack.yaml", PACK))
    assert cached_files(cache_home) == []
    monkeypatch.setenv(NO_CACHE_ENV, "0")
    assert user_cache_dir() == cache_home / "attribaudit"


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(NO_CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", "/home/someone")
    assert user_cache_dir() == Path("/home/someone/.cache/attribaudit")


def test_a_schema_error_names_the_same_line_from_the_cache(
    cache_home: Path, tmp_path: Path
) -> None:
    from attribaudit.rules import load_rules

    pack = write(
        tmp_path / "bad-pack.yaml",
        "pack: demo\ndescription: A pack.\nrules:\n  - id: Not-An-Id\n    matcher: signal\n",
    )
    errors = []
    for _ in range(2):  # parsed, then from the cache: validation runs on both
        with pytest.raises(AttribauditError) as caught:
            load_rules([pack], include_default=False)
        errors.append((caught.value.message, caught.value.line))
    assert len(cached_files(cache_home)) == 1
    assert errors[0] == errors[1] and errors[0][1] == 4


def test_read_text_names_the_kind_of_file_in_its_errors(tmp_path: Path) -> None:
    crlf = tmp_path / "a.toml"
    crlf.write_bytes(b"a = 1\r\nb = 2\rc = 3\n")
    assert yamlio.read_text(crlf, "config file") == "a = 1\nb = 2\nc = 3\n"
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes("name = 'Malmö'\n".encode("latin-1"))
    cases = {
        tmp_path / "missing.toml": "config file not found",
        tmp_path: "path is a folder, not a config file",
        latin1: "config file is not UTF-8 text (invalid start byte)",
    }
    for path, message in cases.items():
        with pytest.raises(AttribauditError) as caught:
            yamlio.read_text(path, "config file")
        assert (caught.value.message, caught.value.path) == (message, str(path))


@pytest.mark.parametrize(
    "text",
    ["[" * 50_000, "- " * 30_000 + "x\n", "rules: " + "[" * 400 + "]" * 400 + "\n"],
    ids=["flow-50000-unclosed", "block-30000", "flow-400-closed"],
)
def test_yaml_nested_too_deeply_is_an_error_naming_the_file(tmp_path: Path, text: str) -> None:
    # libyaml's C composer recursed until the process died (SIGSEGV, no message at all) past
    # some 20,000 levels, and the line-keeping constructors raised RecursionError past ~300.
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AttribauditError) as caught:
        load_yaml(path)
    assert caught.value.path == str(path)
    assert "nested too deeply" in caught.value.message
