"""The code keeps black's formatting (settings in pyproject.toml)."""

import shutil
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def test_black_leaves_every_file_unchanged():
    black = shutil.which("black") or str(Path(sys.executable).parent / "black")
    result = subprocess.run(
        [black, "--check", "--diff", "--quiet", "wealist", "tests", "bench", "main.py"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"run `pipenv run black .`:\n{result.stdout}"
