"""What one configuration builds and what it costs, as Markdown.

Written beside the stack as SUMMARY.md on every synthesis, and printed on its
own by `python -m wealist summary`. Built from the Config and the layer's
tables only (versions, workloads, policies, security group rules, add-on
order), never from constructs, so it needs no jsii and takes milliseconds.
The cost estimate is wealist.cost's, its section wealist.cost_report's.
"""

from datetime import date
from pathlib import Path
from typing import Any

from wealist.addon_table import ADDONS
from wealist.config import CONTROL_PLANE_LOG_TYPES, Config
from wealist.cost import Prices, Support, estimate_cost, load_prices
from wealist.cost_report import cost_section
from wealist.markdown import money, table
from wealist.policies import PolicyScope, inline_policy, managed_policy_arns
from wealist.rules import CLUSTER_RULES, NODE_RULES
from wealist.workloads import Workload

SUMMARY_FILE = "SUMMARY.md"

# The seed's post-deploy steps pin these; see "After deployment".
GATEWAY_API_VERSION = "v1.2.0"
ISTIO_VERSION = "1.28.2"
# Istio's supported-releases table (istio.io/latest/docs/releases/supported-releases,
# as recorded by endoflife.date products/istio.md): 1.28 is tested with
# Kubernetes 1.30 to 1.34 and its support ended 2026-05-31.
ISTIO_KUBERNETES_RANGE = ("1.30", "1.34")
ISTIO_END_OF_LIFE = date(2026, 5, 31)

# Placeholder values for the policy builders: only the actions are summarized.
_DUMMY_ACCOUNT = "111122223333"


def _partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if "-gov-" in region:
        return "aws-us-gov"
    return "aws"


def actions_by_service(config: Config, workload: Workload) -> dict[str, list[str]]:
    """The inline policy's actions, grouped by service, from a placeholder scope."""
    document = inline_policy(workload.policy, _placeholder_scope(config))
    grouped: dict[str, set[str]] = {}
    for statement in (document or {}).get("Statement", []):
        actions = statement["Action"]
        for action in [actions] if isinstance(actions, str) else actions:
            service, _, name = action.partition(":")
            grouped.setdefault(service, set()).add(name)
    return {service: sorted(names) for service, names in sorted(grouped.items())}


# ---------------------------------------------------------------- rendering


def _ports(rule: Any) -> str:
    if rule.protocol == "-1":
        return "all"
    if rule.from_port == rule.to_port:
        return str(rule.from_port)
    return f"{rule.from_port}-{rule.to_port}"


_PEERS = {"cluster": "cluster SG", "nodes": "node SG", "self": "node SG (self)"}


def _cluster_section(config: Config, support: Support, prices: Prices) -> list[str]:
    cluster = config.cluster
    if support.extended:
        status = (
            f"**extended** since {support.standard_ends} "
            f"(${prices.extended_support.value:.2f}/h)"
        )
    else:
        days = (support.standard_ends - support.today).days
        status = (
            f"standard until {support.standard_ends}, {days} days left "
            f"(${prices.standard_support.value:.2f}/h, then "
            f"${prices.extended_support.value:.2f}/h)"
        )
    cidrs = ", ".join(f"`{cidr}`" for cidr in cluster.public_access_cidrs)
    if "0.0.0.0/0" in cluster.public_access_cidrs:
        cidrs += " (open to the internet; narrow with cluster.public_access_cidrs)"
    state = config.state
    return [
        "## Cluster",
        "",
        *table(
            ["Setting", "Value"],
            [
                ["Name", f"`{config.cluster_name}`"],
                ["Region", f"`{config.region}`"],
                ["Kubernetes version", f"`{cluster.kubernetes_version}`"],
                [f"Support on {support.today}", status],
                ["API endpoint", "private and public access"],
                ["Public access CIDRs", cidrs],
                [
                    "Secrets encryption",
                    "KMS, the foundation output `kms_key_arn` (resources: secrets)",
                ],
                ["Control-plane logs", ", ".join(CONTROL_PLANE_LOG_TYPES)],
                [
                    "Log group",
                    f"`/aws/eks/{config.cluster_name}/cluster`, kept "
                    f"{cluster.log_retention_days} days, encrypted with its own KMS key",
                ],
                [
                    "State",
                    f"`s3://{state.bucket}/{config.state_key}` (lock table `{state.lock_table}`)",
                ],
                [
                    "Foundation state (read only)",
                    f"`s3://{state.bucket}/{config.foundation_state_key}`",
                ],
            ],
        ),
    ]


def _node_section(config: Config, prices: Prices) -> list[str]:
    nodes = config.node_group
    hours = prices.hours_per_month
    rows = []
    for instance_type in nodes.instance_types:
        on_demand = prices.on_demand.get(instance_type)
        spot = prices.spot.get(instance_type)
        chosen = prices.node_price(instance_type, nodes.capacity_type)
        rows.append(
            [
                f"`{instance_type}`",
                "n/a" if on_demand is None else f"${on_demand.value:.4f}",
                "n/a" if spot is None else f"${spot.value:.4f}",
                "n/a" if chosen is None else money(chosen.value * hours),
            ]
        )
    capacity = "Spot" if nodes.capacity_type == "SPOT" else "On-Demand"
    labels = ", ".join(f"`{key}={value}`" for key, value in nodes.labels) or "none"
    return [
        "## Node group",
        "",
        *table(
            ["Setting", "Value"],
            [
                ["Name", f"`{config.name_prefix}-{nodes.name}-` + suffix"],
                ["Capacity", f"{nodes.capacity_type}, 100%"],
                [
                    "Size",
                    f"min {nodes.min_size}, desired {nodes.desired_size}, max {nodes.max_size}",
                ],
                ["Disk", f"{nodes.disk_size_gib} GiB gp3 per node, encrypted"],
                ["AMI type", f"`{nodes.ami_type}`"],
                ["Labels", labels],
                [
                    "Autoscaler discovery",
                    f"`k8s.io/cluster-autoscaler/enabled=true`, "
                    f"`k8s.io/cluster-autoscaler/{config.cluster_name}=owned`",
                ],
            ],
        ),
        "",
        f"Instance types in order of preference; the estimate prices the first. "
        f"Prices per hour, monthly per node at {capacity}:",
        "",
        *table(
            [
                "Type",
                "On-Demand $/h",
                "Spot $/h (estimate)",
                f"{capacity} per node-month",
            ],
            rows,
        ),
    ]


def _addon_section(config: Config, addons: tuple) -> list[str]:
    rows = [
        [
            f"`{addon.name}`",
            f"`{config.addon_version(addon.name)}`",
            "before nodes" if addon.before_nodes else "after nodes",
            f"`{addon.workload}`" if addon.workload else "",
        ]
        for addon in addons
    ]
    return [
        "## Add-ons",
        "",
        "EKS managed add-ons, conflicts resolved with OVERWRITE. vpc-cni runs with prefix "
        "delegation and `POD_SECURITY_GROUP_ENFORCING_MODE=standard` (Istio Ambient).",
        "",
        *table(["Add-on", "Version", "Created", "Pod Identity"], rows),
    ]


def _pod_identity_section(config: Config) -> list[str]:
    partition = _partition(config.region)
    rows = []
    permissions = []
    for workload in config.workloads:
        document = inline_policy(workload.policy, _placeholder_scope(config))
        managed = managed_policy_arns(workload.policy, partition)
        rows.append(
            [
                f"`{workload.key}`",
                f"`{workload.namespace}`",
                f"`{workload.service_account}`",
                f"`{workload.role_name(config.name_prefix)}`",
                f"`{workload.policy_name}`" if document is not None else "none",
                ", ".join(f"`{arn.rsplit('/', 1)[-1]}`" for arn in managed) or "none",
            ]
        )
        permissions.append(f"- **{workload.key}**: {workload.description}")
        for service, names in actions_by_service(config, workload).items():
            permissions.append(f"  - {service}: {', '.join(names)}")
        for arn in managed:
            permissions.append(f"  - AWS managed policy `{arn}`")
    return [
        "## Pod Identity",
        "",
        "One IAM role per workload (path `/pod-identity/`), trusted by `pods.eks.amazonaws.com` "
        "for `sts:AssumeRole` and `sts:TagSession`, and one association.",
        "",
        *table(
            [
                "Workload",
                "Namespace",
                "Service account",
                "IAM role",
                "Inline policy",
                "Managed policies",
            ],
            rows,
        ),
        "",
        "Permissions, actions by service:",
        "",
        *permissions,
    ]


def _placeholder_scope(config: Config) -> PolicyScope:
    partition = _partition(config.region)
    return PolicyScope(
        partition=partition,
        region=config.region,
        account_id=_DUMMY_ACCOUNT,
        cluster_name=config.cluster_name,
        kms_key_arn=f"arn:{partition}:kms:{config.region}:{_DUMMY_ACCOUNT}:key/foundation",
        storage_bucket_arn=f"arn:{partition}:s3:::foundation-bucket",
        vpc_id="vpc-foundation",
        hosted_zone_ids=config.dns.hosted_zone_ids,
    )


def _security_group_section(cluster_rules: dict, node_rules: dict) -> list[str]:
    rows = []
    for group, rules in (("cluster", cluster_rules), ("node", node_rules)):
        for key, rule in rules.items():
            rows.append(
                [
                    group,
                    f"`{key}`",
                    rule.type,
                    "all" if rule.protocol == "-1" else rule.protocol,
                    _ports(rule),
                    _PEERS.get(rule.peer, f"`{rule.peer}`"),
                    rule.description,
                ]
            )
    return [
        "## Security group rules",
        "",
        "Nodes carry only the node security group (through the launch template).",
        "",
        *table(
            ["Group", "Key", "Direction", "Protocol", "Ports", "Peer", "Description"],
            rows,
        ),
    ]


def _diagram_section(config: Config, addons: tuple) -> list[str]:
    state = config.state
    nodes = config.node_group
    before = ", ".join(addon.name for addon in addons if addon.before_nodes)
    after = ", ".join(addon.name for addon in addons if not addon.before_nodes)
    workloads = ", ".join(workload.key for workload in config.workloads)
    return [
        "## Diagram",
        "",
        "```mermaid",
        "flowchart LR",
        f'  foundation[("{config.environment}/foundation state<br/>'
        f's3://{state.bucket}/{config.foundation_state_key}")]',
        '  sg["Security groups<br/>cluster, nodes"]',
        f'  cluster["EKS cluster {config.cluster_name}<br/>Kubernetes {config.cluster.kubernetes_version}"]',
        f'  before["Add-ons before nodes<br/>{before}"]',
        f'  nodes["Node group {config.name_prefix}-{nodes.name}<br/>{nodes.capacity_type} '
        f'{nodes.min_size}/{nodes.desired_size}/{nodes.max_size} x {nodes.instance_types[0]}"]',
        f'  after["Add-ons after nodes<br/>{after}"]',
        f'  pods["Pod Identity roles ({len(config.workloads)})<br/>{workloads}"]',
        '  foundation -- "vpc_id" --> sg',
        '  foundation -- "private_subnet_ids, kms_key_arn" --> cluster',
        "  sg --> cluster",
        "  cluster --> before --> nodes --> after",
        '  foundation -- "kms_key_arn, s3_bucket_arn" --> pods',
        "  cluster --> pods",
        "  pods --> after",
        "```",
    ]


def _post_deploy_section(config: Config, today: date) -> list[str]:
    namespace = f"{config.project}-{config.environment}"
    version = config.cluster.kubernetes_version
    low, high = ISTIO_KUBERNETES_RANGE
    minor = int(version.split(".")[1])
    notes = []
    if not int(low.split(".")[1]) <= minor <= int(high.split(".")[1]):
        notes.append(
            f"Istio {ISTIO_VERSION} is tested with Kubernetes {low} to {high} only; "
            f"this cluster runs {version}."
        )
    if today > ISTIO_END_OF_LIFE:
        notes.append(
            f"Istio 1.28 reached end of life on {ISTIO_END_OF_LIFE}; the seed pins "
            f"{ISTIO_VERSION}, so pick a supported release before relying on it."
        )
    else:
        notes.append(f"Istio 1.28 is supported until {ISTIO_END_OF_LIFE}.")
    return [
        "## After deployment",
        "",
        "```bash",
        "# 1. kubeconfig",
        f"aws eks update-kubeconfig --name {config.cluster_name} --region {config.region}",
        "",
        "# 2. Gateway API CRDs (required by Istio Ambient)",
        "kubectl apply -f https://github.com/kubernetes-sigs/gateway-api/releases/download/"
        f"{GATEWAY_API_VERSION}/standard-install.yaml",
        "",
        "# 3. Istio Ambient",
        f"curl -L https://istio.io/downloadIstio | ISTIO_VERSION={ISTIO_VERSION} sh -",
        f"export PATH=$PWD/istio-{ISTIO_VERSION}/bin:$PATH",
        "istioctl install --set profile=ambient -y",
        "kubectl get pods -n istio-system",
        "istioctl proxy-status",
        "",
        "# 4. Application namespace in the ambient mesh",
        f"kubectl create namespace {namespace}",
        f"kubectl label namespace {namespace} istio.io/dataplane-mode=ambient",
        f"kubectl get namespace {namespace} --show-labels",
        "```",
        "",
        *(f"- {note}" for note in notes),
    ]


def render_summary(config: Config, today: date, prices: Prices | None = None) -> str:
    """The whole summary of one configuration, with support and cost as of `today`."""
    prices = prices or load_prices()
    estimate = estimate_cost(config, today, prices)
    sections = [
        [
            f"# {config.cluster_name}: {config.environment}/compute",
            "",
            f"Stack `{config.stack_name}`, project `{config.project}`, environment "
            f"`{config.environment}`. Generated from the configuration by "
            "`python -m wealist summary` and written as SUMMARY.md beside the stack at "
            "every synthesis.",
            "",
            f"Estimated monthly cost: **{money(estimate.total)}**"
            + (
                f" ({support_text(estimate.support)}; "
                f"{money(estimate.total_with_standard_support)} with standard support)."
                if estimate.support.extended
                else f" ({support_text(estimate.support)})."
            ),
        ],
        _cluster_section(config, estimate.support, prices),
        _node_section(config, prices),
        _addon_section(config, ADDONS),
        _pod_identity_section(config),
        _security_group_section(CLUSTER_RULES, NODE_RULES),
        cost_section(config, estimate, prices),
        _diagram_section(config, ADDONS),
        _post_deploy_section(config, today),
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"


def support_text(support: Support) -> str:
    """One phrase: the version and its support status."""
    if support.extended:
        return f"Kubernetes {support.version} in extended support since {support.standard_ends}"
    return f"Kubernetes {support.version} in standard support until {support.standard_ends}"


def write_summary(config: Config, stack_dir: Path, today: date | None = None) -> Path:
    """Write SUMMARY.md into a synthesized stack folder; returns its path."""
    path = Path(stack_dir) / SUMMARY_FILE
    path.write_text(render_summary(config, today or date.today()), encoding="utf-8")
    return path
