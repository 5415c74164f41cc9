"""The pinned cdktf CLI synthesizes the same stack as `python main.py`."""

from tests.conftest import run_cdktf


def test_cdktf_synth_writes_the_same_stack(default_synthesis, tmp_path):
    outdir = tmp_path / "cdktf.out"
    result = run_cdktf("synth", "--output", str(outdir), timeout=300)
    assert result.returncode == 0, result.stderr + result.stdout
    synthesized = outdir / "stacks" / "prod-compute" / "cdk.tf.json"
    assert synthesized.read_text() == default_synthesis.text
