"""A new synthesis replaces its own stack only, and keeps Terraform's working files."""

import json
import shutil

import pytest

from tests.conftest import synthesize_to
from wealist.config import Config


@pytest.fixture(scope="module")
def shared_outdir(default_synthesis, tmp_path_factory):
    """An output folder holding prod, then terraform init in it, dev, prod again."""
    outdir = tmp_path_factory.mktemp("shared") / "cdktf.out"
    shutil.copytree(default_synthesis.stack_dir.parent.parent, outdir)
    prod_dir = outdir / "stacks" / "prod-compute"
    (prod_dir / ".terraform" / "providers").mkdir(parents=True)
    (prod_dir / ".terraform.lock.hcl").write_text("# lock\n")
    synthesize_to(Config(environment="dev"), outdir)
    synthesize_to(Config(), outdir)
    return outdir


def test_both_environments_stay_side_by_side(shared_outdir):
    stacks = sorted(path.name for path in (shared_outdir / "stacks").iterdir())
    assert stacks == ["dev-compute", "prod-compute"]
    manifest = json.loads((shared_outdir / "manifest.json").read_text())
    assert sorted(manifest["stacks"]) == ["dev-compute", "prod-compute"]


def test_terraform_working_files_survive_a_new_synthesis(shared_outdir):
    stack_dir = shared_outdir / "stacks" / "prod-compute"
    assert (stack_dir / ".terraform" / "providers").is_dir()
    assert (stack_dir / ".terraform.lock.hcl").read_text() == "# lock\n"


def test_the_republished_stack_is_the_same(shared_outdir, default_synthesis):
    stack_dir = shared_outdir / "stacks" / "prod-compute"
    assert (stack_dir / "cdk.tf.json").read_text() == default_synthesis.text


def test_nothing_is_left_behind(shared_outdir):
    hidden = [
        path.name for path in shared_outdir.parent.iterdir() if path.name != "cdktf.out"
    ]
    hidden += [
        p.name for p in (shared_outdir / "stacks").iterdir() if p.name.startswith(".")
    ]
    assert hidden == []
    assert oct(shared_outdir.stat().st_mode & 0o777) == "0o755"
