"""The exit route: `cdktf synth --hcl` gives plain Terraform that stands on its own.

The cdktf CLI runs the app (`pipenv run python main.py`, cdktf.json) with
HCL output on and writes cdk.tf; the stack's .tf files must pass `terraform
validate` and declare exactly the resources, data sources and state moves
(moved and removed blocks) of the JSON synthesis.
"""

import json
import re
from pathlib import Path

import pytest

from tests.conftest import run_cdktf, run_terraform

pytestmark = pytest.mark.terraform

_BLOCK = re.compile(r'^(resource|data) "([^"]+)" "([^"]+)" \{', re.MULTILINE)


@pytest.fixture(scope="module")
def hcl_stack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The prod stack as HCL, written by the project's pinned cdktf CLI."""
    output = tmp_path_factory.mktemp("hcl") / "cdktf.out"
    result = run_cdktf("synth", "--hcl", "--output", str(output))
    assert result.returncode == 0, result.stdout + result.stderr
    return output / "stacks" / "prod-compute"


def test_hcl_output_replaces_json(hcl_stack):
    assert (hcl_stack / "cdk.tf").is_file()
    # Terraform would read both files of a folder holding cdk.tf and cdk.tf.json.
    assert not (hcl_stack / "cdk.tf.json").exists()


def _hcl(stack: Path) -> str:
    """Every .tf file of the stack folder, as Terraform reads them together."""
    return "\n".join(path.read_text() for path in sorted(stack.glob("*.tf")))


def test_hcl_declares_the_same_resources(hcl_stack, default_synthesis):
    text = _hcl(hcl_stack)
    declared = sorted(
        f"data.{kind}.{name}" if block == "data" else f"{kind}.{name}"
        for block, kind, name in _BLOCK.findall(text)
    )
    assert declared == default_synthesis.addresses()


def test_hcl_requires_terraform_1_7(hcl_stack):
    assert re.search(
        r'^terraform \{\s*required_version\s*=\s*">= 1\.7"', _hcl(hcl_stack), re.M
    )


def test_hcl_keeps_the_moved_and_removed_blocks(hcl_stack, default_synthesis):
    """The state adoption blocks must survive: without them an apply replaces resources."""
    text = _hcl(hcl_stack)
    moved = sorted(
        (old, new)
        for old, new in re.findall(
            r'^moved \{\s*from\s*=\s*"?(.+?)"?\s*to\s*=\s*"?(.+?)"?\s*\}', text, re.M
        )
    )
    removed = sorted(re.findall(r'^removed \{\s*from\s*=\s*"?(.+?)"?\s*$', text, re.M))
    expected_moved = sorted(
        (b["from"], b["to"]) for b in default_synthesis.json.get("moved", [])
    )
    expected_removed = sorted(
        b["from"] for b in default_synthesis.json.get("removed", [])
    )
    assert (len(moved), len(removed)) == (len(expected_moved), len(expected_removed))
    assert moved == expected_moved
    assert removed == expected_removed


def test_hcl_passes_terraform_validate(hcl_stack, terraform):
    init = run_terraform(terraform, hcl_stack, "init", "-backend=false", "-no-color")
    if (
        init.returncode != 0
        and "Failed to query available provider packages" in init.stderr
    ):
        pytest.skip("the hashicorp/aws provider cannot be installed on this machine")
    assert init.returncode == 0, "\n".join(_errors(init.stderr)) or init.stderr

    validate = run_terraform(terraform, hcl_stack, "validate", "-json", "-no-color")
    result = json.loads(validate.stdout)
    errors = sorted(
        {
            f"cdk.tf line {d.get('range', {}).get('start', {}).get('line')}: {d['summary']}"
            + (
                f" in {d['snippet']['context']}"
                if d.get("snippet", {}).get("context")
                else ""
            )
            for d in result["diagnostics"]
            if d["severity"] == "error"
        }
    )
    assert result["valid"] is True, "\n".join(errors)


def _errors(stderr: str) -> list[str]:
    """Each distinct "Error: ..." of Terraform's text output with its location."""
    found = re.findall(r"Error: (.+)\n\n\s+on (cdk\.tf line \d+), in (.+?):\n", stderr)
    return sorted({f"{where}: {summary} in {block}" for summary, where, block in found})
