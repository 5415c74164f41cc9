"""The summary: what it says about the layer, how its estimate moves, its CLI."""

import dataclasses
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, run_python
from wealist.config import Config, NodeGroupConfig
from wealist.config_file import load_config
from wealist.cost import Price, estimate_cost, load_prices
from wealist.summary import (
    SUMMARY_FILE,
    actions_by_service,
    render_summary,
    write_summary,
)
from wealist.workloads import DEFAULT_WORKLOADS

TODAY = date(2026, 12, 4)
"""Two days after 1.34 left standard support (2026-12-02)."""


def _with_nodes(**changes: object) -> Config:
    return dataclasses.replace(
        Config(), node_group=dataclasses.replace(NodeGroupConfig(), **changes)
    )


@pytest.fixture(scope="module")
def text() -> str:
    return render_summary(Config(), TODAY)


@pytest.fixture(scope="module")
def dev_text() -> str:
    return render_summary(
        load_config(PROJECT_ROOT / "environments" / "dev.toml"), TODAY
    )


# ------------------------------------------------------------ content


def test_cluster_section(text):
    for expected in (
        "# wealist-prod-eks: prod/compute",
        "| Name | `wealist-prod-eks` |",
        "| Kubernetes version | `1.34` |",
        "| Support on 2026-12-04 | **extended** since 2026-12-02 ($0.60/h) |",
        "| API endpoint | private and public access |",
        "| Public access CIDRs | `0.0.0.0/0`",
        "the foundation output `kms_key_arn`",
        "| Control-plane logs | api, audit, authenticator, controllerManager, scheduler |",
        "`/aws/eks/wealist-prod-eks/cluster`, kept 365 days",
        "`s3://wealist-tf-state-advanced-k8s/prod/compute/terraform.tfstate`",
        "`s3://wealist-tf-state-advanced-k8s/prod/foundation/terraform.tfstate`",
    ):
        assert expected in text, expected


def test_node_group_section(text):
    assert "| Capacity | SPOT, 100% |" in text
    assert "| Size | min 2, desired 3, max 6 |" in text
    assert "| Disk | 50 GiB gp3 per node, encrypted |" in text
    positions = [
        text.index(f"| `{name}` | $") for name in NodeGroupConfig().instance_types
    ]
    assert positions == sorted(positions), "instance types out of order"
    assert "| `t3.medium` | $0.0520 | $0.0182 | $13.29 |" in text


def test_addons_with_versions_and_order(text):
    config = Config()
    for name, when in (
        ("vpc-cni", "before nodes"),
        ("kube-proxy", "before nodes"),
        ("eks-pod-identity-agent", "before nodes"),
        ("coredns", "after nodes"),
        ("aws-ebs-csi-driver", "after nodes"),
    ):
        assert f"| `{name}` | `{config.addon_version(name)}` | {when} |" in text
    assert "| `kube-proxy` | `v1.34.6-eksbuild.13` | before nodes |" in text


def test_every_pod_identity_binding(text):
    config = Config()
    for workload in config.workloads:
        assert (
            f"| `{workload.key}` | `{workload.namespace}` | `{workload.service_account}` "
            f"| `{workload.role_name(config.name_prefix)}` |"
        ) in text
    assert "`wealist-prod-storage-service-pod-identity`" in text
    assert (
        "  - route53: ChangeResourceRecordSets, ListHostedZones, ListResourceRecordSets, "
        "ListTagsForResources"
    ) in text
    assert (
        "  - route53: ChangeResourceRecordSets, GetChange, ListHostedZonesByName"
        in text
    )
    assert "  - kms: Decrypt" in text
    assert (
        "  - AWS managed policy `arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`"
        in text
    )


def test_actions_grouped_by_service():
    autoscaler = next(w for w in DEFAULT_WORKLOADS if w.key == "cluster-autoscaler")
    grouped = actions_by_service(Config(), autoscaler)
    assert list(grouped) == ["autoscaling", "ec2", "eks"]
    assert "SetDesiredCapacity" in grouped["autoscaling"]
    assert grouped["autoscaling"] == sorted(grouped["autoscaling"])
    ebs = next(w for w in DEFAULT_WORKLOADS if w.key == "ebs-csi-driver")
    assert actions_by_service(Config(), ebs) == {}


def test_security_group_rules_table(text):
    assert "| Group | Key | Direction | Protocol | Ports | Peer | Description |" in text
    for row in (
        "| cluster | `ingress_nodes_443` | ingress | tcp | 443 | node SG | Nodes to the cluster API |",
        "| node | `ingress_self_istio_redirect` | ingress | tcp | 15001-15006 | node SG (self) |",
        "| node | `ingress_self_coredns_udp` | ingress | udp | 53 | node SG (self) |",
        "| node | `ingress_cluster_kubelet` | ingress | tcp | 10250 | cluster SG |",
        "| node | `egress_all` | egress | all | all | `0.0.0.0/0` |",
    ):
        assert row in text, row


def test_diagram(text):
    diagram = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert diagram.startswith("flowchart LR\n")
    assert (
        "s3://wealist-tf-state-advanced-k8s/prod/foundation/terraform.tfstate"
        in diagram
    )
    for node in ("foundation", "cluster", "nodes", "before", "after", "pods"):
        assert f"  {node}[" in diagram
    assert "cluster --> before --> nodes --> after" in diagram
    assert "Pod Identity roles (7)" in diagram


def test_post_deploy_steps(text):
    for line in (
        "aws eks update-kubeconfig --name wealist-prod-eks --region ap-northeast-2",
        "kubectl apply -f https://github.com/kubernetes-sigs/gateway-api/releases/download/"
        "v1.2.0/standard-install.yaml",
        "curl -L https://istio.io/downloadIstio | ISTIO_VERSION=1.28.2 sh -",
        "istioctl install --set profile=ambient -y",
        "kubectl create namespace wealist-prod",
        "kubectl label namespace wealist-prod istio.io/dataplane-mode=ambient",
    ):
        assert f"\n{line}\n" in text, line
    assert "Istio 1.28 reached end of life on 2026-05-31" in text


def test_changed_configuration_content(dev_text):
    for expected in (
        "# wealist-dev-eks: dev/compute",
        "| Support on 2026-12-04 | standard until 2027-03-27, 113 days left",
        "| Size | min 1, desired 1, max 3 |",
        "| Disk | 30 GiB gp3 per node, encrypted |",
        "| `storage-service` | `wealist-dev` | `storage-service` "
        "| `wealist-dev-storage-service-pod-identity` |",
        "| `kube-proxy` | `v1.35.3-eksbuild.13` | before nodes |",
        "aws eks update-kubeconfig --name wealist-dev-eks --region ap-northeast-2",
        "kubectl label namespace wealist-dev istio.io/dataplane-mode=ambient",
        "`s3://wealist-tf-state-advanced-k8s/dev/compute/terraform.tfstate`",
        "Istio 1.28.2 is tested with Kubernetes 1.30 to 1.34 only; this cluster runs 1.35.",
    ):
        assert expected in dev_text, expected
    assert "wealist-prod" not in dev_text
    assert "extended support since" not in dev_text


# ------------------------------------------------------------ cost


def test_default_estimate_matches_the_seed_with_standard_support(text):
    estimate = estimate_cost(Config(), TODAY)
    assert estimate.support.extended
    assert estimate.line("control_plane").monthly == pytest.approx(438.0)
    assert estimate.standard_control_plane == pytest.approx(73.0)
    # The seed says about $118; the differences are itemized in the summary.
    assert 105 <= estimate.total_with_standard_support <= 140
    assert estimate.total == pytest.approx(estimate.total_with_standard_support + 365.0)
    assert estimate.line("nodes").monthly == pytest.approx(3 * 0.0182 * 730)
    assert estimate.line("ebs").monthly == pytest.approx(150 * 0.0912)
    assert estimate.line("kms").monthly == pytest.approx(1.0)


def test_summary_says_plainly_why_it_costs_more_than_the_seed(text):
    assert (
        "**Kubernetes 1.34 has been in extended support since 2026-12-02: the control "
        "plane costs $438.00 a month instead of $73.00.**"
    ) in text
    assert "the seed's $73 assumes standard support ($0.10/h)" in text
    assert (
        "With Kubernetes 1.35 (standard support until 2027-03-27) the total would be"
        in text
    )
    assert "| **Total** | **$498.22** |" in text
    assert "$133.22 with standard support" in text
    assert "assumed 5 GB/month x $0.76/GB ingested" in text


def test_standard_support_before_the_end_date():
    before = estimate_cost(Config(), date(2026, 12, 1))
    on_the_day = estimate_cost(Config(), date(2026, 12, 2))
    assert not before.support.extended
    assert before.line("control_plane").monthly == pytest.approx(73.0)
    assert on_the_day.support.extended


def test_more_nodes_cost_more():
    base = estimate_cost(Config(), TODAY)
    more = estimate_cost(_with_nodes(desired_size=5), TODAY)
    assert more.line("nodes").monthly > base.line("nodes").monthly
    assert more.line("ebs").monthly > base.line("ebs").monthly
    assert more.total > base.total


def test_on_demand_nodes_cost_more_than_spot():
    spot = estimate_cost(Config(), TODAY)
    on_demand = estimate_cost(_with_nodes(capacity_type="ON_DEMAND"), TODAY)
    assert on_demand.line("nodes").monthly == pytest.approx(3 * 0.052 * 730)
    assert on_demand.line("nodes").monthly > spot.line("nodes").monthly
    assert "On-Demand" in on_demand.line("nodes").item


def test_newer_version_in_standard_support_is_cheaper():
    old = estimate_cost(Config(), TODAY)
    new = estimate_cost(load_config(PROJECT_ROOT / "environments" / "dev.toml"), TODAY)
    assert new.support.version == "1.35" and not new.support.extended
    assert new.line("control_plane").monthly < old.line("control_plane").monthly
    config = dataclasses.replace(
        Config(),
        cluster=dataclasses.replace(Config().cluster, kubernetes_version="1.35"),
    )
    assert estimate_cost(config, TODAY).line("control_plane").monthly == pytest.approx(
        73.0
    )


def test_bigger_disk_costs_more():
    base = estimate_cost(Config(), TODAY)
    bigger = estimate_cost(_with_nodes(disk_size_gib=100), TODAY)
    assert bigger.line("ebs").monthly == pytest.approx(2 * base.line("ebs").monthly)
    assert bigger.line("nodes").monthly == base.line("nodes").monthly


def test_longer_log_retention_costs_more():
    short = dataclasses.replace(
        Config(), cluster=dataclasses.replace(Config().cluster, log_retention_days=30)
    )
    assert (
        estimate_cost(short, TODAY).line("logs").monthly
        < estimate_cost(Config(), TODAY).line("logs").monthly
    )


def test_unpriced_instance_type_is_left_out_and_said():
    config = _with_nodes(instance_types=("m5.large",))
    estimate = estimate_cost(config, TODAY)
    assert estimate.line("nodes").monthly is None
    assert not estimate.complete
    text = render_summary(config, TODAY)
    assert "no Spot price for m5.large in prices.toml" in text
    assert "(incomplete)" in text


def test_every_price_has_a_source_and_a_date():
    prices = load_prices()
    figures = [
        value
        for field in dataclasses.fields(prices)
        for value in (
            getattr(prices, field.name).values()
            if isinstance(getattr(prices, field.name), dict)
            else [getattr(prices, field.name)]
        )
        if isinstance(value, Price)
    ]
    assert len(figures) >= 12
    for figure in figures:
        assert figure.source.strip() and figure.as_of.strip()
        assert figure.basis in ("aws", "second-hand", "estimate")
    assert prices.hours_per_month == 730
    assert set(prices.spot) == set(prices.on_demand)
    for instance_type in NodeGroupConfig().instance_types:
        assert prices.spot[instance_type].value < prices.on_demand[instance_type].value


# ------------------------------------------------------------ agreement with the stack


def test_summary_agrees_with_the_synthesized_stack(default_synthesis, text):
    config = Config()
    roles = {
        role.get("name")
        for role in default_synthesis.resources("aws_iam_role").values()
    }
    for workload in config.workloads:
        assert workload.role_name(config.name_prefix) in roles
    for addon in default_synthesis.resources("aws_eks_addon").values():
        assert f"| `{addon['addon_name']}` | `{addon['addon_version']}` |" in text
    rules = default_synthesis.resources("aws_security_group_rule")
    summarized = [
        line
        for line in text.splitlines()
        if line.startswith(("| cluster | `", "| node | `"))
    ]
    assert len(summarized) == len(rules)
    for line in summarized:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        group, key, direction, protocol, ports = (
            cells[0],
            cells[1].strip("`"),
            *cells[2:5],
        )
        rule = rules[f"security_group_{group}_{key}"]
        assert rule["type"] == direction
        assert rule["protocol"] == ("-1" if protocol == "all" else protocol)
        if ports != "all":
            low, _, high = ports.partition("-")
            assert (rule["from_port"], rule["to_port"]) == (int(low), int(high or low))


def test_synthesis_writes_the_summary_beside_the_stack(default_synthesis):
    path = default_synthesis.stack_dir / SUMMARY_FILE
    assert path.is_file(), "synthesis wrote no SUMMARY.md (see wealist.app.synthesize)"
    written = path.read_text(encoding="utf-8")
    assert written.startswith("# wealist-prod-eks: prod/compute\n")
    assert "## Estimated monthly cost" in written


def test_write_summary(tmp_path):
    path = write_summary(Config(), tmp_path, today=TODAY)
    assert path == tmp_path / SUMMARY_FILE
    assert path.read_text(encoding="utf-8") == render_summary(Config(), TODAY)


# ------------------------------------------------------------ command line


def _run_cli(
    tmp_path: Path, *args: str, config: str | None = None
) -> subprocess.CompletedProcess:
    return run_python("-m", "wealist", *args, cwd=tmp_path, config=config, timeout=60)


def test_cli_prints_the_summary(tmp_path):
    result = _run_cli(tmp_path, "summary", "--date", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    assert result.stdout == render_summary(Config(), TODAY)
    assert result.stderr == ""


def test_cli_uses_today_by_default(tmp_path):
    result = _run_cli(tmp_path, "summary")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# wealist-prod-eks: prod/compute\n")
    assert f"| Support on {date.today()} |" in result.stdout


def test_cli_honours_wealist_config(tmp_path):
    result = _run_cli(tmp_path, "summary", "--date", TODAY.isoformat(), config="dev")
    assert result.returncode == 0, result.stderr
    assert result.stdout == render_summary(
        load_config(PROJECT_ROOT / "environments" / "dev.toml"), TODAY
    )


@pytest.mark.parametrize(
    ("content", "setting"),
    [
        (None, "WEALIST_CONFIG"),
        ("[node_group]\nmin_size = 4\n", "node_group.desired_size"),
        ("[node_group\n", "WEALIST_CONFIG"),
    ],
    ids=["missing-file", "invalid-setting", "invalid-toml"],
)
def test_cli_bad_configuration(tmp_path, content, setting):
    path = tmp_path / "bad.toml"
    if content is not None:
        path.write_text(content)
    result = _run_cli(tmp_path, "summary", config=str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {setting} = ")


def test_cli_starts_no_jsii(tmp_path):
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['wealist', 'summary']\n"
        "try:\n"
        "    runpy.run_module('wealist', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('jsii', 'cdktf', 'constructs')"
        " or m == 'wealist.cdk')\n"
        "assert not loaded, loaded\n"
    )
    result = run_python("-c", probe, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
