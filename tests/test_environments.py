"""Environments: prod and dev synthesize into separate stacks, states and names."""

import json
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, Synthesis, run_python, synthesize_to
from wealist.config_file import load_config

DEV_FILE = PROJECT_ROOT / "environments" / "dev.toml"


@pytest.fixture(scope="module")
def dev_synthesis(tmp_path_factory: pytest.TempPathFactory) -> Synthesis:
    """The dev stack of environments/dev.toml, synthesized once for this module."""
    return synthesize_to(
        load_config(DEV_FILE), tmp_path_factory.mktemp("dev") / "cdktf.out"
    )


def _manifest_stacks(synthesis: Synthesis) -> list[str]:
    manifest = json.loads(
        (synthesis.stack_dir.parent.parent / "manifest.json").read_text()
    )
    return sorted(manifest["stacks"])


def test_separate_stacks(default_synthesis, dev_synthesis):
    assert default_synthesis.stack_dir.name == "prod-compute"
    assert dev_synthesis.stack_dir.name == "dev-compute"
    assert _manifest_stacks(default_synthesis) == ["prod-compute"]
    assert _manifest_stacks(dev_synthesis) == ["dev-compute"]
    assert sorted(p.name for p in dev_synthesis.stack_dir.parent.iterdir()) == [
        "dev-compute"
    ]


def test_separate_state_keys(default_synthesis, dev_synthesis):
    def keys(synthesis: Synthesis) -> tuple[str, str]:
        backend = synthesis.json["terraform"]["backend"]["s3"]
        foundation = synthesis.json["data"]["terraform_remote_state"][
            "foundation_state"
        ]
        return backend["key"], foundation["config"]["key"]

    assert keys(default_synthesis) == (
        "prod/compute/terraform.tfstate",
        "prod/foundation/terraform.tfstate",
    )
    assert keys(dev_synthesis) == (
        "dev/compute/terraform.tfstate",
        "dev/foundation/terraform.tfstate",
    )
    # Same bucket and lock table: only the keys separate the environments.
    prod_backend = default_synthesis.json["terraform"]["backend"]["s3"]
    dev_backend = dev_synthesis.json["terraform"]["backend"]["s3"]
    assert {k: v for k, v in prod_backend.items() if k != "key"} == {
        k: v for k, v in dev_backend.items() if k != "key"
    }


def test_dev_names(dev_synthesis):
    assert (
        dev_synthesis.resource("aws_eks_cluster", "cluster")["name"]
        == "wealist-dev-eks"
    )
    association = dev_synthesis.resource(
        "aws_eks_pod_identity_association", "pod_identity_storage_service_association"
    )
    assert association["namespace"] == "wealist-dev"
    assert association["service_account"] == "storage-service"
    role = dev_synthesis.resource("aws_iam_role", "pod_identity_storage_service_role")
    assert role["name"] == "wealist-dev-storage-service-pod-identity"
    tags = dev_synthesis.json["provider"]["aws"][0]["default_tags"][0]["tags"]
    assert tags["Environment"] == "dev"
    node_group = dev_synthesis.resource("aws_eks_node_group", "node_group")
    assert node_group["node_group_name_prefix"] == "wealist-dev-general-"
    assert node_group["tags"]["k8s.io/cluster-autoscaler/wealist-dev-eks"] == "owned"


def test_no_prod_name_in_dev(dev_synthesis):
    assert "wealist-prod" not in dev_synthesis.text
    assert "prod/" not in dev_synthesis.text


def test_dev_is_smaller(default_synthesis, dev_synthesis):
    def sizes(synthesis: Synthesis) -> tuple[dict, int, list]:
        node_group = synthesis.resource("aws_eks_node_group", "node_group")
        template = synthesis.resource(
            "aws_launch_template", "node_group_launch_template"
        )
        disk = template["block_device_mappings"][0]["ebs"]["volume_size"]
        return node_group["scaling_config"], disk, node_group["instance_types"]

    prod_scaling, prod_disk, prod_types = sizes(default_synthesis)
    dev_scaling, dev_disk, dev_types = sizes(dev_synthesis)
    assert dev_scaling == {"min_size": 1, "desired_size": 1, "max_size": 3}
    for key in ("min_size", "desired_size", "max_size"):
        assert dev_scaling[key] < prod_scaling[key], key
    assert (dev_disk, prod_disk) == (30, 50)
    assert dev_types == ["t3.medium", "t3a.medium"]
    assert len(dev_types) < len(prod_types)


def test_dev_pins_its_own_kubernetes_version(dev_synthesis):
    assert dev_synthesis.resource("aws_eks_cluster", "cluster")["version"] == "1.35"
    kube_proxy = dev_synthesis.resource("aws_eks_addon", "addon_kube_proxy")
    assert kube_proxy["addon_version"].startswith("v1.35.")


def test_main_without_config_synthesizes_exactly_prod(default_synthesis, tmp_path):
    result = run_python(str(PROJECT_ROOT / "main.py"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    stacks = tmp_path / "cdktf.out" / "stacks"
    assert sorted(p.name for p in stacks.iterdir()) == ["prod-compute"]
    written = json.loads((stacks / "prod-compute" / "cdk.tf.json").read_text())
    assert written == default_synthesis.json
