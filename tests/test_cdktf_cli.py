"""The pinned cdktf CLI synthesizes the same stack as `python main.py`."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CLI = PROJECT_ROOT / "node_modules" / ".bin" / "cdktf"


@pytest.mark.skipif(not CLI.exists(), reason="npm ci has not installed the cdktf CLI")
@pytest.mark.skipif(
    shutil.which("pipenv") is None, reason="pipenv runs the app for the CLI"
)
def test_cdktf_synth_writes_the_same_stack(default_synthesis, tmp_path):
    outdir = tmp_path / "cdktf.out"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("WEALIST_CONFIG", "CDKTF_OUTDIR")
    }
    env["PATH"] = f"{CLI.parent}{os.pathsep}{env['PATH']}"
    env["CHECKPOINT_DISABLE"] = "1"
    result = subprocess.run(
        [str(CLI), "synth", "--output", str(outdir)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    synthesized = outdir / "stacks" / "prod-compute" / "cdk.tf.json"
    assert synthesized.read_text() == default_synthesis.text
