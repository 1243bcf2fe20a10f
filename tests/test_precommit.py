"""`.pre-commit-hooks.yaml` proved with the real `pre-commit try-repo`.

pre-commit clones the hook repository at a commit and pip-installs it into a fresh virtualenv,
so the test copies this project into a temporary git repository and commits it there (the hook
file may not be committed in the working tree yet, and try-repo only carries over changes to
files git already tracks). When pre-commit is missing, or cannot install the package (no index
reachable offline), the test is skipped with pre-commit's own words.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
PROJECT_FILES = (
    "pyproject.toml",
    "README.md",
    ".pre-commit-hooks.yaml",
    "src",
    "rules",
    "registry",
)
UNSOURCED = (
    "The dispute reflects a deeper failure of planning at the council, "
    "which has let maintenance slide for a decade."
)
CLEAN = (
    "# Harbour levy vote delayed\n\n"
    "According to Marta Lindqvist, who chairs the finance committee, the levy would raise "
    "about 4.2 million crowns a year.\n"
)
# Said by pip or virtualenv when the environment cannot be built; anything else is a real failure.
INSTALL_FAILURES = (
    "Could not find a version",
    "No matching distribution",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "ProxyError",
    "ReadTimeoutError",
    "Max retries exceeded",
)


def test_hook_manifest() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    main = hooks["attribaudit"]
    assert (main["entry"], main["language"]) == ("attribaudit check", "python")
    # `text` would match every source file in a repository; articles are these three.
    assert set(main["types_or"]) == {"markdown", "plain-text", "html"}
    # identify also tags LICENSE, README, AUTHORS... `plain-text` and `.xhtml` `html`; the README
    # promises .md, .markdown, .txt, .html and .htm only.
    articles = re.compile(main["files"])
    for name in ("a.md", "b.markdown", "c.txt", "d.html", "e.htm", "news/F.MD", "g.HTML"):
        assert articles.search(name), name
    for name in ("LICENSE", "README", "AUTHORS", "docs/page.xhtml", "notes.txt.py", "a.mdx"):
        assert not articles.search(name), name
    docx = hooks["attribaudit-docx"]
    assert docx["files"] == r"\.docx$"
    assert any(dep.startswith("python-docx") for dep in docx["additional_dependencies"])


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("pre-commit") is None:
        pytest.skip("pre-commit is not installed (pip install pre-commit)")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path_factory.mktemp("hook-repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".pytest_cache")
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=ignore)
        else:
            shutil.copy2(source, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "hook repository under test")
    return repo


@pytest.fixture(scope="module")
def pre_commit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = dict(os.environ)
    # Its own cache: the virtualenv is built once for this module and nothing leaks into ~/.cache.
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    env.setdefault("PIP_RETRIES", "1")  # offline, fail fast and skip rather than hang
    for key, value in {
        "GIT_AUTHOR_NAME": "attribaudit tests",
        "GIT_AUTHOR_EMAIL": "tests@example.invalid",
        "GIT_COMMITTER_NAME": "attribaudit tests",
        "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    }.items():
        env.setdefault(key, value)
    return env


@pytest.fixture()
def newsroom(tmp_path: Path, pre_commit_env: dict[str, str]) -> Path:
    """A git repository of articles, plus a script whose text would be flagged if audited."""
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "dirty.md").write_text(f"# Harbour levy\n\n{UNSOURCED}\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "tool.py").write_text(f'"""{UNSOURCED}"""\n', encoding="utf-8")
    # identify calls these plain-text and html, but they are not articles attribaudit reads.
    (tmp_path / "LICENSE").write_text(f"{UNSOURCED}\n", encoding="utf-8")
    (tmp_path / "page.xhtml").write_text(f"<p>{UNSOURCED}</p>\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True, env=pre_commit_env)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True, env=pre_commit_env)
    return tmp_path


def _try_repo(hook_repo: Path, cwd: Path, env: dict[str, str], *files: str) -> tuple[int, str]:
    try:
        done = subprocess.run(
            [
                "pre-commit",
                "try-repo",
                str(hook_repo),
                "attribaudit",
                "--color",
                "never",
                "--files",
                *files,
            ],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.skip("pre-commit did not finish installing the hook within 600 s")
    output = done.stdout + done.stderr
    log = Path(env["PRE_COMMIT_HOME"]) / "pre-commit.log"
    details = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    if done.returncode not in (0, 1) and any(s in output + details for s in INSTALL_FAILURES):
        tail = "\n".join((output + details).strip().splitlines()[-5:])
        pytest.skip(f"pre-commit could not install attribaudit (offline?):\n{tail}")
    return done.returncode, output


def test_hook_fails_on_an_unsourced_claim(
    hook_repo: Path, newsroom: Path, pre_commit_env: dict[str, str]
) -> None:
    code, output = _try_repo(hook_repo, newsroom, pre_commit_env, "dirty.md", "clean.md")
    assert code == 1, output
    assert "attribaudit....." in output and "Failed" in output
    assert "dirty.md" in output and "unsourced-claim" in output


def test_hook_passes_clean_articles_and_skips_other_files(
    hook_repo: Path, newsroom: Path, pre_commit_env: dict[str, str]
) -> None:
    code, output = _try_repo(
        hook_repo,
        newsroom,
        pre_commit_env,
        "clean.md",
        "notes.txt",
        "tool.py",
        "LICENSE",
        "page.xhtml",
    )
    assert code == 0, output
    assert "Passed" in output
