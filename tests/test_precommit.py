"""The hooks of .pre-commit-hooks.yaml as the pre-commit framework runs them, end to end.

`pre-commit try-repo` installs a hook repository from a git commit (uncommitted changes are taken only from
files git already tracks), so the test commits a snapshot of this working tree to a temporary repository and
points try-repo at that: the hooks under test are exactly the files on disk, and this repository's own git
index is never touched.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import clean

ROOT = Path(__file__).resolve().parent.parent
NOT_SOURCE = shutil.ignore_patterns(".git", "__pycache__", ".pytest_cache", ".benchmarks", ".hypothesis", "build",
                                    "dist", "*.egg-info", ".ci-venv", ".venv")
# Typography (curly to straight quotes) rather than a chrome rule: a change the default settings make whatever
# the rule packs say this week.
DIRTY = "\u201cWe will see,\u201d she said.\n\nThe body of the article goes on here.\n"
# A pack only the snapshot has: its line goes only if the hook runs the snapshot's installed code and packs,
# not this checkout (the offline set-up below puts this environment's site-packages on PYTHONPATH).
PROBE_LINE = "snapshot probe 7f3c"
PROBE_PACK = f"""description: Present only in the pre-commit test's snapshot.
rules:
  - id: line
    kind: drop-line
    description: The probe line.
    match: '{PROBE_LINE}'
    examples: {{remove: ['{PROBE_LINE}'], keep: ['{PROBE_LINE}, said no one.']}}
"""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed: pre-commit needs it"),
]


@pytest.fixture
def environment(tmp_path):
    # Nothing from an outer git: run inside a git hook, GIT_INDEX_FILE would point at this repository's index.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", PRE_COMMIT_HOME=str(tmp_path / "home"),
               GIT_AUTHOR_NAME="test", GIT_AUTHOR_EMAIL="test@example.invalid",
               GIT_COMMITTER_NAME="test", GIT_COMMITTER_EMAIL="test@example.invalid")
    if importlib.util.find_spec("hatchling") is not None:
        # Offline: the hook's virtualenv sees the packages installed here (cleaner's dependencies and the build
        # backend) and pip neither asks an index nor builds in isolation. pip reads PIP_NO_BUILD_ISOLATION as
        # the value of its build_isolation setting, so "0" turns isolation off.
        # A checkout on the outer PYTHONPATH would shadow the snapshot the hook installs: leave it out.
        outer = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if not (Path(p) / "cleaner").is_dir()]
        paths = [*site.getsitepackages(), *outer]
        env.update(PYTHONPATH=os.pathsep.join(p for p in paths if p), PIP_NO_INDEX="1", PIP_NO_BUILD_ISOLATION="0")
    return env


def git(cwd: Path, env: dict, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=60)


def try_repo(repo: Path, hook: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(repo), hook, "--all-files"],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    print(f"$ pre-commit try-repo {repo.name} {hook} --all-files  (exit {done.returncode})\n{done.stdout}{done.stderr}")
    return done


def test_pre_commit_try_repo_fixes_then_passes(tmp_path, environment):
    snapshot = tmp_path / "cleaner-snapshot"
    shutil.copytree(ROOT, snapshot, ignore=NOT_SOURCE)
    (snapshot / "rules" / "zz-probe.yaml").write_text(PROBE_PACK, encoding="utf-8")
    git(snapshot, environment, "init", "-q")
    git(snapshot, environment, "add", "-A")
    git(snapshot, environment, "commit", "-q", "-m", "snapshot of the working tree")

    work = tmp_path / "articles"
    work.mkdir()
    (work / "dirty.txt").write_text(f"{DIRTY}{PROBE_LINE}\n", encoding="utf-8")
    (work / "clean.txt").write_text(clean(DIRTY), encoding="utf-8")
    (work / "notes.md").write_text(DIRTY, encoding="utf-8")  # the same text, but not a .txt: never touched
    git(work, environment, "init", "-q")
    git(work, environment, "add", "-A")
    git(work, environment, "commit", "-q", "-m", "articles")

    check = try_repo(snapshot, "cleaner-check", work, environment)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "Would fix dirty.txt" in check.stdout and "clean.txt" not in check.stdout.split("Using config")[-1]
    assert (work / "dirty.txt").read_text(encoding="utf-8") == f"{DIRTY}{PROBE_LINE}\n"

    first = try_repo(snapshot, "cleaner-fix", work, environment)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "Fixing dirty.txt" in first.stdout and "files were modified by this hook" in first.stdout
    assert (work / "dirty.txt").read_text(encoding="utf-8") == clean(DIRTY) != DIRTY
    assert (work / "notes.md").read_text(encoding="utf-8") == DIRTY

    second = try_repo(snapshot, "cleaner-fix", work, environment)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout
