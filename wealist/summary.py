"""What one configuration builds and what it costs, as Markdown.

Written beside the stack as SUMMARY.md on every synthesis, and printed on its
own by `python -m wealist summary`. Built from the Config and the layer's
tables only (versions, workloads, policies, security group rules, add-on
order), never from constructs, so it needs no jsii and takes milliseconds.
The cost estimate is wealist.cost's.
"""

from datetime import date
from pathlib import Path
from typing import Any

from wealist import versions
from wealist.addon_table import ADDONS
from wealist.config import CONTROL_PLANE_LOG_TYPES, Config
from wealist.cost import (
    CostEstimate,
    Price,
    Prices,
    Support,
    estimate_cost,
    load_prices,
    standard_versions,
    support_on,
)
from wealist.rules import CLUSTER_RULES, NODE_RULES
from wealist.policies import PolicyScope, inline_policy, managed_policy_arns
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


def _money(value: float | None) -> str:
    return "n/a" if value is None else f"${value:,.2f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return [row(header), "|" + "|".join("---" for _ in header) + "|", *map(row, rows)]


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
        *_table(
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
                "n/a" if chosen is None else _money(chosen.value * hours),
            ]
        )
    capacity = "Spot" if nodes.capacity_type == "SPOT" else "On-Demand"
    labels = ", ".join(f"`{key}={value}`" for key, value in nodes.labels) or "none"
    return [
        "## Node group",
        "",
        *_table(
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
        *_table(
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
        *_table(["Add-on", "Version", "Created", "Pod Identity"], rows),
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
        *_table(
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
        *_table(
            ["Group", "Key", "Direction", "Protocol", "Ports", "Peer", "Description"],
            rows,
        ),
    ]


def _cost_section(config: Config, estimate: CostEstimate, prices: Prices) -> list[str]:
    support = estimate.support
    lines = [
        "## Estimated monthly cost",
        "",
        f"{prices.hours_per_month} hours a month, {prices.region} prices in USD before tax "
        f"(`wealist/prices.toml`, compiled {prices.compiled}); support status as of {support.today}.",
        "",
    ]
    if config.region != prices.region:
        lines += [
            f"**The cluster is in {config.region}, but every price is for {prices.region}.**",
            "",
        ]
    rows = [[line.item, _money(line.monthly), line.how] for line in estimate.lines]
    total = _money(estimate.total) + ("" if estimate.complete else " (incomplete)")
    rows.append(["**Total**", f"**{total}**", ""])
    lines += _table(["Item", "Monthly", "How"], rows)
    lines.append("")

    standard = prices.standard_support.value * prices.hours_per_month
    extended = prices.extended_support.value * prices.hours_per_month
    if support.extended:
        candidates = standard_versions(support.today)
        upgrade = (
            f"Kubernetes {candidates[0]} (standard support until "
            f"{support_on(candidates[0], support.today).standard_ends})"
            if candidates
            else "a version in standard support"
        )
        lines += [
            f"**Kubernetes {support.version} has been in extended support since "
            f"{support.standard_ends}: the control plane costs {_money(extended)} a month "
            f"instead of {_money(standard)}.** With {upgrade} the total would be "
            f"{_money(estimate.total_with_standard_support)}.",
            "",
        ]
    else:
        lines += [
            f"Kubernetes {support.version} is in standard support until {support.standard_ends}; "
            f"from that day the control plane costs {_money(extended)} a month instead of "
            f"{_money(standard)} until the cluster is upgraded.",
            "",
        ]

    seed = prices.seed
    nodes_line = estimate.line("nodes")
    ebs_line = estimate.line("ebs")
    first_type = config.node_group.instance_types[0]
    lines += [
        f"Compared with the seed README's estimate (about {_money(seed['total'])}: control "
        f"plane {_money(seed['control_plane'])}, three t3.medium Spot nodes about "
        f"{_money(seed['nodes'])}, 3 x 50 GB EBS about {_money(seed['ebs'])}):",
        "",
        *_table(
            ["Item", "Seed", "Here", "Why they differ"],
            [
                [
                    "Control plane",
                    _money(seed["control_plane"]),
                    _money(estimate.line("control_plane").monthly),
                    "the seed's $73 assumes standard support ($0.10/h)"
                    + (
                        f"; {support.version} is in extended support ($0.60/h)"
                        if support.extended
                        else ""
                    ),
                ],
                [
                    "Nodes",
                    _money(seed["nodes"]),
                    _money(nodes_line.monthly),
                    (
                        f"{nodes_line.how}; the seed's $30 implies "
                        f"${seed['nodes'] / 3 / prices.hours_per_month:.4f}/h per t3.medium"
                        if nodes_line.monthly is not None
                        else f"no price for {first_type}"
                    ),
                ],
                [
                    "EBS",
                    _money(seed["ebs"]),
                    _money(ebs_line.monthly),
                    f"gp3 at ${prices.gp3.value}/GB-month in Seoul; the seed's $15 for 150 GB "
                    f"implies ${seed['ebs'] / 150:.2f}/GB-month",
                ],
                [
                    "Control-plane logs",
                    "-",
                    _money(estimate.line("logs").monthly),
                    "not in the seed",
                ],
                [
                    "Log KMS key",
                    "-",
                    _money(estimate.line("kms").monthly),
                    "not in the seed",
                ],
                [
                    "Total",
                    _money(seed["total"]),
                    _money(estimate.total),
                    f"{_money(estimate.total_with_standard_support)} with standard support",
                ],
            ],
        ),
        "",
        "Not included: NAT gateway and data transfer (foundation layer), load balancers the "
        "controller creates, volumes of persistent volume claims, T3 surplus CPU credits "
        "(Spot T3 instances launch as `unlimited`), KMS requests beyond the free tier, "
        "the CloudWatch free tier (5 GB) and key rotation charges.",
        "",
        "Price sources:",
        "",
        *_table(
            ["Figure", "Value", "Basis", "As of", "Source"],
            [
                [name, _figure(price), price.basis, price.as_of, price.source]
                for name, price in _price_rows(config, prices)
            ],
        ),
    ]
    return lines


def _price_rows(config: Config, prices: Prices) -> list[tuple[str, Price]]:
    rows = [
        ("EKS standard support", prices.standard_support),
        ("EKS extended support", prices.extended_support),
    ]
    for instance_type in config.node_group.instance_types:
        for label, table in (("On-Demand", prices.on_demand), ("Spot", prices.spot)):
            if instance_type in table:
                rows.append((f"{instance_type} {label}", table[instance_type]))
    rows += [
        ("EBS gp3", prices.gp3),
        ("CloudWatch Logs ingestion", prices.log_ingestion),
        ("CloudWatch Logs storage", prices.log_storage),
        ("KMS key", prices.kms_key),
    ]
    rows.append(("Assumed log ingestion", prices.log_volume))
    return rows


def _figure(price: Price) -> str:
    """A price as $0.10/unit, an assumed quantity as 5 GB/month."""
    if (
        not price.unit.endswith("-hour")
        and not price.unit.endswith("-month")
        and price.unit != "GB"
    ):
        return f"{price.value:g} {price.unit}"
    amount = (
        f"{price.value:.2f}"
        if round(price.value, 2) == price.value
        else f"{price.value:g}"
    )
    return f"${amount}/{price.unit}"


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
            f"Estimated monthly cost: **{_money(estimate.total)}**"
            + (
                f" ({support_text(estimate.support)}; "
                f"{_money(estimate.total_with_standard_support)} with standard support)."
                if estimate.support.extended
                else f" ({support_text(estimate.support)})."
            ),
        ],
        _cluster_section(config, estimate.support, prices),
        _node_section(config, prices),
        _addon_section(config, ADDONS),
        _pod_identity_section(config),
        _security_group_section(CLUSTER_RULES, NODE_RULES),
        _cost_section(config, estimate, prices),
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
