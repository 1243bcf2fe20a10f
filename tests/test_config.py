"""Config discovery, validation errors with lines, precedence, origins and per-path overrides."""

from __future__ import annotations

import json
import os
import textwrap
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from attribaudit.config import (
    CLI_ORIGIN,
    KeyLines,
    check_rule_ids,
    discover_config,
    load_config,
    merge_cli,
)
from attribaudit.models import AttribauditError, Severity


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- discovery


def test_discovery_walks_upward_and_nearest_wins(tmp_path: Path) -> None:
    top = write(tmp_path / "attribaudit.toml", 'fail_on = "info"\n')
    nested = tmp_path / "a" / "b" / "c"
    nested.mkdir(parents=True)
    assert discover_config(nested) == top.resolve()

    middle = write(tmp_path / "a" / ".attribaudit.toml", 'fail_on = "warning"\n')
    assert discover_config(nested) == middle.resolve()
    assert load_config(cwd=nested).fail_on == "warning"


def test_discovery_prefers_attribaudit_toml_within_one_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.attribaudit]\nfail_on = "info"\n')
    write(tmp_path / ".attribaudit.toml", 'fail_on = "warning"\n')
    plain = write(tmp_path / "attribaudit.toml", 'fail_on = "never"\n')
    assert discover_config(tmp_path) == plain.resolve()


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    outer = write(tmp_path / "pyproject.toml", '[tool.attribaudit]\nfail_on = "info"\n')
    inner = tmp_path / "project"
    write(inner / "pyproject.toml", '[project]\nname = "x"\n[tool.ruff]\nline-length = 100\n')
    assert discover_config(inner) == outer.resolve()
    config = load_config(cwd=inner)
    assert config.fail_on == "info"
    assert config.path == outer.resolve()


def test_pyproject_table_is_read_with_lines(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        """
        [project]
        name = "newsroom"

        [tool.attribaudit]
        min_severity = "warning"

        [tool.attribaudit.severity]
        unknown-source = "off"
        """,
    )
    config = load_config(cwd=tmp_path)
    assert config.min_severity is Severity.WARNING
    assert config.severity == {"unknown-source": None}
    assert config.origins["min_severity"].endswith("pyproject.toml:5")
    assert config.origins["severity.unknown-source"].endswith("pyproject.toml:8")


def test_no_config_gives_defaults(tmp_path: Path) -> None:
    config = load_config(cwd=tmp_path)
    assert config.path is None
    assert config.fail_on == "error"
    assert config.min_severity is Severity.INFO
    assert config.origin("fail_on") == "default"


def test_explicit_config_overrides_discovery(tmp_path: Path) -> None:
    write(tmp_path / "attribaudit.toml", 'fail_on = "info"\n')
    other = write(tmp_path / "elsewhere" / "ci.toml", 'fail_on = "never"\n')
    assert load_config(explicit=other, cwd=tmp_path).fail_on == "never"
    with pytest.raises(AttribauditError, match="not found"):
        load_config(explicit=tmp_path / "missing.toml", cwd=tmp_path)


def test_an_empty_config_file_is_the_defaults(tmp_path: Path) -> None:
    # Empty TOML is valid TOML: nothing set, so every value is the default.
    for text in ("", "# nothing yet\n\n"):
        path = write(tmp_path / "attribaudit.toml", text)
        config = load_config(explicit=path, cwd=tmp_path)
        assert config.path == path.resolve()
        assert config.fail_on == "error" and config.origin("fail_on") == "default"


@pytest.mark.skipif(not Path(os.devnull).exists(), reason="needs a null device")
def test_the_null_device_as_config_is_no_config(tmp_path: Path) -> None:
    # `--config /dev/null` is the usual way to run without the project's config: the device is
    # not a regular file, but it reads as an empty config; paths would be relative to the
    # working directory, not to /dev.
    config = load_config(explicit=Path(os.devnull), cwd=tmp_path)
    assert config.fail_on == "error"
    assert config.root == tmp_path.resolve()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_config_read_from_a_pipe(tmp_path: Path) -> None:
    # `--config <(make-config)`: the shell hands over a pipe; it is read, not "not found".
    fifo = tmp_path / "config.fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=fifo.write_text, args=('fail_on = "never"\n',))
    writer.start()
    try:
        config = load_config(explicit=fifo, cwd=tmp_path)
    finally:
        writer.join(timeout=0.5)
        if writer.is_alive():  # the config was never read: let the writer finish
            fifo.read_text()
            writer.join()
    assert config.fail_on == "never"
    assert config.origin("fail_on") == f"{fifo}:1"


def test_a_missing_config_and_a_dangling_link_say_which(tmp_path: Path) -> None:
    with pytest.raises(AttribauditError) as caught:
        load_config(explicit=tmp_path / "missing.toml", cwd=tmp_path)
    assert caught.value.message == "config file not found"
    link = tmp_path / "ci.toml"
    link.symlink_to(tmp_path / "gone.toml")
    with pytest.raises(AttribauditError) as caught:
        load_config(explicit=link, cwd=tmp_path)
    assert caught.value.message.startswith("config file is a link to a missing file")
    assert "gone.toml" in caught.value.message


def test_a_config_that_is_a_socket_cannot_be_read(tmp_path: Path) -> None:
    import socket

    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("needs Unix sockets")
    path = tmp_path / "s.toml"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(AttribauditError) as caught:
            load_config(explicit=path, cwd=tmp_path)
    assert caught.value.message.startswith("config file is a socket, not a file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_as_config_is_refused_not_read_forever(tmp_path: Path) -> None:
    with pytest.raises(AttribauditError) as caught:
        load_config(explicit=Path("/dev/zero"), cwd=tmp_path)
    assert "larger than" in caught.value.message


@pytest.mark.parametrize(
    ("entry", "reason"),
    [("~no-such-user-here/house.yaml", "cannot expand"), ("x" * 5000, "File name too long")],
    ids=["unknown-user", "name-too-long"],
)
def test_a_data_path_that_cannot_be_looked_up_names_the_config_line(
    tmp_path: Path, entry: str, reason: str
) -> None:
    # Path.expanduser raised RuntimeError and Path.exists OSError: tracebacks.
    write(tmp_path / "attribaudit.toml", f'fail_on = "error"\nrules = ["{entry}"]\n')
    with pytest.raises(AttribauditError) as caught:
        load_config(cwd=tmp_path)
    assert caught.value.line == 2
    assert caught.value.message.startswith("rules: ")
    assert reason in caught.value.message


def test_an_explicit_config_with_a_name_too_long_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(AttribauditError) as caught:
        load_config(explicit=Path("x" * 5000), cwd=tmp_path)
    assert "File name too long" in caught.value.message


def test_a_config_file_that_is_not_utf8_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "attribaudit.toml"
    path.write_bytes("fail_on = 'never' # Malmö\n".encode("latin-1"))
    with pytest.raises(AttribauditError) as caught:
        load_config(cwd=tmp_path)
    assert caught.value.message.startswith("config file is not UTF-8 text")
    assert caught.value.path == str(path)


def test_explicit_pyproject_without_table_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    with pytest.raises(AttribauditError, match=r"no \[tool.attribaudit\] table"):
        load_config(explicit=path)


# --------------------------------------------------------------------------- precedence


def test_precedence_default_then_file_then_command_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "attribaudit.toml",
        """
        fail_on = "warning"
        select = ["unsourced-claim"]
        [severity]
        unknown-source = "off"
        vague-attribution = "error"
        """,
    )
    config = load_config(cwd=tmp_path)
    assert config.fail_on == "warning"  # file beats default
    assert config.min_severity is Severity.INFO  # default kept
    assert config.origins["fail_on"] == f"{path.resolve()}:1"
    assert config.origins["severity.vague-attribution"] == f"{path.resolve()}:5"
    assert config.origin("min_severity") == "default"

    merged = merge_cli(
        config,
        fail_on="never",
        min_severity=None,
        select=[],
        severity={"unknown-source": "warning"},
        jobs=3,
    )
    assert merged.fail_on == "never"  # command line beats file
    assert merged.origins["fail_on"] == CLI_ORIGIN
    assert merged.select == ["unsourced-claim"]  # an empty list means "not given"
    assert merged.origins["select"] == f"{path.resolve()}:2"
    assert merged.min_severity is Severity.INFO and merged.origin("min_severity") == "default"
    # severity merges rule by rule
    assert merged.severity == {
        "unknown-source": Severity.WARNING,
        "vague-attribution": Severity.ERROR,
    }
    assert merged.origins["severity.unknown-source"] == CLI_ORIGIN
    assert merged.origins["severity.vague-attribution"] == f"{path.resolve()}:5"
    assert merged.jobs == 3
    assert config.fail_on == "warning"  # the original is not changed


def test_merge_cli_rejects_unknown_settings_and_bad_values(tmp_path: Path) -> None:
    config = load_config(cwd=tmp_path)
    with pytest.raises(TypeError):
        merge_cli(config, colour="red")
    with pytest.raises(AttribauditError, match="--fail-on"):
        merge_cli(config, fail_on="fatal")


def test_data_paths_are_relative_to_the_config_folder(tmp_path: Path) -> None:
    (tmp_path / "house").mkdir()
    write(tmp_path / "our-sources.yaml", "entries: []\n")
    write(
        tmp_path / "attribaudit.toml",
        'rules = ["house/"]\nregistries = ["our-sources.yaml"]\n',
    )
    config = load_config(cwd=tmp_path / "house")
    assert config.rules == [tmp_path.resolve() / "house"]
    assert config.registries == [tmp_path.resolve() / "our-sources.yaml"]
    assert config.engine_options()["rule_paths"] == [tmp_path.resolve() / "house"]


def test_missing_rule_pack_names_its_line(tmp_path: Path) -> None:
    write(tmp_path / "attribaudit.toml", '# packs\n\nrules = ["nowhere/"]\n')
    with pytest.raises(AttribauditError) as caught:
        load_config(cwd=tmp_path)
    assert caught.value.line == 3
    assert "nowhere/" in caught.value.message


# --------------------------------------------------------------------------- errors with lines


def test_unknown_key_error_names_file_key_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "attribaudit.toml",
        """
        # house settings
        fail_on = "error"

        fail-on = "warning"
        """,
    )
    with pytest.raises(AttribauditError) as caught:
        load_config(cwd=tmp_path)
    error = caught.value
    assert error.path == str(path.resolve())
    assert error.line == 4
    assert "unknown key 'fail-on'" in error.message
    assert "did you mean 'fail_on'" in error.message
    assert str(error).startswith(f"{path.resolve()}:4: ")


def test_unknown_key_inside_an_override(tmp_path: Path) -> None:
    write(
        tmp_path / "attribaudit.toml",
        """
        [[overrides]]
        paths = ["a/**"]

        [[overrides]]
        paths = ["b/**"]
        severities = { x = "off" }
        """,
    )
    with pytest.raises(AttribauditError) as caught:
        load_config(cwd=tmp_path)
    assert caught.value.line == 6
    assert "overrides[1].severities" in caught.value.message


def test_bad_value_error_has_line(tmp_path: Path) -> None:
    write(
        tmp_path / "attribaudit.toml",
        """
        fail_on = "error"

        [severity]
        unsourced-claim = "warning"
        vague-attribution = "loud"
        """,
    )
    with pytest.raises(AttribauditError) as caught:
        load_config(cwd=tmp_path)
    assert caught.value.line == 5
    assert "severity.vague-attribution" in caught.value.message
    assert "'loud'" in caught.value.message


def test_wrong_type_is_an_error_not_a_coercion(tmp_path: Path) -> None:
    write(tmp_path / "attribaudit.toml", 'jobs = "4"\n')
    with pytest.raises(AttribauditError) as caught:
        load_config(cwd=tmp_path)
    assert caught.value.line == 1
    assert caught.value.message.startswith("jobs:")


def test_toml_syntax_error_has_line(tmp_path: Path) -> None:
    write(tmp_path / "attribaudit.toml", 'fail_on = "error"\nselect = [\n  "a",,\n]\n')
    with pytest.raises(AttribauditError) as caught:
        load_config(cwd=tmp_path)
    assert caught.value.line == 3
    assert caught.value.message.startswith("invalid TOML")


@pytest.mark.parametrize(
    ("toml", "line", "key"),
    [
        ('fail_on = "error"\nexclude = ["archive/**", "!"]\n', 2, "exclude"),
        ('include = ["\\\\"]\n', 1, "include"),
        (
            'fail_on = "error"\n\n[[overrides]]\npaths = ["opinion/**", "!"]\n',
            4,
            "overrides[0].paths",
        ),
    ],
)
def test_an_invalid_glob_is_an_error_with_file_and_line(
    tmp_path: Path, toml: str, line: int, key: str
) -> None:
    # pathspec refused the pattern with a traceback once files were matched against it.
    write(tmp_path / "attribaudit.toml", toml)
    with pytest.raises(AttribauditError) as caught:
        load_config(cwd=tmp_path)
    assert caught.value.path == str((tmp_path / "attribaudit.toml").resolve())
    assert caught.value.line == line
    assert caught.value.message.startswith(f"{key}: invalid glob ")


def test_merge_cli_rejects_an_invalid_glob(tmp_path: Path) -> None:
    config = load_config(cwd=tmp_path)
    with pytest.raises(AttribauditError, match=r"^--exclude: invalid glob '!'"):
        merge_cli(config, exclude=["!"])
    with pytest.raises(AttribauditError, match=r"^--include: invalid glob"):
        merge_cli(config, include=["*.md", "\\"])


def test_check_rule_ids_reports_the_line(tmp_path: Path) -> None:
    write(
        tmp_path / "attribaudit.toml",
        """
        select = ["unsourced-claim"]
        [severity]
        unknown-source = "off"
        vague-atribution = "error"
        """,
    )
    config = load_config(cwd=tmp_path)
    known = {"unsourced-claim", "unknown-source", "vague-attribution"}
    with pytest.raises(AttribauditError) as caught:
        check_rule_ids(config, known)
    assert caught.value.line == 4
    assert "vague-atribution" in caught.value.message
    assert "did you mean 'vague-attribution'" in caught.value.message
    check_rule_ids(config, known | {"vague-atribution"})  # all known: no error


def test_check_rule_ids_for_overrides_and_command_line(tmp_path: Path) -> None:
    write(
        tmp_path / "attribaudit.toml",
        """
        [[overrides]]
        paths = ["opinion/**"]
        severity = { made-up = "off" }
        """,
    )
    config = load_config(cwd=tmp_path)
    with pytest.raises(AttribauditError) as caught:
        check_rule_ids(config, {"unsourced-claim"})
    assert caught.value.line == 3
    assert caught.value.message.startswith("overrides[0].severity")

    from_cli = merge_cli(load_config(cwd=tmp_path / "nowhere"), ignore=["nope"])
    with pytest.raises(AttribauditError) as caught:
        check_rule_ids(from_cli, {"unsourced-claim"})
    assert caught.value.path is None
    assert caught.value.message.startswith("--ignore: unknown rule id 'nope'")


# --------------------------------------------------------------------------- overrides


def test_per_path_overrides_apply_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path / "attribaudit.toml",
        """
        fail_on = "warning"
        [severity]
        unknown-source = "off"

        [[overrides]]
        paths = ["opinion/**"]
        severity = { unsourced-claim = "warning" }
        fail_on = "never"

        [[overrides]]
        paths = ["opinion/columns/**"]
        severity = { unsourced-claim = "info", unknown-source = "info" }
        min_severity = "warning"
        """,
    )
    (tmp_path / "news").mkdir()
    monkeypatch.chdir(tmp_path / "news")  # globs are relative to the config folder, not here
    config = load_config()

    news = config.for_path("story.md")
    assert news.rule_severity("unsourced-claim", Severity.ERROR) is Severity.ERROR
    assert news.rule_severity("unknown-source", Severity.INFO) is None
    assert news.fails(Severity.WARNING) and not news.fails(Severity.INFO)

    opinion = config.for_path(str(tmp_path / "opinion" / "piece.md"))
    assert opinion.rule_severity("unsourced-claim", Severity.ERROR) is Severity.WARNING
    assert not opinion.fails(Severity.ERROR)
    assert opinion.min_severity is Severity.INFO

    column = config.for_path("../opinion/columns/monday.md")
    assert column.rule_severity("unsourced-claim", Severity.ERROR) is Severity.INFO  # later wins
    assert column.rule_severity("unknown-source", Severity.INFO) is Severity.INFO
    assert column.fail_on == "never"  # kept from the first override
    assert column.min_severity is Severity.WARNING
    assert not column.shows(Severity.INFO)
    # What hid a file's findings, as a report names it (JUnit's hidden failures).
    assert column.min_severity_by.startswith('min_severity = "warning" in [[overrides]] at ')
    assert column.min_severity_by.endswith("attribaudit.toml:10")  # the entry's line
    assert news.min_severity_by == "the default min_severity"


def test_exclude_and_include(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "attribaudit.toml", 'exclude = ["drafts/**"]\ninclude = ["**/*.md"]\n')
    monkeypatch.chdir(tmp_path)
    config = load_config()
    assert config.is_excluded("drafts/a.md")
    assert config.is_excluded("news/a.txt")
    assert not config.is_excluded("./news/a.md")


# --------------------------------------------------------------------------- key lines


def test_key_lines_scanner() -> None:
    lines = KeyLines(
        textwrap.dedent(
            '''
            top = 1
            text = """
            fake = "not a key"
            """
            [tool.attribaudit]
            "quoted-key" = 2
            dotted.part = 3
            [[tool.attribaudit.overrides]]
            paths = []
            [tool.attribaudit.overrides.severity]
            x = "off"
            [[tool.attribaudit.overrides]]
            paths = []
            '''
        ).lstrip("\n")
    )
    assert lines.line_of(("top",)) == 1
    assert lines.line_of(("fake",)) is None
    assert lines.line_of(("tool", "attribaudit", "quoted-key")) == 6
    assert lines.line_of(("tool", "attribaudit", "dotted", "part")) == 7
    assert lines.line_of(("tool", "attribaudit", "dotted")) == 7
    assert lines.line_of(("tool", "attribaudit", "overrides", 0, "paths")) == 9
    assert lines.line_of(("tool", "attribaudit", "overrides", 0, "severity", "x")) == 11
    assert lines.line_of(("tool", "attribaudit", "overrides", 1, "paths")) == 13
    # unknown leaf: the nearest enclosing key that has a line
    assert lines.line_of(("tool", "attribaudit", "overrides", 1, "nothing")) == 12


# --------------------------------------------------------------------------- CLI


@pytest.fixture()
def cli_app():  # type: ignore[no-untyped-def]
    from attribaudit.cli import app
    from attribaudit.cli import config as _config  # noqa: F401  registers `config`

    return app


def test_config_show_json_lists_values_and_origins(
    cli_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / ".attribaudit.toml", '# shown\nmin_severity = "warning"\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli_app, ["config", "show", "--format", "json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["path"] == str(path.resolve())
    assert shown["settings"]["min_severity"] == "warning"
    assert shown["origins"]["min_severity"] == f"{path.resolve()}:2"
    assert shown["origins"]["fail_on"] == "default"


def test_config_show_table(cli_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "attribaudit.toml", 'fail_on = "never"\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli_app, ["config", "show"])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if "fail_on" in line)
    assert "never" in row and "attribaudit.toml:1" in row


def test_config_show_bad_config_exits_2_with_file_and_line(
    cli_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = write(tmp_path / "bad.toml", '# ci\nfail_on = "fatal"\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli_app, ["config", "show", "--config", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2: fail_on" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "toml",
    [
        "rules = " + "[" * 5000 + "]" * 5000 + "\n",
        "severity = " + "{a = " * 3000 + "1" + "}" * 3000,
    ],
    ids=["arrays", "inline-tables"],
)
def test_toml_nested_too_deeply_is_an_error_naming_the_file(tmp_path: Path, toml: str) -> None:
    # tomllib recursed into a RecursionError traceback.
    write(tmp_path / "attribaudit.toml", toml)
    with pytest.raises(AttribauditError) as caught:
        load_config(cwd=tmp_path)
    assert caught.value.path == str((tmp_path / "attribaudit.toml").resolve())
    assert caught.value.message == "invalid TOML: nested too deeply to read"
