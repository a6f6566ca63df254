"""A built wheel, installed in a fresh virtual environment and run outside the checkout, finds its rules."""

from __future__ import annotations

import os
import subprocess
import sys
import venv

import pytest
from conftest import GOLDEN, ROOT, SEED


@pytest.mark.slow
def test_wheel_installs_and_finds_builtin_rules(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    wheel = next(dist.glob("cleaner-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True,
                   timeout=600)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # Only the fresh environment may answer: nothing from the checkout on the path.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([str(env_dir / "bin" / "cleaner")], input=SEED.read_bytes(), capture_output=True,
                          cwd=elsewhere, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode() == (GOLDEN / "independent-biden-putin-call.clean.txt").read_text(encoding="utf-8")
    where = subprocess.run([str(python), "-c", "import cleaner.loader as l; print(l.builtin_rules_dir())"],
                           capture_output=True, text=True, cwd=elsewhere, env=env, check=True)
    assert str(env_dir) in where.stdout
