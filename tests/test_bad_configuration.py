"""Every wrong configuration stops the main job with one message and no output.

Each case runs `python main.py` in a folder that already holds a good
cdktf.out, which must come through byte for byte.
"""

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, run_python

MAIN = PROJECT_ROOT / "main.py"

# (case id, TOML text, setting the message must name, text it must contain)
# fmt: off
CASES = [
    ("min-above-desired", "[node_group]\nmin_size = 4", "node_group.desired_size", "min_size <= desired_size"),
    ("desired-above-max", "[node_group]\ndesired_size = 7", "node_group.desired_size", "max_size=6"),
    ("no-nodes", "[node_group]\nmin_size = 0\ndesired_size = 0", "node_group.min_size", "at least 1"),
    ("empty-instance-types", "[node_group]\ninstance_types = []", "node_group.instance_types", "at least one"),
    ("duplicate-instance-type", '[node_group]\ninstance_types = ["t3.large", "t3.large"]', "node_group.instance_types", "each instance type once"),
    ("malformed-instance-type", '[node_group]\ninstance_types = ["large"]', "node_group.instance_types", "t3.medium"),
    ("unknown-capacity-type", '[node_group]\ncapacity_type = "spot"', "node_group.capacity_type", "SPOT or ON_DEMAND"),
    ("private-public-cidr", '[cluster]\npublic_access_cidrs = ["10.0.0.0/8"]', "cluster.public_access_cidrs", "public range"),
    ("invalid-cidr", '[cluster]\npublic_access_cidrs = ["300.1.1.0/24"]', "cluster.public_access_cidrs", "CIDR"),
    ("cidr-host-bits", '[cluster]\npublic_access_cidrs = ["203.0.113.7/24"]', "cluster.public_access_cidrs", "CIDR"),
    ("empty-cidrs", "[cluster]\npublic_access_cidrs = []", "cluster.public_access_cidrs", "at least one"),
    ("numeric-version", "[cluster]\nkubernetes_version = 1.30", "cluster.kubernetes_version", "= 1.3 "),
    ("unsupported-version", '[cluster]\nkubernetes_version = "1.29"', "cluster.kubernetes_version", "1.34"),
    ("prefixed-version", '[cluster]\nkubernetes_version = "v1.34"', "cluster.kubernetes_version", "one of"),
    ("mismatched-kube-proxy", '[addon_versions]\nkube-proxy = "v1.33.10-eksbuild.13"', "addon_versions.kube-proxy", "v1.34.x"),
    ("malformed-addon-version", '[addon_versions]\ncoredns = "latest"', "addon_versions.coredns", "eksbuild"),
    ("unknown-addon", '[addon_versions]\nmetrics-server = "v0.7.2-eksbuild.1"', "addon_versions.metrics-server", "vpc-cni"),
    ("small-disk", "[node_group]\ndisk_size_gib = 10", "node_group.disk_size_gib", "between 20 and 1000"),
    ("disk-as-string", '[node_group]\ndisk_size_gib = "50"', "node_group.disk_size_gib", "whole number"),
    ("al2-on-1-34", '[node_group]\nami_type = "AL2_x86_64"', "node_group.ami_type", "end at 1.32"),
    ("pod-security-groups-on-t3", "[vpc_cni]\npod_security_groups = true", "vpc_cni.pod_security_groups", "node_group.instance_types"),
    ("duplicate-service-account", '[workloads.external-dns]\nnamespace = "kube-system"\nservice_account = "cluster-autoscaler"', "workloads.", "kube-system/cluster-autoscaler"),
    ("malformed-namespace", '[workloads.storage-service]\nnamespace = "Wealist_Prod"', "workloads.storage-service.namespace", "DNS-1123"),
    ("unknown-workload", '[workloads.grafana]\nnamespace = "monitoring"', "workloads", "alb-controller"),
    ("unknown-top-level-key", 'clusterr = "x"', "clusterr", "known setting"),
    ("unknown-section-key", "[cluster]\nversion = \"1.34\"", "cluster.version", "kubernetes_version"),
    ("bad-environment-name", 'environment = "Prod!"', "environment", "lowercase"),
    ("admin-not-an-arn", '[cluster]\nadmin_principal_arn = "platform-admin"', "cluster.admin_principal_arn", "role/<name>"),
    ("max-below-min", "[node_group]\nmax_size = 1", "node_group.max_size", "at least min_size (2)"),
    ("capacity-label-by-hand", '[node_group]\nlabels = { "node.kubernetes.io/capacity-type" = "spot" }', "node_group.labels.node.kubernetes.io/capacity-type", "capacity_type sets it"),
    ("names-too-long", 'environment = "production-blue"', "environment", "node role's name prefix"),
    ("graviton-type", '[node_group]\ninstance_types = ["t4g.medium"]', "node_group.instance_types", "x86 instance types"),
    ("arm-ami-on-x86-types", '[node_group]\nami_type = "AL2023_ARM_64_STANDARD"', "node_group.ami_type", "AL2023_x86_64_STANDARD"),
    ("hosted-zone-as-domain", '[dns]\nhosted_zone_ids = ["wealist.example"]', "dns.hosted_zone_ids", "Route 53 hosted zone ids"),
    ("odd-log-retention", "[cluster]\nlog_retention_days = 45", "cluster.log_retention_days", "retention periods"),
    ("invalid-toml", "[node_group\nmin_size = 2", "WEALIST_CONFIG", "valid TOML"),
    ("list-instead-of-table", "node_group = [1, 2]", "node_group", "a table"),
]
# fmt: on


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def good_output(default_synthesis, tmp_path_factory) -> Path:
    """A folder holding a good cdktf.out from an earlier synthesis."""
    folder = tmp_path_factory.mktemp("workdir")
    shutil.copytree(default_synthesis.stack_dir.parent.parent, folder / "cdktf.out")
    return folder


def _run_main(workdir: Path, config_value: str) -> subprocess.CompletedProcess:
    return run_python(str(MAIN), cwd=workdir, config=config_value, timeout=120)


def _assert_rejected(result, workdir, before, setting, expected):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one message, got: {result.stderr}"
    (message,) = lines
    assert message.startswith(f"error: {setting}"), message
    assert expected in message, message
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert _digest(workdir / "cdktf.out") == before
    leftovers = [path.name for path in workdir.iterdir() if path.name.startswith(".")]
    assert leftovers == [], f"staging folders left behind: {leftovers}"


def test_the_matrix_has_at_least_twenty_distinct_cases():
    assert len({case_id for case_id, *_ in CASES}) == len(CASES) >= 20


@pytest.mark.parametrize(
    ("toml_text", "setting", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_configuration(good_output, toml_text, setting, expected):
    config_file = good_output / "bad.toml"
    config_file.write_text(toml_text + "\n")
    before = _digest(good_output / "cdktf.out")
    try:
        result = _run_main(good_output, str(config_file))
        _assert_rejected(result, good_output, before, setting, expected)
    finally:
        config_file.unlink()


def test_missing_configuration_file(good_output):
    before = _digest(good_output / "cdktf.out")
    result = _run_main(good_output, str(good_output / "absent.toml"))
    _assert_rejected(
        result, good_output, before, "WEALIST_CONFIG", "an existing TOML file"
    )


def test_unknown_environment_name(good_output):
    before = _digest(good_output / "cdktf.out")
    result = _run_main(good_output, "staging")
    _assert_rejected(result, good_output, before, "WEALIST_CONFIG", "dev")
