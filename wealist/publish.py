"""Moving a finished synthesis into the output folder.

Only the synthesized stack's folder is replaced, with renames, so a failed
synthesis leaves the previous output whole; other stacks in the folder stay,
and so do Terraform's working files in the stack folder (`.terraform/` with
the installed providers, `.terraform.lock.hcl`), so `terraform plan` there
keeps working after a new synthesis as it did with the HCL layer.
"""

import json
import os
import shutil
import tempfile
from pathlib import Path

TERRAFORM_WORKING_FILES = (".terraform", ".terraform.lock.hcl")
MANIFEST = "manifest.json"


def publish(staging: Path, outdir: Path, stack_name: str) -> None:
    """Put staging's stack into outdir, keeping what outdir holds besides it."""
    staging.chmod(0o755)  # mkdtemp's 0700 would follow the folder into place
    if not outdir.exists():
        staging.rename(outdir)
        return

    new_stack = staging / "stacks" / stack_name
    target = outdir / "stacks" / stack_name
    target.parent.mkdir(exist_ok=True)
    retired = None
    if target.exists():
        retired = Path(
            tempfile.mkdtemp(prefix=f".{stack_name}.old.", dir=target.parent)
        )
        target.rename(retired / stack_name)
        for name in TERRAFORM_WORKING_FILES:
            working_file = retired / stack_name / name
            if working_file.exists():
                working_file.rename(new_stack / name)
    new_stack.rename(target)
    _merge_manifest(outdir / MANIFEST, staging / MANIFEST, stack_name)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def _merge_manifest(current_path: Path, staged_path: Path, stack_name: str) -> None:
    """The staged manifest's entry for this stack, written into the current one."""
    staged = json.loads(staged_path.read_text())
    try:
        merged = json.loads(current_path.read_text())
        merged["stacks"][stack_name] = staged["stacks"][stack_name]
        merged["version"] = staged["version"]
    except (FileNotFoundError, json.JSONDecodeError, KeyError, TypeError):
        merged = staged
    partial = current_path.with_name(f".{MANIFEST}.partial")
    partial.write_text(json.dumps(merged, indent=2) + "\n")
    os.replace(partial, current_path)
