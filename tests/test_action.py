"""The composite GitHub Action: inputs wired into its run step, and that step run for real with
bash against the attribaudit in this checkout."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
INPUTS = {"paths", "format", "fail-on", "config", "output"}
UNSOURCED = (
    "The dispute reflects a deeper failure of planning at the council, "
    "which has let maintenance slide for a decade."
)
VAGUE = "The levy would hit small fishing operators hardest, critics say."


@pytest.fixture(scope="module")
def action() -> dict:
    return yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))


def _step(action: dict, step_id: str) -> dict:
    return next(step for step in action["runs"]["steps"] if step.get("id") == step_id)


def test_composite_action_sets_up_python_and_installs_from_its_own_path(action: dict) -> None:
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    install = steps[1]
    assert "pip install" in install["run"]
    assert install["env"]["ATTRIBAUDIT_ACTION_PATH"] == "${{ github.action_path }}"
    assert "$ATTRIBAUDIT_ACTION_PATH" in install["run"].replace("{", "").replace("}", "")
    assert all(step.get("shell") == "bash" for step in steps if "run" in step)


def test_every_input_is_wired_into_the_run_step(action: dict) -> None:
    assert set(action["inputs"]) >= INPUTS
    assert action["inputs"]["format"]["default"] == "github"
    run = _step(action, "run")
    for name in INPUTS:
        variable = "INPUT_" + name.upper().replace("-", "_")
        assert run["env"][variable] == f"${{{{ inputs.{name} }}}}"
        assert f'"${variable}"' in run["run"], variable
    # No expression is pasted into the script itself (script injection).
    assert "${{" not in run["run"]
    assert {"report", "exit-code"} <= set(action["outputs"])


def test_action_documents_the_sarif_upload() -> None:
    text = (REPO / "action.yml").read_text(encoding="utf-8")
    assert "github/codeql-action/upload-sarif" in text
    assert "security-events: write" in text


# --------------------------------------------------------------------------- run the step


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    """A checkout with two articles, and an `attribaudit` on PATH that runs this source tree."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "levy.md").write_text(f"# Levy\n\n{UNSOURCED}\n", encoding="utf-8")
    (tmp_path / "articles" / "vague.md").write_text(f"# Levy\n\n{VAGUE}\n", encoding="utf-8")
    shim = tmp_path / "bin" / "attribaudit"
    shim.parent.mkdir()
    shim.write_text(
        f'#!/bin/sh\nPYTHONPATH="{REPO / "src"}" exec "{sys.executable}" -m attribaudit "$@"\n',
        encoding="utf-8",
    )
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    return tmp_path


def _run_step(action: dict, workspace: Path, **inputs: str) -> tuple[int, str, dict[str, str]]:
    run = _step(action, "run")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INPUT_")}
    defaults = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    for name, expression in run["env"].items():
        input_name = re.fullmatch(r"\$\{\{ inputs\.([a-z-]+) \}\}", expression)
        assert input_name, expression
        env[name] = inputs.get(input_name[1].replace("-", "_"), defaults[input_name[1]])
    github_output = workspace / "github_output"
    github_output.write_text("", encoding="utf-8")
    env["GITHUB_OUTPUT"] = str(github_output)
    env["PATH"] = f"{workspace / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", run["run"]],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    outputs = dict(
        line.split("=", 1) for line in github_output.read_text(encoding="utf-8").splitlines()
    )
    return done.returncode, done.stdout + done.stderr, outputs


@pytest.mark.slow
def test_step_prints_annotations_and_fails_on_errors(action: dict, workspace: Path) -> None:
    code, log, outputs = _run_step(action, workspace, paths="articles/levy.md\narticles/vague.md")
    assert code == 1
    assert "::error file=articles/levy.md,line=3,col=1," in log
    assert "::warning file=articles/vague.md,line=3," in log
    assert outputs == {"report": "", "exit-code": "1"}


@pytest.mark.slow
def test_step_passes_fail_on_and_globs(action: dict, workspace: Path) -> None:
    code, log, _ = _run_step(action, workspace, paths="articles/vague*.md", fail_on="warning")
    assert code == 1
    assert "articles/levy.md" not in log
    code, _, _ = _run_step(action, workspace, paths="articles/vague*.md", fail_on="error")
    assert code == 0


@pytest.mark.slow
def test_step_writes_sarif_for_code_scanning(action: dict, workspace: Path) -> None:
    (workspace / "strict.toml").write_text('fail_on = "never"\n', encoding="utf-8")
    code, _, outputs = _run_step(
        action, workspace, paths="articles", format="sarif", config="strict.toml"
    )
    assert code == 0  # the config's fail_on = "never"
    assert outputs == {"report": "attribaudit.sarif", "exit-code": "0"}
    log = json.loads((workspace / "attribaudit.sarif").read_text(encoding="utf-8"))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {"articles/levy.md", "articles/vague.md"}


@pytest.mark.slow
def test_step_github_output_file_still_reaches_the_log(action: dict, workspace: Path) -> None:
    code, log, outputs = _run_step(
        action, workspace, paths="articles/levy.md", output="annotations.txt"
    )
    assert code == 1
    assert (workspace / "annotations.txt").read_text(encoding="utf-8") in log
    assert outputs["report"] == "annotations.txt"


@pytest.mark.slow
def test_step_rejects_other_formats(action: dict, workspace: Path) -> None:
    code, log, _ = _run_step(action, workspace, paths="articles", format="json")
    assert code == 2
    assert "format must be github or sarif" in log
