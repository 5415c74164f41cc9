"""Publishing a synthesis replaces its stack folder only, and never half of it."""

import json
import multiprocessing
import shutil
from pathlib import Path

import pytest

from wealist import publish as publishing
from wealist.publish import publish, staging_folder

KEPT = (
    ".terraform/providers/aws",
    ".terraform.lock.hcl",
    "errored.tfstate",
    "zz_override.tf.json",
)


def _stage(outdir: Path, stack: str, text: str) -> Path:
    """A staging folder as cdktf leaves it: a manifest and one stack folder."""
    staging = staging_folder(outdir)
    (staging / "stacks" / stack).mkdir(parents=True)
    (staging / "stacks" / stack / "cdk.tf.json").write_text(text)
    (staging / "stacks" / stack / "SUMMARY.md").write_text(f"summary of {text}")
    manifest = {"version": "0.21.0", "stacks": {stack: {"name": stack}}}
    (staging / "manifest.json").write_text(json.dumps(manifest))
    return staging


def _publish(outdir: Path, stack: str, text: str) -> None:
    staging = _stage(outdir, stack, text)
    try:
        publish(staging, outdir, stack)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@pytest.fixture
def outdir(tmp_path) -> Path:
    """An output folder holding prod, after terraform init and an operator override."""
    outdir = tmp_path / "cdktf.out"
    _publish(outdir, "prod-compute", "prod v1")
    stack = outdir / "stacks" / "prod-compute"
    for name in KEPT:
        (stack / name).parent.mkdir(parents=True, exist_ok=True)
        (stack / name).write_text(name)
    (stack / "cdk.tf").write_text("a stale HCL synthesis")
    return outdir


def test_a_new_synthesis_replaces_what_synthesis_writes(outdir):
    _publish(outdir, "prod-compute", "prod v2")
    stack = outdir / "stacks" / "prod-compute"
    assert (stack / "cdk.tf.json").read_text() == "prod v2"
    assert (stack / "SUMMARY.md").read_text() == "summary of prod v2"
    assert not (
        stack / "cdk.tf"
    ).exists(), "a stale synthesis output would double every resource"


def test_terraform_and_operator_files_are_kept(outdir):
    _publish(outdir, "prod-compute", "prod v2")
    stack = outdir / "stacks" / "prod-compute"
    for name in KEPT:
        assert (stack / name).read_text() == name


def test_other_stacks_stay_and_the_manifest_names_this_run(outdir):
    _publish(outdir, "dev-compute", "dev v1")
    assert (outdir / "stacks" / "prod-compute" / "cdk.tf.json").read_text() == "prod v1"
    assert (outdir / "stacks" / "dev-compute" / "cdk.tf.json").read_text() == "dev v1"
    manifest = json.loads((outdir / "manifest.json").read_text())
    assert list(manifest["stacks"]) == ["dev-compute"]


def test_a_failed_publish_puts_the_old_stack_back(outdir, monkeypatch):
    before = {
        str(path.relative_to(outdir)): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file() and not path.name.startswith(".publish")
    }
    real_rename = Path.rename

    def failing_rename(self, target):
        if Path(target) == outdir / "stacks" / "prod-compute" and ".staging." in str(
            self
        ):
            raise OSError("disk gone")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    with pytest.raises(OSError, match="disk gone"):
        _publish(outdir, "prod-compute", "prod v2")
    monkeypatch.undo()

    after = {
        str(path.relative_to(outdir)): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file() and not path.name.startswith(".publish")
    }
    assert after == before
    leftovers = [
        p.name for p in (outdir / "stacks").iterdir() if p.name.startswith(".")
    ]
    assert leftovers == []


def _publish_many(outdir: str, stack: str) -> None:
    for round_ in range(40):
        _publish(Path(outdir), stack, f"{stack} {round_}")


def test_concurrent_runs_take_turns(tmp_path):
    outdir = tmp_path / "cdktf.out"
    stacks = ["prod-compute", "dev-compute", "prod-compute", "dev-compute"]
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_publish_many, args=(str(outdir), stack))
        for stack in stacks
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    assert sorted(p.name for p in (outdir / "stacks").iterdir()) == [
        "dev-compute",
        "prod-compute",
    ]
    assert json.loads((outdir / "manifest.json").read_text())["version"] == "0.21.0"


def test_synthesized_files_are_the_ones_cdktf_and_the_app_write(default_synthesis):
    written = {path.name for path in default_synthesis.stack_dir.iterdir()}
    assert written <= publishing.SYNTHESIZED
