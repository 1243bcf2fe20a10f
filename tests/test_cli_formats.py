"""Every `--format` through the real CLI on real articles, and the options that decide what is
shown and what fails: `--output`, `--fail-on`, `--min-severity`, `--select`, `--ignore`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

UNSOURCED = (
    "The dispute reflects a deeper failure of planning at the council, "
    "which has let maintenance slide for a decade."
)
# One finding of each severity: unsourced-claim (error) on line 3, vague-attribution (warning)
# on line 5, tag-only-sourcing (info) on line 7.
MIXED = f"""# Harbour levy vote delayed

{UNSOURCED}

The levy would hit small fishing operators hardest, critics say.

The harbour handled 1.3 million tonnes of cargo last year. [Source: Reuters]
"""
WARNING_ONLY = (
    "# Harbour levy\n\nThe levy would hit small fishing operators hardest, critics say.\n"
)
SOURCED = (
    "According to Marta Lindqvist, who chairs the finance committee, "
    "the levy would raise about 4.2 million crowns a year."
)
CLEAN = f"""# Harbour levy vote delayed

{SOURCED}

Lindqvist said the committee had asked for an independent review of the port's accounts.
"""
FORMATS = ["terminal", "json", "jsonl", "sarif", "github", "junit", "markdown", "line"]


@pytest.fixture()
def articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the three articles, made the working directory (no config above it)."""
    (tmp_path / "mixed.md").write_text(MIXED, encoding="utf-8")
    (tmp_path / "warning.md").write_text(WARNING_ONLY, encoding="utf-8")
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(app, *args: str) -> Result:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["check", *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def findings_of(app, *args: str) -> list[dict]:  # type: ignore[no-untyped-def]
    result = check(app, "--format", "json", *args)
    return [f for file in json.loads(result.stdout)["files"] for f in file["findings"]]


# --------------------------------------------------------------------------- each format


def test_line_format_is_exact(app, articles: Path) -> None:
    result = check(app, "--format", "line", "mixed.md", "clean.md")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "mixed.md:3:1: error unsourced-claim unsourced claim (evaluative language): "
        "no attribution in scope; attribute it or cut it",
        "mixed.md:5:53: warning vague-attribution vague attribution: “critics” names no one",
        "mixed.md:7:60: info tag-only-sourcing 1 claim in this paragraph rests only on the tag "
        "“[Source: Reuters]”",
    ]


def test_github_annotations(app, articles: Path) -> None:
    result = check(app, "--format", "github", "mixed.md", "clean.md")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    command = re.compile(
        r"^::(error|warning|notice) file=mixed\.md,line=(\d+),col=(\d+),endLine=\d+,"
        r"endColumn=\d+,title=([a-z-]+)::\S.*$"
    )
    parsed = [command.match(line) for line in lines]
    assert all(parsed), lines
    assert [(m[1], m[2], m[3], m[4]) for m in parsed if m] == [
        ("error", "3", "1", "unsourced-claim"),
        ("warning", "5", "53", "vague-attribution"),
        ("notice", "7", "60", "tag-only-sourcing"),
    ]


def test_junit_one_case_per_file(app, articles: Path) -> None:
    result = check(app, "--format", "junit", "mixed.md", "clean.md")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout.split("\n", 1)[1])  # after the XML declaration
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert set(cases) == {"mixed.md", "clean.md"}
    failure = cases["mixed.md"].find("failure")
    assert failure is not None and "3:1 error unsourced-claim" in (failure.text or "")
    assert cases["clean.md"].find("failure") is None
    assert root.get("tests") == "2" and root.get("failures") == "1"


def test_markdown_summary(app, articles: Path) -> None:
    result = check(app, "--format", "markdown", "mixed.md", "clean.md")
    assert result.exit_code == 1
    text = result.stdout
    assert text.startswith("## attribaudit report")
    assert "1 error, 1 warning, 1 info in 2 files" in text
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert [row.split("|")[1].strip() for row in rows] == ["`mixed.md`", "`clean.md`"]
    worst = text.split("### Worst findings", 1)[1]
    assert "`mixed.md:3` **error** `unsourced-claim`" in worst
    assert worst.index("unsourced-claim") < worst.index("vague-attribution")


def test_json_and_jsonl_agree(app, articles: Path) -> None:
    report = json.loads(check(app, "--format", "json", "mixed.md", "clean.md").stdout)
    assert report["version"] == 1
    assert report["summary"] == {"files": 2, "failed": 0, "errors": 1, "warnings": 1, "infos": 1}
    lines = check(app, "--format", "jsonl", "mixed.md", "clean.md").stdout.splitlines()
    streamed = [json.loads(line) for line in lines]
    assert [entry["path"] for entry in streamed[:2]] == ["mixed.md", "clean.md"]
    assert streamed[0]["findings"] == report["files"][0]["findings"]
    assert streamed[-1]["summary"]["errors"] == 1


def test_terminal_shows_the_flagged_sentence(app, articles: Path) -> None:
    result = check(app, "mixed.md")
    assert result.exit_code == 1
    flat = " ".join(result.stdout.split())
    assert "unsourced-claim" in flat and "deeper failure of planning" in flat


def _sarif_validator(shared: Path):  # type: ignore[no-untyped-def]
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((shared / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


@pytest.mark.shared
def test_sarif_of_the_seed_articles_validates(app, shared_dir: Path, tmp_path: Path) -> None:
    seeds = sorted(str(p) for p in (shared_dir / "seeds").glob("*.txt"))
    assert len(seeds) >= 2
    out = tmp_path / "seeds.sarif"
    result = check(app, "--format", "sarif", "--output", str(out), *seeds)
    assert result.exit_code == 1  # the seeds carry unsourced claims
    log = json.loads(out.read_text(encoding="utf-8"))
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in _sarif_validator(shared_dir).iter_errors(log)
    ]
    assert errors == []

    findings = findings_of(app, *seeds)
    run = log["runs"][0]
    results = run["results"]
    assert len(results) == len(findings) > 0
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    for rule in ("unsourced-claim", "vague-attribution", "directive-unused"):
        assert rule in rule_ids
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for sarif_result, finding in zip(results, findings, strict=True):
        assert sarif_result["ruleId"] == finding["rule"]
        assert rule_ids[sarif_result["ruleIndex"]] == finding["rule"]
        assert sarif_result["level"] == levels[finding["severity"]]
        region = sarif_result["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (finding["line"], finding["column"])
        assert finding["fingerprint"] in sarif_result["partialFingerprints"].values()
    # The check can fail: a level outside SARIF's enum is rejected.
    results[0]["level"] = "fatal"
    assert list(_sarif_validator(shared_dir).iter_errors(log))


def test_sarif_rules_have_descriptions_and_help(app, articles: Path) -> None:
    log = json.loads(check(app, "--format", "sarif", "mixed.md").stdout)
    for rule in log["runs"][0]["tool"]["driver"]["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}


# --------------------------------------------------------------------------- --output


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("article", "code"), [("mixed.md", 1), ("clean.md", 0)])
def test_output_file_never_changes_the_exit_code(
    app, articles: Path, fmt: str, article: str, code: int
) -> None:
    to_stdout = check(app, "--format", fmt, article)
    to_file = check(app, "--format", fmt, "--output", "report.out", article)
    assert to_stdout.exit_code == to_file.exit_code == code
    written = (articles / "report.out").read_text(encoding="utf-8")
    if fmt == "terminal":
        # Rich lays out for the terminal it writes to; the findings are the same either way.
        assert ("unsourced-claim" in written) == (code == 1)
    else:
        assert to_file.stdout == ""
        assert written == to_stdout.stdout


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        ("missing/report.out", "No such file or directory"),
        (".", "Is a directory"),
        ("x" * 5000, "File name too long"),
    ],
    ids=["missing-folder", "folder", "name-too-long"],
)
def test_an_output_that_cannot_be_written_is_an_error_naming_it(
    app, articles: Path, output: str, reason: str
) -> None:
    # open() raised FileNotFoundError, IsADirectoryError, OSError: tracebacks, exit 1.
    result = check(app, "--format", "json", "--output", output, "mixed.md")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"attribaudit: error: {output[:40]}")
    assert f"cannot write the report: {reason}" in result.stderr


# --------------------------------------------------------------------------- --fail-on


@pytest.mark.parametrize(
    ("article", "fail_on", "code"),
    [
        ("mixed.md", None, 1),
        ("mixed.md", "error", 1),
        ("mixed.md", "never", 0),
        ("warning.md", None, 0),
        ("warning.md", "error", 0),
        ("warning.md", "warning", 1),
        ("warning.md", "info", 1),
        ("clean.md", "info", 0),
    ],
)
def test_fail_on_decides_the_exit_code(
    app, articles: Path, article: str, fail_on: str | None, code: int
) -> None:
    args = ["--format", "line", article] + (["--fail-on", fail_on] if fail_on else [])
    assert check(app, *args).exit_code == code


def test_fail_on_rejects_an_unknown_level(app, articles: Path) -> None:
    result = CliRunner().invoke(app, ["check", "--fail-on", "fatal", "mixed.md"])
    assert result.exit_code == 2
    assert "fatal" in result.output and "Traceback" not in result.output


# --------------------------------------------------------------------------- --min-severity


def _rules_shown(result: Result) -> list[str]:
    return [line.split()[2] for line in result.stdout.splitlines()]


@pytest.mark.parametrize(
    ("level", "shown"),
    [
        ("info", ["unsourced-claim", "vague-attribution", "tag-only-sourcing"]),
        ("warning", ["unsourced-claim", "vague-attribution"]),
        ("error", ["unsourced-claim"]),
    ],
)
def test_min_severity_decides_what_is_shown(
    app, articles: Path, level: str, shown: list[str]
) -> None:
    result = check(app, "--format", "line", "--min-severity", level, "mixed.md")
    assert _rules_shown(result) == shown


def test_min_severity_does_not_decide_what_fails(app, articles: Path) -> None:
    result = check(
        app, "--format", "line", "--min-severity", "error", "--fail-on", "warning", "warning.md"
    )
    assert result.stdout == ""
    assert result.exit_code == 1


# --------------------------------------------------------------------------- --select / --ignore


def test_select_keeps_only_the_named_rules(app, articles: Path) -> None:
    result = check(app, "--format", "line", "--select", "vague-attribution", "mixed.md")
    assert _rules_shown(result) == ["vague-attribution"]
    assert result.exit_code == 0  # the unsourced claim (error) is not selected
    both = check(
        app, "--format", "line", "--select", "vague-attribution,tag-only-sourcing", "mixed.md"
    )
    assert _rules_shown(both) == ["vague-attribution", "tag-only-sourcing"]


def test_ignore_drops_the_named_rules(app, articles: Path) -> None:
    result = check(
        app,
        "--format",
        "line",
        "--ignore",
        "unsourced-claim",
        "--ignore",
        "tag-only-sourcing",
        "mixed.md",
    )
    assert _rules_shown(result) == ["vague-attribution"]
    assert result.exit_code == 0


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_rule_id_is_a_usage_error(app, articles: Path, option: str) -> None:
    result = check(app, option, "unsourced-claims", "mixed.md")
    assert result.exit_code == 2
    assert "unknown rule id" in result.stderr and "unsourced-claims" in result.stderr


# --------------------------------------------------------------------------- junit and --fail-on


def test_junit_follows_fail_on_warning(app, articles: Path) -> None:
    result = check(app, "--format", "junit", "--fail-on", "warning", "warning.md")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout.split("\n", 1)[1])
    assert root.get("failures") == "1"


def test_junit_follows_fail_on_never(app, articles: Path) -> None:
    result = check(app, "--format", "junit", "--fail-on", "never", "mixed.md")
    assert result.exit_code == 0
    root = ET.fromstring(result.stdout.split("\n", 1)[1])
    assert root.get("failures") == "0"


def _junit(result: Result) -> ET.Element:
    return ET.fromstring(result.stdout.split("\n", 1)[1])


def test_junit_fails_a_file_whose_failing_findings_min_severity_hides(app, articles: Path) -> None:
    # The run exits 1 on the warning that --min-severity error hides: a CI dashboard reading
    # the XML must see a failing test, and its message says what was hidden and by what.
    result = check(
        app, "--format", "junit", "--min-severity", "error", "--fail-on", "warning", "warning.md"
    )
    assert result.exit_code == 1
    root = _junit(result)
    assert root.get("failures") == "1"
    failure = root.find(".//testcase[@name='warning.md']/failure")
    assert failure is not None
    assert failure.get("message") == (
        "1 finding at warning or above (1 hidden by --min-severity error)"
    )
    assert "vague-attribution" not in failure.text  # hidden findings stay hidden
    assert "hidden by --min-severity error" in failure.text


def test_junit_names_the_config_line_that_hides_failing_findings(app, articles: Path) -> None:
    (articles / "attribaudit.toml").write_text(
        'fail_on = "warning"\nmin_severity = "error"\n', encoding="utf-8"
    )
    result = check(app, "--format", "junit", "warning.md", "clean.md")
    assert result.exit_code == 1
    root = _junit(result)
    assert root.get("failures") == "1"
    failure = root.find(".//testcase[@name='warning.md']/failure")
    assert failure is not None
    message = failure.get("message")
    assert message.startswith('1 finding at warning or above (1 hidden by min_severity = "error"')
    assert message.endswith("attribaudit.toml:2)")
    assert root.find(".//testcase[@name='clean.md']/failure") is None


def test_junit_follows_a_per_path_fail_on(app, articles: Path) -> None:
    # An [[overrides]] fail_on fails the run on this file's warning; the XML agrees.
    (articles / "attribaudit.toml").write_text(
        '[[overrides]]\npaths = ["warning.md"]\nfail_on = "warning"\n', encoding="utf-8"
    )
    result = check(app, "--format", "junit", "warning.md")
    assert result.exit_code == 1
    assert _junit(result).get("failures") == "1"


def test_junit_passes_when_hidden_findings_do_not_fail(app, articles: Path) -> None:
    result = check(app, "--format", "junit", "--min-severity", "error", "warning.md")
    assert result.exit_code == 0
    assert _junit(result).get("failures") == "0"


# --------------------------------------------------------------------------- file names


@pytest.mark.skipif(os.name == "nt", reason="Windows file names are Unicode, never raw bytes")
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_name_that_is_not_utf8_is_reported_not_a_crash(
    app, articles: Path, fmt: str
) -> None:
    # An old archive copied from a Latin-1 system: the name arrives as a lone surrogate
    # (os.fsdecode), which a strict UTF-8 writer and urllib's quote refuse.
    (articles / "clean.md").unlink()
    (articles / "warning.md").unlink()
    os.rename(articles / "mixed.md", os.fsencode(articles) + b"/caf\xe9.md")
    result = check(app, "--format", fmt, "--output", "report.out", ".")
    assert result.exit_code == 1
    written = (articles / "report.out").read_bytes()
    if fmt == "sarif":
        uris = re.findall(rb'"uri": "([^"]*caf[^"]*)"', written)
        assert uris and all(uri == b"caf%E9.md" for uri in uris)
    elif fmt == "junit":  # XML cannot hold the byte: the replacement character stands in
        assert "caf\ufffd.md".encode() in written
    elif fmt != "terminal":  # the terminal report names files only in its corpus part
        assert b"caf\xe9.md" in written


@pytest.mark.skipif(os.name == "nt", reason="Windows file names are Unicode, never raw bytes")
def test_a_strict_utf8_stdout_still_writes_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    # Under a locale such as en_US.UTF-8, Python's stdout is strict UTF-8.
    folder = os.fsencode(tmp_path)
    with open(folder + b"/caf\xe9.md", "w", encoding="utf-8") as handle:
        handle.write(MIXED)
    import attribaudit

    # This checkout's package, also when the suite runs with a relative PYTHONPATH.
    src = str(Path(attribaudit.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", "PYTHONPATH": src}
    run = subprocess.run(
        [sys.executable, "-m", "attribaudit", "check", "--format", "line", "."],
        cwd=tmp_path,
        env=env,
        capture_output=True,
    )
    assert b"Traceback" not in run.stderr
    assert run.returncode == 1
    assert run.stdout.startswith(b"caf\xe9.md:3:1: error unsourced-claim")


# --------------------------------------------------------------------------- markdown verdict


def test_markdown_verdict_follows_the_exit_code_when_failing_findings_are_hidden(
    app, articles: Path
) -> None:
    # --min-severity error hides the warning that --fail-on warning fails on: the PR comment
    # must not say "Passed" over a red check.
    result = check(
        app, "--format", "markdown", "--min-severity", "error", "--fail-on", "warning", "warning.md"
    )
    assert result.exit_code == 1
    verdict = result.stdout.split("\n")[2]
    assert verdict.startswith("❌ **Failed**"), verdict
    assert "hidden by --min-severity" in verdict


def _markdown_status(result: Result, path: str) -> str:
    row = next(line for line in result.stdout.splitlines() if line.startswith(f"| `{path}` |"))
    return row.split(" | ")[1]


def test_markdown_file_status_fails_where_hidden_findings_fail_it(app, articles: Path) -> None:
    # The row said "✅ pass" under a "Failed" headline: it was judged on the findings shown.
    result = check(
        app, "--format", "markdown", "--min-severity", "error", "--fail-on", "warning",
        "warning.md", "clean.md",
    )  # fmt: skip
    assert result.exit_code == 1
    assert _markdown_status(result, "warning.md") == "❌ fail (1 hidden)"
    assert _markdown_status(result, "clean.md") == "✅ pass"


def test_markdown_file_status_follows_fail_on(app, articles: Path) -> None:
    # A warning fails the run under --fail-on warning, and an error does not under never: the
    # row says what the exit code says, as the file's JUnit test case does.
    failing = check(app, "--format", "markdown", "--fail-on", "warning", "warning.md")
    assert failing.exit_code == 1
    assert _markdown_status(failing, "warning.md") == "❌ fail"
    passing = check(app, "--format", "markdown", "--fail-on", "never", "mixed.md")
    assert passing.exit_code == 0
    assert _markdown_status(passing, "mixed.md") == "⚠️ warn"


def test_markdown_file_status_follows_a_per_path_fail_on(app, articles: Path) -> None:
    (articles / "attribaudit.toml").write_text(
        '[[overrides]]\npaths = ["warning.md"]\nfail_on = "warning"\n', encoding="utf-8"
    )
    result = check(app, "--format", "markdown", "warning.md", "clean.md")
    assert result.exit_code == 1
    assert _markdown_status(result, "warning.md") == "❌ fail"
    assert result.stdout.split("\n")[2].startswith("❌ **Failed**")


def test_markdown_headline_names_what_the_warn_rows_hold_under_fail_on_never(
    app, articles: Path
) -> None:
    # Only errors, none failing: the row read "⚠️ warn" under a "✅ **Passed**" headline.
    result = check(
        app, "--format", "markdown", "--fail-on", "never", "--select", "unsourced-claim",
        "mixed.md", "clean.md",
    )  # fmt: skip
    assert result.exit_code == 0
    assert _markdown_status(result, "mixed.md") == "⚠️ warn"
    assert result.stdout.split("\n")[2].startswith("⚠️ **Passed with errors**: 1 error, 0 warn")
    both = check(app, "--format", "markdown", "--fail-on", "never", "mixed.md")
    assert both.stdout.split("\n")[2].startswith("⚠️ **Passed with errors and warnings**")


def test_markdown_verdict_passes_when_the_run_passes(app, articles: Path) -> None:
    result = check(app, "--format", "markdown", "--min-severity", "error", "warning.md")
    assert result.exit_code == 0
    assert result.stdout.split("\n")[2].startswith("✅ **Passed**")


# --------------------------------------------------------------------------- terminal report

LONG_SOURCE = (
    "Levy vote\n\nThe claim, voiced by the Russian Interior Minister Vladimir Kolokoltsev, "
    "centers on a pattern of restricted access to Interpol processes.\n"
)


def test_terminal_report_marks_a_shortened_source_and_counts_in_words(app, articles: Path) -> None:
    (articles / "long.txt").write_text(LONG_SOURCE, encoding="utf-8")
    check(app, "--output", "report.out", "long.txt", "warning.md")
    written = (articles / "report.out").read_text(encoding="utf-8")
    # A source cut to fit its column says so; a bare "Kolokolts" reads as a wrong name.
    assert "Vladimir Kolokolts " not in written
    assert "the Russian Interior Minister Vladimir Kolokolt…" in written
    assert "1 claim:" in written and "1 claims" not in written
    assert "2 files audited" in written


# Two sentences over the 220 characters of context the report shows: a vague source in the
# middle of one, and an unsourced claim that is a whole sentence.
LONG_SENTENCES = (
    "The harbour authority has spent the last three budget cycles deferring dredging, "
    "resurfacing and crane maintenance across the northern quays, and officials in the port "
    "office argue that the backlog now exceeds forty million crowns, a figure that the finance "
    "committee has never examined in public session or set against the levy it is now asked "
    "to approve.",
    "The council’s decision to defer the dredging contract for a fourth year has left the "
    "northern quays unable to take the larger container vessels that now dominate Baltic "
    "routes, costing the port an estimated twelve sailings a month and pushing freight to "
    "rival harbours along the coast.",
)


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_terminal_context_is_cut_between_words_and_marked(app, articles: Path, suffix: str) -> None:
    # Seed 000 showed "...the spirit and the letter of Interpo" and "opments describe ...": a
    # sentence over 220 characters was cut mid-word at both ends, and only the flagged span
    # itself was marked "…" where it was cut.
    if suffix == ".html":
        marked = [
            s.replace("’", "&rsquo;").replace("the port", "the <b>port</b>") for s in LONG_SENTENCES
        ]
        body = "".join(f"<p>{s}</p>" for s in marked)
        text = f"<html><body><article><h1>Levy vote</h1>{body}</article></body></html>\n"
    else:
        text = "Levy vote\n\n" + "\n\n".join(LONG_SENTENCES) + "\n"
    (articles / f"long{suffix}").write_text(text, encoding="utf-8")
    result = check(app, "--fail-on", "never", f"long{suffix}")
    # A finding's context is the run of lines indented by six under its head line.
    runs = re.findall(r"(?m)((?:^ {6}\S.*\n)+)", result.stdout)
    contexts = [" ".join(run.split()) for run in runs]
    assert len(contexts) == 2, result.stdout
    vague, unsourced = contexts
    for context, sentence in ((vague, LONG_SENTENCES[0]), (unsourced, LONG_SENTENCES[1])):
        shown = context.strip("…")
        assert shown in sentence, context
        at = sentence.index(shown)
        # Both ends fall between words, and each end short of the sentence's is marked.
        assert at == 0 or sentence[at - 1] == " ", context
        after = at + len(shown)
        assert after == len(sentence) or sentence[after] == " ", context
        assert context.startswith("…") == (at > 0), context
        assert context.endswith("…") == (after < len(sentence)), context
    assert "officials in the port office argue" in vague
    assert vague.startswith("…") and vague.endswith("…")
    assert unsourced.startswith("The council’s decision") and unsourced.endswith("…")


WIDE_SOURCES = (
    "Levy vote\n\n"
    "The claim, voiced by the Russian Interior Minister Vladimir Kolokoltsev, centers on a "
    "pattern of restricted access to Interpol processes.\n\n"
    "The head of the budget office in the Calder Bay regional harbour authority said the levy "
    "would raise 4 million crowns.\n\n"
    "Witnesses to these developments describe frictions and point to instances that, in their "
    "view, reveal a broader pattern.\n\n"
    "In related developments, the Russian Ministry of Internal Affairs reiterated that the "
    "procedures have not changed.\n"
)


def test_terminal_tables_keep_their_indent_when_a_cell_wraps(app, articles: Path) -> None:
    # At 120 columns "the Russian Ministry of Internal Affairs" wrapped its last word to column
    # 0, under the file's name, and so did a long registry name in the corpus table.
    (articles / "wide.txt").write_text(WIDE_SOURCES, encoding="utf-8")
    check(app, "--output", "report.out", "--fail-on", "never", "wide.txt", "clean.md")
    written = (articles / "report.out").read_text(encoding="utf-8")
    flush_left = [line for line in written.splitlines() if line and not line.startswith("  ")]
    assert len(flush_left) == 4, flush_left
    assert flush_left[:2] == ["wide.txt", "clean.md"] and flush_left[3] == "Corpus"
    assert flush_left[2].startswith("2 files · ")  # the totals line
    # The cells did wrap: the test is about wrapped lines.
    assert "the Russian Ministry of Internal Affairs" not in written
    flat = " ".join(written.split())
    assert (
        "the Russian Ministry of Internal" in flat and "Ministry of Internal Affairs of the" in flat
    )


def test_terminal_summary_counts_short_vague_sentences_as_claims(app, articles: Path) -> None:
    # "1 claim: 0 unsourced, 2 vague" was the line for this article.
    (articles / "short.txt").write_text(
        "Levy vote\n\nThe levy will pass in the spring, critics say.\n\nOfficials said it.\n",
        encoding="utf-8",
    )
    result = check(app, "--fail-on", "never", "short.txt")
    assert "3 sentences, 2 claims: 0 unsourced, 2 vague, 0% sourced" in result.stdout


def test_terminal_report_file_has_no_corpus_part_for_one_file(app, articles: Path) -> None:
    # As on the terminal itself: the corpus summary closes a report of several files only.
    check(app, "--output", "report.out", "warning.md")
    written = (articles / "report.out").read_text(encoding="utf-8")
    assert "Corpus" not in written
    check(app, "--output", "report.out", "warning.md", "mixed.md")
    assert "Corpus" in (articles / "report.out").read_text(encoding="utf-8")
