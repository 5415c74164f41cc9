"""Policy scan of the synthesized JSON with checkov: nothing fails unexplained.

checkov reads no skip comments from Terraform JSON, so the accepted findings
are listed here, per check and resource name, each with its reason.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

SCANNED_BLOCKS = ("provider", "resource", "data", "output")

ACCEPTED = {
    ("CKV_AWS_39", "cluster"): (
        "the spec keeps the public API endpoint on, for operators outside the VPC; "
        "cluster.public_access_cidrs limits who reaches it"
    ),
    ("CKV_AWS_38", "cluster"): (
        "the default opens the public endpoint to 0.0.0.0/0 as the HCL layer did; "
        "set cluster.public_access_cidrs (checked below: the finding goes away)"
    ),
    ("CKV_AWS_382", "security_group_node_egress_all"): (
        "nodes pull images and call AWS APIs through NAT, and workloads reach "
        "services on any port; egress is not where this layer draws its boundary"
    ),
}


def _failed_checks(stack_dir: Path, scratch: Path) -> set[tuple[str, str]]:
    # checkov's Terraform JSON parser fails on blocks that are not objects of
    # objects (moved, removed, terraform.required_version), so it scans the
    # blocks its checks are about.
    stack = json.loads((stack_dir / "cdk.tf.json").read_text())
    stack = {block: stack[block] for block in SCANNED_BLOCKS if block in stack}
    scanned = scratch / "cdk.tf.json"
    scanned.write_text(json.dumps(stack))

    checkov = shutil.which("checkov") or str(Path(sys.executable).parent / "checkov")
    result = subprocess.run(
        [
            checkov,
            "--file",
            str(scanned),
            "--framework",
            "terraform_json",
            "--skip-download",
            "--quiet",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["passed"] > 100, "checkov ran almost no checks"
    return {
        (failure["check_id"], _address(failure))
        for failure in report["results"]["failed_checks"]
    }


def _address(failure: dict) -> str:
    # checkov names a JSON resource "resource.<Terraform name>".
    return failure["resource"].removeprefix("resource.")


def test_only_accepted_findings(default_synthesis, tmp_path):
    unexplained = _failed_checks(default_synthesis.stack_dir, tmp_path) - set(ACCEPTED)
    assert not unexplained, f"checkov findings without a reason: {sorted(unexplained)}"


def test_public_cidrs_clear_the_open_endpoint_finding(customized_synthesis, tmp_path):
    failed = {
        check for check, _ in _failed_checks(customized_synthesis.stack_dir, tmp_path)
    }
    assert "CKV_AWS_38" not in failed
    assert "CKV_AWS_39" in failed
