"""The command line: version, rules commands and exit codes (inputs and formats: test_cli_*.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from attribaudit import __version__
from attribaudit.cli import _register, app

_register()
runner = CliRunner()

CLEAN = "The minister said on Monday that the talks would resume next week in Geneva.\n"
FLAGGED = "The council will raise the harbour levy by 40 percent next year.\n"


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_version_does_not_import_the_pipeline() -> None:
    # Start-up stays fast because the engine, pydantic and rich are imported only by commands.
    code = (
        "import sys; from attribaudit.cli import main; sys.argv=['attribaudit','--version']\n"
        "try:\n    main()\nexcept SystemExit: pass\n"
        "heavy = ('attribaudit.engine', 'pydantic', 'rapidfuzz', 'attribaudit.extract')\n"
        "print('LOADED=' + ','.join(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "attribaudit " in out
    assert out.strip().splitlines()[-1] == "LOADED="


def test_a_command_builds_only_its_own_group() -> None:
    # `check` does not pay for defining the other command groups; a typo still gets the list.
    code = (
        "import sys\nfrom attribaudit.cli import main\n"
        "sys.argv = ['attribaudit', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "groups = ('check', 'rules', 'registry', 'eval', 'baseline', 'config')\n"
        "print('GROUPS=' + ','.join(g for g in groups if 'attribaudit.cli.' + g in sys.modules))"
    )

    def groups(*args: str) -> tuple[str, str]:
        run = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
        return run.stdout.strip().splitlines()[-1], run.stderr

    assert groups("check", "--help")[0] == "GROUPS=check"
    assert groups("--version", "rules", "list")[0] == "GROUPS=rules"
    loaded, error = groups("chek")
    assert loaded == "GROUPS=check,rules,registry,eval,baseline,config"
    assert "Did you mean 'check'" in error


@pytest.mark.parametrize(("text", "code"), [(CLEAN, 0), (FLAGGED, 1)])
def test_exit_code_follows_findings(tmp_path: Path, text: str, code: int) -> None:
    article = tmp_path / "a.txt"
    article.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(article), "--format", "json"])
    assert result.exit_code == code, result.output
    report = json.loads(result.stdout)
    assert report["files"][0]["path"] == str(article)


def test_fail_on_never_and_warning(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "The levy would hit fishing operators hardest, critics say.\n", encoding="utf-8"
    )
    assert runner.invoke(app, ["check", str(article), "--fail-on", "warning"]).exit_code == 1
    assert runner.invoke(app, ["check", str(article)]).exit_code == 0
    article.write_text(FLAGGED, encoding="utf-8")
    assert runner.invoke(app, ["check", str(article), "--fail-on", "never"]).exit_code == 0


def test_missing_file_is_exit_2_without_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_rules_list_and_show() -> None:
    listed = runner.invoke(app, ["rules", "list", "--format", "json"])
    assert listed.exit_code == 0
    ids = {r["id"] for r in json.loads(listed.stdout)}
    assert {
        "unsourced-claim",
        "speech-verb",
        "source-tag",
        "chrome-teaser",
        "directive-unused",
    } <= ids
    shown = runner.invoke(app, ["rules", "show", "according-to"])
    assert shown.exit_code == 0 and "According to Valery Kalachev" in shown.stdout
    missing = runner.invoke(app, ["rules", "show", "no-such-rule"])
    assert missing.exit_code == 2


def test_rules_show_shows_every_shipped_rule() -> None:
    # A rule whose params hold a list or a mapping ("speech-verb": clause_only, needs_next, ...)
    # ended in yaml's RepresenterError: the parsed containers are LineList and LineDict.
    from attribaudit.rules import load_rules

    for rule_id in load_rules().rules:
        shown = runner.invoke(app, ["rules", "show", rule_id])
        assert shown.exit_code == 0, (rule_id, shown.output, shown.exception)
    shown = runner.invoke(app, ["rules", "show", "speech-verb"])
    assert "\n  not_sources_in_quotations:\n  - i\n" in shown.stdout


def test_rules_test_runs_a_users_pack(tmp_path: Path) -> None:
    pack = tmp_path / "house.yaml"
    pack.write_text(
        "pack: house\ndescription: newsroom rules\n"
        "lexicons:\n  house_hearsay:\n    description: our words\n    words: [apparently]\n"
        "rules:\n  - id: house-apparently\n    matcher: hearsay-adverb\n    kind: vague\n"
        "    summary: apparently\n    description: apparently is hearsay\n"
        "    params: {lexicon: house_hearsay}\n"
        "    examples:\n"
        "      - {text: The mayor apparently resigned after the vote., match: true}\n"
        "      - {text: The mayor resigned after the vote., match: false}\n"
        "      - {text: The mayor resigned on Friday apparently., match: false}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["rules", "test", str(pack)])
    # The third example is wrong on purpose: the rule fires there too.
    assert result.exit_code == 1
    assert "2 passed, 1 failed" in result.stdout and "house-apparently[2]" in result.stdout


def test_broken_rule_pack_names_file_and_line(tmp_path: Path) -> None:
    pack = tmp_path / "broken.yaml"
    pack.write_text("pack: x\ndescription: y\nrules: [\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(CLEAN, encoding="utf-8")
    result = runner.invoke(app, ["check", str(article), "--rules", str(pack)])
    assert result.exit_code == 2
    assert f"{pack}:" in result.output and "Traceback" not in result.output


def test_max_file_size_refuses_big_inputs_and_audits_the_rest(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(CLEAN * 40, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(CLEAN, encoding="utf-8")
    result = runner.invoke(
        app, ["check", str(big), str(small), "--max-file-size", "0.001", "--format", "json"]
    )
    assert result.exit_code == 2
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    assert files["big.txt"]["status"] == "error" and "too large" in files["big.txt"]["error"]
    assert files["small.txt"]["status"] == "ok"


def test_inputs_all_excluded_by_config_is_not_an_error(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "attribaudit.toml").write_text('exclude = ["drafts/**"]\n', encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "a.txt").write_text(FLAGGED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", "drafts/a.txt"])
    assert result.exit_code == 0
    assert "excluded" in result.output
    missing = runner.invoke(app, ["check", "nowhere/"])
    assert missing.exit_code == 2


def _help(*command: str) -> str:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    return " ".join(result.output.split())


def test_help_shows_the_defaults_written_in_option_help() -> None:
    # Help is rich markup: a bare "[default: error]" is read as a style tag and vanishes.
    text = _help("check")
    for default in ("error", "info", "10", "all cores"):
        assert f"[default: {default}]" in text, default


def test_config_help_names_the_pyproject_table() -> None:
    assert "[tool.attribaudit]" in _help("config")
    assert "[tool.attribaudit]" in _help()


def test_every_option_of_rules_list_is_described() -> None:
    assert "--format -f <table|json> table for people, json for tools." in _help("rules", "list")


def test_every_command_summary_is_one_unbroken_paragraph() -> None:
    # The command list shows a command's first paragraph as it is written: a line break in
    # it breaks the list's column ("... exact and overlap P/R/F1" then "per role, ...").
    from typer.main import get_command

    _register()
    root = get_command(app)
    summaries = {}
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        summaries[name] = command.help
        for sub, subcommand in getattr(command, "commands", {}).items():
            summaries[f"{name} {sub}"] = subcommand.help
    assert len(summaries) >= 10
    broken = [name for name, text in summaries.items() if "\n" in text.split("\n\n")[0]]
    assert broken == []
