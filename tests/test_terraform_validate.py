"""Terraform itself accepts the synthesized stack."""

import json

import pytest

from tests.conftest import run_terraform

pytestmark = pytest.mark.terraform


def test_terraform_validate(default_synthesis, terraform):
    init = run_terraform(
        terraform, default_synthesis.stack_dir, "init", "-backend=false", "-no-color"
    )
    if (
        init.returncode != 0
        and "Failed to query available provider packages" in init.stderr
    ):
        pytest.skip("the hashicorp/aws provider cannot be installed on this machine")
    assert init.returncode == 0, init.stderr

    validate = run_terraform(
        terraform, default_synthesis.stack_dir, "validate", "-json", "-no-color"
    )
    result = json.loads(validate.stdout)
    assert result["valid"] is True, result["diagnostics"]
    assert result["error_count"] == 0
