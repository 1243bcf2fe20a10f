"""Config, suppression comments and baselines through the real CLI: each test fails if the feature
it names is missing (the same article without the config, directive or baseline is flagged)."""

from __future__ import annotations

import json
import os
import re
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

UNSOURCED = (
    "The dispute reflects a deeper failure of planning at the council, "
    "which has let maintenance slide for a decade."
)
VAGUE = "The levy would hit small fishing operators hardest, critics say."
SOURCED = "According to Marta Lindqvist, the levy would raise about 4.2 million crowns a year."
CLAIM = "The council has failed everyone for a decade."

# Unsourced claims on lines 4, 8 and 10, each under a different directive form; line 13 is a
# sourced sentence under a directive with nothing to suppress; line 15 suppresses nothing.
SUPPRESSED = f"""# Harbour levy

<!-- attribaudit-disable unsourced-claim -- the editor's analysis column -->
{UNSOURCED}
<!-- attribaudit-enable unsourced-claim -->

<!-- attribaudit-disable-next-line unsourced-claim -- analysis, signed by the editor -->
Residents deserve a clear answer before the winter storms arrive, and the council has failed them.

{CLAIM} <!-- attribaudit-disable-line unsourced-claim -- analysis -->

<!-- attribaudit-disable-next-line vague-attribution -- nothing to hide -->
{SOURCED}

<!-- attribaudit-disable-line unsourced-claim -- a stray directive -->
"""
DIRECTIVE = re.compile(r"<!-- attribaudit-[^>]*-->")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def run(app, *args: str) -> Result:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def shown(result: Result) -> list[tuple[str, str, str]]:
    """(path:line, severity, rule) of each `--format line` row."""
    rows = []
    for row in result.stdout.splitlines():
        where, severity, rule = row.split(" ")[:3]
        rows.append((where.rsplit(":", 2)[0], severity, rule))
    return rows


# --------------------------------------------------------------------------- suppression


def test_without_directives_the_claims_are_flagged(app, tmp_path: Path) -> None:
    write(tmp_path / "bare.md", DIRECTIVE.sub("", SUPPRESSED))
    result = run(app, "check", "--format", "line", "bare.md")
    assert result.exit_code == 1
    assert shown(result) == [
        ("bare.md:4", "error", "unsourced-claim"),
        ("bare.md:8", "error", "unsourced-claim"),
        ("bare.md:10", "error", "unsourced-claim"),
    ]


def test_each_directive_form_suppresses(app, tmp_path: Path) -> None:
    write(tmp_path / "article.md", SUPPRESSED)
    result = run(app, "check", "--format", "line", "article.md")
    assert (result.exit_code, result.stdout) == (0, "")


def test_directive_for_another_rule_does_not_suppress(app, tmp_path: Path) -> None:
    write(
        tmp_path / "article.md",
        f"# A\n\n<!-- attribaudit-disable-next-line vague-attribution -- no -->\n{UNSOURCED}\n",
    )
    result = run(app, "check", "--format", "line", "article.md")
    assert shown(result) == [("article.md:4", "error", "unsourced-claim")]


def test_enable_ends_the_region(app, tmp_path: Path) -> None:
    write(tmp_path / "article.md", SUPPRESSED + f"\n{UNSOURCED}\n")
    result = run(app, "check", "--format", "line", "article.md")
    assert shown(result) == [("article.md:17", "error", "unsourced-claim")]


def test_malformed_directive_is_a_finding(app, tmp_path: Path) -> None:
    write(
        tmp_path / "article.md",
        f"# A\n\n<!-- attribaudit-disabel unsourced-claim -- why -->\n{UNSOURCED}\n",
    )
    result = run(app, "check", "--format", "line", "article.md")
    # Directive findings come after the others (suppress.apply_directives orders them so).
    assert sorted(shown(result)) == [
        ("article.md:3", "warning", "directive-malformed"),
        ("article.md:4", "error", "unsourced-claim"),
    ]
    assert "did you mean 'attribaudit-disable'" in result.stdout


def test_report_unused_disables(app, tmp_path: Path) -> None:
    write(tmp_path / "article.md", SUPPRESSED)
    result = run(app, "check", "--format", "line", "--report-unused-disables", "article.md")
    assert shown(result) == [
        ("article.md:12", "info", "directive-unused"),
        ("article.md:15", "info", "directive-unused"),
    ]
    write(tmp_path / "attribaudit.toml", "report_unused_disables = true\n")
    from_config = run(app, "check", "--format", "line", "article.md")
    assert shown(from_config) == shown(result)


def test_require_reason_from_config(app, tmp_path: Path) -> None:
    no_reasons = re.sub(r" -- [^>]*?-->", " -->", SUPPRESSED)
    write(tmp_path / "article.md", no_reasons)
    without_config = run(app, "check", "--format", "line", "article.md")
    assert (without_config.exit_code, without_config.stdout) == (0, "")

    write(tmp_path / "ci.toml", "require_reason = true\n")
    result = run(app, "check", "--format", "line", "--config", "ci.toml", "article.md")
    assert shown(result) == [
        ("article.md:3", "warning", "directive-no-reason"),
        ("article.md:7", "warning", "directive-no-reason"),
        ("article.md:10", "warning", "directive-no-reason"),
        ("article.md:12", "warning", "directive-no-reason"),
        ("article.md:15", "warning", "directive-no-reason"),
    ]
    # A directive with a reason is fine under the same config.
    write(tmp_path / "reasoned.md", SUPPRESSED)
    assert run(app, "check", "--format", "line", "--config", "ci.toml", "reasoned.md").stdout == ""


def test_directives_in_html_comments(app, tmp_path: Path) -> None:
    page = (
        "<article>\n<p>Harbour levy</p>\n"
        "<!-- attribaudit-disable-next-line unsourced-claim -- analysis -->\n"
        f"<p>{UNSOURCED}</p>\n<p>{UNSOURCED}</p>\n</article>\n"
    )
    write(tmp_path / "page.html", page)
    result = run(app, "check", "--format", "line", "page.html")
    assert shown(result) == [("page.html:5", "error", "unsourced-claim")]


# --------------------------------------------------------------------------- baselines


def test_baseline_fails_only_on_new_findings(app, tmp_path: Path) -> None:
    article = write(tmp_path / "news" / "levy.md", f"# Levy\n\n{UNSOURCED}\n\n{VAGUE}\n")
    created = run(app, "baseline", "create", "baseline.json", "news")
    assert created.exit_code == 0, created.output
    assert "recorded 2 findings" in created.stdout
    recorded = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert recorded  # written, and JSON

    unchanged = run(app, "check", "--format", "line", "--baseline", "baseline.json", "news")
    assert (unchanged.exit_code, unchanged.stdout) == (0, "")
    without = run(app, "check", "--format", "line", "news")
    assert without.exit_code == 1  # the baseline is what makes the run pass

    # Edits above the old findings move them but do not make them new.
    article.write_text(
        f"# Levy\n\n{SOURCED}\n\n{UNSOURCED}\n\n{VAGUE}\n\n"
        "The council has failed everyone for a decade.\n",
        encoding="utf-8",
    )
    changed = run(app, "check", "--format", "line", "--baseline", "baseline.json", "news")
    assert changed.exit_code == 1
    assert shown(changed) == [("news/levy.md:9", "error", "unsourced-claim")]


def test_baseline_missing_file_exits_2(app, tmp_path: Path) -> None:
    write(tmp_path / "a.md", f"# A\n\n{UNSOURCED}\n")
    result = run(app, "check", "--baseline", "nope.json", "a.md")
    assert result.exit_code == 2
    assert "nope.json" in result.stderr


def test_baseline_create_with_unreadable_input_exits_2(app, tmp_path: Path) -> None:
    write(tmp_path / "a.md", f"# A\n\n{UNSOURCED}\n")
    (tmp_path / "b.md").write_bytes(b"\x00\x01")
    result = run(app, "baseline", "create", "baseline.json", "a.md", "b.md")
    assert result.exit_code == 2
    assert "could not be read" in result.stderr


# --------------------------------------------------------------------------- config precedence


def test_config_file_then_command_line(app, tmp_path: Path) -> None:
    write(tmp_path / "vague.md", f"# A\n\n{VAGUE}\n")
    assert run(app, "check", "--format", "line", "vague.md").exit_code == 0
    write(tmp_path / "attribaudit.toml", 'fail_on = "warning"\nmin_severity = "error"\n')
    from_file = run(app, "check", "--format", "line", "vague.md")
    assert (from_file.exit_code, from_file.stdout) == (1, "")
    from_cli = run(
        app, "check", "--format", "line", "--fail-on", "error", "--min-severity", "info", "vague.md"
    )
    assert from_cli.exit_code == 0
    assert shown(from_cli) == [("vague.md:3", "warning", "vague-attribution")]


def test_severity_from_config(app, tmp_path: Path) -> None:
    write(tmp_path / "a.md", f"# A\n\n{UNSOURCED}\n\n{VAGUE}\n")
    write(
        tmp_path / ".attribaudit.toml",
        """
        [severity]
        unsourced-claim = "warning"
        vague-attribution = "off"
        """,
    )
    result = run(app, "check", "--format", "line", "a.md")
    assert result.exit_code == 0
    assert shown(result) == [("a.md:3", "warning", "unsourced-claim")]


def test_pyproject_table_is_found_upward(
    app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path / "pyproject.toml",
        """
        [project]
        name = "newsroom"

        [tool.attribaudit]
        ignore = ["unsourced-claim"]
        """,
    )
    write(tmp_path / "news" / "a.md", f"# A\n\n{UNSOURCED}\n\n{VAGUE}\n")
    (tmp_path / "deep" / "er").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "deep" / "er")
    result = run(app, "check", "--format", "line", "../../news/a.md")
    assert shown(result) == [("../../news/a.md:5", "warning", "vague-attribution")]

    shown_config = run(app, "config", "show", "--format", "json")
    payload = json.loads(shown_config.stdout)
    assert payload["path"] == str((tmp_path / "pyproject.toml").resolve())
    assert payload["settings"]["ignore"] == ["unsourced-claim"]
    assert payload["origins"]["ignore"] == f"{(tmp_path / 'pyproject.toml').resolve()}:5"


def test_explicit_config_skips_discovery(app, tmp_path: Path) -> None:
    write(tmp_path / "attribaudit.toml", 'ignore = ["unsourced-claim"]\n')
    write(tmp_path / "strict.toml", 'fail_on = "warning"\n')
    write(tmp_path / "a.md", f"# A\n\n{UNSOURCED}\n")
    assert run(app, "check", "--format", "line", "a.md").exit_code == 0
    result = run(app, "check", "--format", "line", "--config", "strict.toml", "a.md")
    assert shown(result) == [("a.md:3", "error", "unsourced-claim")]


@pytest.mark.skipif(not Path(os.devnull).exists(), reason="needs a null device")
def test_config_dev_null_runs_with_the_defaults(app, tmp_path: Path) -> None:
    # The project's config ignores the claim; `--config /dev/null` sets it aside.
    write(tmp_path / "attribaudit.toml", 'ignore = ["unsourced-claim"]\n')
    write(tmp_path / "a.md", f"# A\n\n{UNSOURCED}\n")
    result = run(app, "check", "--format", "line", "--config", os.devnull, "a.md")
    assert "not found" not in result.stderr
    assert result.exit_code == 1
    assert shown(result) == [("a.md:3", "error", "unsourced-claim")]
    shown_config = run(app, "config", "show", "--config", os.devnull)
    assert shown_config.exit_code == 0


OVERRIDES = """
[severity]
vague-attribution = "error"

[[overrides]]
paths = ["opinion/**"]
severity = { unsourced-claim = "off", vague-attribution = "warning" }
"""


def test_per_path_overrides_through_the_cli(app, tmp_path: Path) -> None:
    write(tmp_path / "attribaudit.toml", OVERRIDES)
    text = f"# A\n\n{UNSOURCED}\n\n{VAGUE}\n"
    write(tmp_path / "news" / "a.md", text)
    write(tmp_path / "opinion" / "b.md", text)
    result = run(app, "check", "--format", "line", "news", "opinion")
    assert shown(result) == [
        ("news/a.md:3", "error", "unsourced-claim"),
        ("news/a.md:5", "error", "vague-attribution"),
        ("opinion/b.md:5", "warning", "vague-attribution"),
    ]


def test_per_path_overrides_reach_the_engine_through_build_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from attribaudit.config import load_config
    from attribaudit.models import Severity
    from attribaudit.runner import build_engine

    write(tmp_path / "attribaudit.toml", OVERRIDES)
    text = f"# A\n\n{UNSOURCED}\n\n{VAGUE}\n"
    write(tmp_path / "news" / "a.md", text)
    write(tmp_path / "opinion" / "b.md", text)
    engine = build_engine(load_config(cwd=tmp_path))
    assert engine.severity_for is not None

    def found(path: Path) -> list[tuple[str, Severity]]:
        return [(f.rule, f.severity) for f in engine.audit_file(str(path)).findings]

    assert found(tmp_path / "news" / "a.md") == [
        ("unsourced-claim", Severity.ERROR),
        ("vague-attribution", Severity.ERROR),
    ]
    assert found(tmp_path / "opinion" / "b.md") == [("vague-attribution", Severity.WARNING)]


def test_per_path_fail_on_decides_the_exit_code(app, tmp_path: Path) -> None:
    write(
        tmp_path / "attribaudit.toml", '[[overrides]]\npaths = ["drafts/**"]\nfail_on = "never"\n'
    )
    write(tmp_path / "drafts" / "a.md", f"# A\n\n{UNSOURCED}\n")
    assert run(app, "check", "--format", "line", "drafts").exit_code == 0


def test_per_path_min_severity_decides_what_is_shown(app, tmp_path: Path) -> None:
    write(
        tmp_path / "attribaudit.toml",
        '[[overrides]]\npaths = ["drafts/**"]\nmin_severity = "error"\n',
    )
    write(tmp_path / "drafts" / "a.md", f"# A\n\n{VAGUE}\n")
    assert run(app, "check", "--format", "line", "drafts").stdout == ""


# --------------------------------------------------------------------------- config errors


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("attribaudit.toml", 'fail_on = "error"\ncolour = "always"\n', ":2: unknown key 'colour'"),
        ("attribaudit.toml", '\n\nfail_on = "fatal"\n', ":3: fail_on"),
        (
            "pyproject.toml",
            '[project]\nname = "x"\n\n[tool.attribaudit]\nfail_on = "error"\nseverty = {}\n',
            ":6: unknown key 'severty'",
        ),
        (
            "attribaudit.toml",
            '[[overrides]]\npaths = ["a/**"]\nfail-on = "never"\n',
            ":3: unknown key",
        ),
        ("attribaudit.toml", "fail_on = \n", ":1:"),
    ],
)
@pytest.mark.parametrize("command", [["check", "a.md"], ["config", "show"]])
def test_bad_config_exits_2_naming_file_key_and_line(
    app, tmp_path: Path, name: str, text: str, expected: str, command: list[str]
) -> None:
    write(tmp_path / "a.md", f"# A\n\n{SOURCED}\n")
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = run(app, *command)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{(tmp_path / name).resolve()}{expected}" in result.stderr


def test_unknown_rule_in_config_severity(app, tmp_path: Path) -> None:
    write(tmp_path / "a.md", f"# A\n\n{SOURCED}\n")
    write(tmp_path / "attribaudit.toml", '[severity]\nunsourced-claims = "off"\n')
    result = run(app, "check", "a.md")
    assert result.exit_code == 2
    assert "unsourced-claims" in result.stderr


def test_config_show_table_names_the_origin_of_each_value(app, tmp_path: Path) -> None:
    write(tmp_path / "attribaudit.toml", OVERRIDES)
    result = run(app, "config", "show")
    assert result.exit_code == 0
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if "│" in line}
    assert "attribaudit.toml:2" in rows["severity.vague-attribution"]
    assert "attribaudit.toml:4" in rows["overrides[0]"]
    assert "default" in rows["fail_on"]


def test_unknown_rule_id_in_config_names_file_and_line(app, tmp_path: Path) -> None:
    (tmp_path / "attribaudit.toml").write_text(
        'fail_on = "error"\n[severity]\nunsourced-claims = "warning"\n', encoding="utf-8"
    )
    (tmp_path / "a.txt").write_text("The council met on Monday.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "a.txt"])
    assert result.exit_code == 2
    assert "attribaudit.toml:3" in result.output and "unsourced-claim" in result.output


def test_unknown_rule_id_in_an_override_is_caught(app, tmp_path: Path) -> None:
    (tmp_path / "attribaudit.toml").write_text(
        '[[overrides]]\npaths = ["opinion/**"]\nseverity = { no-such-rule = "off" }\n',
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text("The council met on Monday.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "a.txt"])
    assert result.exit_code == 2 and "no-such-rule" in result.output
