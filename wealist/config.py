"""Typed, frozen configuration of the compute layer, validated on creation.

Defaults are the production values of the spec, so `Config()` is prod. Nothing
here imports cdktf: a bad setting is reported before any construct exists.
"""

import ipaddress
import re
from dataclasses import dataclass, field

from wealist import versions
from wealist.errors import ConfigError
from wealist.workloads import DEFAULT_WORKLOADS, Workload

_NAME = re.compile(r"^[a-z][a-z0-9-]{0,18}[a-z0-9]$")
_INSTANCE_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9]+$")
_LABEL_KEY = re.compile(
    r"^([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$"
)
_LABEL_VALUE = re.compile(r"^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$")
_S3_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IAM_PRINCIPAL = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:(role|user)/[\w+=,.@/-]+$")
_REGION = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")

CAPACITY_TYPES = ("SPOT", "ON_DEMAND")
CAPACITY_LABEL = "node.kubernetes.io/capacity-type"
_NON_PUBLIC_NETWORKS = tuple(
    ipaddress.IPv4Network(network)
    for network in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
    )
)
DISK_SIZE_RANGE_GIB = (20, 1000)
MAX_NODES_PER_GROUP = 450
LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
CONTROL_PLANE_LOG_TYPES = (
    "api",
    "audit",
    "authenticator",
    "controllerManager",
    "scheduler",
)


@dataclass(frozen=True, kw_only=True)
class StateConfig:
    """Where this layer keeps its state and finds the foundation's."""

    bucket: str = "wealist-tf-state-advanced-k8s"
    """S3 bucket shared by every layer's state."""

    region: str = "ap-northeast-2"
    """Region of the state bucket and lock table."""

    lock_table: str = "terraform-lock"
    """DynamoDB table that serializes Terraform runs."""

    def __post_init__(self) -> None:
        if not _S3_BUCKET.match(self.bucket):
            raise ConfigError(
                "state.bucket", self.bucket, "an S3 bucket name (3-63 a-z, 0-9, ., -)"
            )
        _check_region("state.region", self.region)
        if not re.fullmatch(r"[A-Za-z0-9_.-]{3,255}", self.lock_table):
            raise ConfigError(
                "state.lock_table",
                self.lock_table,
                "a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)",
            )


@dataclass(frozen=True, kw_only=True)
class ClusterConfig:
    """The EKS control plane."""

    kubernetes_version: str = "1.34"
    """Kubernetes minor version as a string "1.NN"."""

    public_access_cidrs: tuple[str, ...] = ("0.0.0.0/0",)
    """IPv4 ranges allowed to reach the public API endpoint."""

    log_retention_days: int = 365
    """Retention of the control-plane log group."""

    admin_principal_arn: str = ""
    """IAM role or user ARN given cluster admin; empty: whoever runs Terraform."""

    def __post_init__(self) -> None:
        versions.check_kubernetes_version(
            "cluster.kubernetes_version", self.kubernetes_version
        )
        if not self.public_access_cidrs:
            raise ConfigError(
                "cluster.public_access_cidrs",
                list(self.public_access_cidrs),
                "at least one IPv4 CIDR, e.g. 203.0.113.0/24",
            )
        for cidr in self.public_access_cidrs:
            _check_cidr("cluster.public_access_cidrs", cidr)
        if len(set(self.public_access_cidrs)) != len(self.public_access_cidrs):
            raise ConfigError(
                "cluster.public_access_cidrs",
                list(self.public_access_cidrs),
                "each CIDR once",
            )
        if self.admin_principal_arn and not _IAM_PRINCIPAL.match(
            self.admin_principal_arn
        ):
            raise ConfigError(
                "cluster.admin_principal_arn",
                self.admin_principal_arn,
                "an IAM role or user ARN, arn:aws:iam::<12 digits>:role/<name>",
            )
        if self.log_retention_days not in LOG_RETENTION_DAYS:
            raise ConfigError(
                "cluster.log_retention_days",
                self.log_retention_days,
                f"one of CloudWatch's retention periods {list(LOG_RETENTION_DAYS)}",
            )


@dataclass(frozen=True, kw_only=True)
class NodeGroupConfig:
    """The managed node group the workloads run on."""

    name: str = "spot"
    """Short name of the group; part of its node group, role and template names."""

    instance_types: tuple[str, ...] = (
        "t3.medium",
        "t3a.medium",
        "t3.large",
        "t3a.large",
    )
    """EC2 instance types in order of preference."""

    capacity_type: str = "SPOT"
    """SPOT or ON_DEMAND."""

    min_size: int = 2
    """Fewest nodes the autoscaler keeps."""

    desired_size: int = 3
    """Nodes at creation; later owned by the cluster autoscaler."""

    max_size: int = 6
    """Most nodes the autoscaler may add."""

    disk_size_gib: int = 50
    """Root EBS volume per node, in GiB."""

    ami_type: str = "AL2023_x86_64_STANDARD"
    """EKS AMI type; must exist for the cluster's Kubernetes version."""

    labels: tuple[tuple[str, str], ...] = (("workload-type", "general"),)
    """Kubernetes labels on every node, besides the capacity-type label."""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9-]{0,14}", self.name):
            raise ConfigError(
                "node_group.name",
                self.name,
                "1-15 lowercase letters, digits and dashes",
            )
        if not self.instance_types:
            raise ConfigError(
                "node_group.instance_types", [], "at least one EC2 instance type"
            )
        for instance_type in self.instance_types:
            if not _INSTANCE_TYPE.match(instance_type):
                raise ConfigError(
                    "node_group.instance_types",
                    instance_type,
                    "EC2 instance type names such as t3.medium",
                )
        for instance_type in self.instance_types:
            if _is_graviton(instance_type):
                raise ConfigError(
                    "node_group.instance_types",
                    instance_type,
                    "x86 instance types: the node AMI types this layer allows are x86",
                )
        if len(set(self.instance_types)) != len(self.instance_types):
            raise ConfigError(
                "node_group.instance_types",
                list(self.instance_types),
                "each instance type once",
            )
        if len(self.instance_types) > 20:
            raise ConfigError(
                "node_group.instance_types",
                list(self.instance_types),
                "at most 20 instance types (EKS limit)",
            )
        if self.capacity_type not in CAPACITY_TYPES:
            raise ConfigError(
                "node_group.capacity_type",
                self.capacity_type,
                " or ".join(CAPACITY_TYPES),
            )
        if not 1 <= self.min_size <= MAX_NODES_PER_GROUP:
            raise ConfigError(
                "node_group.min_size",
                self.min_size,
                f"at least 1 node and at most {MAX_NODES_PER_GROUP}",
            )
        if self.max_size < self.min_size:
            raise ConfigError(
                "node_group.max_size",
                self.max_size,
                f"at least min_size ({self.min_size})",
            )
        if not self.min_size <= self.desired_size <= self.max_size:
            raise ConfigError(
                "node_group.desired_size",
                self.desired_size,
                f"min_size <= desired_size <= max_size "
                f"(min_size={self.min_size}, max_size={self.max_size})",
            )
        if self.max_size > MAX_NODES_PER_GROUP:
            raise ConfigError(
                "node_group.max_size", self.max_size, f"at most {MAX_NODES_PER_GROUP}"
            )
        low, high = DISK_SIZE_RANGE_GIB
        if not low <= self.disk_size_gib <= high:
            raise ConfigError(
                "node_group.disk_size_gib",
                self.disk_size_gib,
                f"between {low} and {high} GiB",
            )
        for key, value in self.labels:
            if key == CAPACITY_LABEL:
                raise ConfigError(
                    f"node_group.labels.{key}",
                    value,
                    "no such label: capacity_type sets it (spot or on-demand)",
                )
            if not _LABEL_KEY.match(key) or key.startswith(
                ("kubernetes.io/", "k8s.io/")
            ):
                raise ConfigError(
                    "node_group.labels",
                    key,
                    "a Kubernetes label key outside the reserved kubernetes.io/ "
                    "and k8s.io/ prefixes",
                )
            if not _LABEL_VALUE.match(value):
                raise ConfigError(
                    f"node_group.labels.{key}",
                    value,
                    "a Kubernetes label value (up to 63 of A-Z a-z 0-9 . _ -)",
                )

    @property
    def kubernetes_labels(self) -> dict[str, str]:
        """Every node label: the capacity type's, then the configured ones."""
        capacity = self.capacity_type.lower().replace("_", "-")
        return {CAPACITY_LABEL: capacity, **dict(self.labels)}


@dataclass(frozen=True, kw_only=True)
class VpcCniConfig:
    """Settings of the vpc-cni add-on beyond the fixed Istio Ambient ones."""

    pod_security_groups: bool = False
    """Security groups for pods (ENABLE_POD_ENI); needs trunk-ENI instance types."""

    warm_prefix_target: int = 1
    """Spare /28 prefixes each node keeps attached."""

    def __post_init__(self) -> None:
        if not 0 <= self.warm_prefix_target <= 16:
            raise ConfigError(
                "vpc_cni.warm_prefix_target", self.warm_prefix_target, "0 to 16"
            )


@dataclass(frozen=True, kw_only=True)
class DnsConfig:
    """The Route 53 zones ExternalDNS and cert-manager work in."""

    hosted_zone_ids: tuple[str, ...] = ()
    """Zone ids such as Z0123456789ABCDEFGHIJ; empty allows every zone."""

    def __post_init__(self) -> None:
        for zone in self.hosted_zone_ids:
            if not re.fullmatch(r"Z[A-Z0-9]{1,31}", zone):
                raise ConfigError(
                    "dns.hosted_zone_ids",
                    zone,
                    "Route 53 hosted zone ids such as Z0123456789ABCDEFGHIJ",
                )


@dataclass(frozen=True, kw_only=True)
class Config:
    """Everything that varies between deployments of the compute layer."""

    project: str = "wealist"
    """Project name, the first part of every resource name."""

    environment: str = "prod"
    """Environment name; selects state keys and the name prefix."""

    region: str = "ap-northeast-2"
    """AWS region of the cluster."""

    state: StateConfig = field(default_factory=StateConfig)
    """State bucket, region and lock table ([state] in a file)."""

    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    """The control plane ([cluster])."""

    node_group: NodeGroupConfig = field(default_factory=NodeGroupConfig)
    """The managed node group ([node_group])."""

    vpc_cni: VpcCniConfig = field(default_factory=VpcCniConfig)
    """vpc-cni settings beyond the fixed ones ([vpc_cni])."""

    dns: DnsConfig = field(default_factory=DnsConfig)
    """Route 53 zones of the DNS workloads ([dns])."""

    addon_versions: tuple[tuple[str, str], ...] = ()
    """Add-on versions that replace the table's for this Kubernetes version."""

    workloads: tuple[Workload, ...] = DEFAULT_WORKLOADS
    """Pod Identity bindings, one per workload that calls AWS."""

    def __post_init__(self) -> None:
        for setting, value in (
            ("project", self.project),
            ("environment", self.environment),
        ):
            if not _NAME.match(value):
                raise ConfigError(
                    setting, value, "2-20 lowercase letters, digits and dashes"
                )
        _check_region("region", self.region)

        self._check_name_lengths()

        version = self.cluster.kubernetes_version
        versions.check_ami_type(
            "node_group.ami_type", self.node_group.ami_type, version
        )
        versions.check_addon_overrides(
            "addon_versions", dict(self.addon_versions), version
        )
        if self.vpc_cni.pod_security_groups:
            versions.check_trunk_capable(
                "vpc_cni.pod_security_groups",
                "node_group.instance_types",
                self.node_group.instance_types,
            )
        _check_workloads(self.workloads)

    def _check_name_lengths(self) -> None:
        """Names built from project, environment and keys fit AWS's limits."""
        # IAM allows 64 characters; a name_prefix leaves room for 26 of suffix.
        limits = [
            (f"{self.cluster_name}-cluster-", 38, "the cluster role's name prefix"),
            (
                f"{self.name_prefix}-{self.node_group.name}-eks-node-group-",
                38,
                "the node role's name prefix (with node_group.name)",
            ),
            *(
                (
                    workload.role_name(self.name_prefix),
                    64,
                    f"the {workload.key} role name",
                )
                for workload in self.workloads
            ),
        ]
        for name, limit, what in limits:
            if len(name) > limit:
                raise ConfigError(
                    "environment",
                    self.environment,
                    f"a shorter project or environment: {what} {name!r} has "
                    f"{len(name)} characters, IAM allows {limit}",
                )

    @property
    def name_prefix(self) -> str:
        """Prefix of every resource name, e.g. wealist-prod."""
        return f"{self.project}-{self.environment}"

    @property
    def cluster_name(self) -> str:
        """Name of the EKS cluster, e.g. wealist-prod-eks."""
        return f"{self.name_prefix}-eks"

    @property
    def state_key(self) -> str:
        """Object key of this layer's state."""
        return f"{self.environment}/compute/terraform.tfstate"

    @property
    def foundation_state_key(self) -> str:
        """Object key of the foundation layer's state."""
        return f"{self.environment}/foundation/terraform.tfstate"

    @property
    def stack_name(self) -> str:
        """cdktf stack id and output folder name, e.g. prod-compute."""
        return f"{self.environment}-compute"

    @property
    def tags(self) -> dict[str, str]:
        """Tags every taggable resource carries."""
        return {
            "Project": self.project,
            "Environment": self.environment,
            "Layer": "compute",
            "ManagedBy": "cdktf",
        }

    def addon_version(self, name: str) -> str:
        """The pinned version of one managed add-on for this cluster."""
        overrides = dict(self.addon_versions)
        if name in overrides:
            return overrides[name]
        return versions.addon_version(name, self.cluster.kubernetes_version)


def _is_graviton(instance_type: str) -> bool:
    """Arm families carry a g after their generation: t4g, m7gd, c7gn, is4gen."""
    family = instance_type.split(".")[0]
    match = re.fullmatch(r"[a-z-]+?\d+([a-z-]*)", family)
    return bool(match) and "g" in match.group(1)


def _check_region(setting: str, region: str) -> None:
    if not _REGION.match(region):
        raise ConfigError(setting, region, "an AWS region name such as ap-northeast-2")


def _check_cidr(setting: str, cidr: str) -> None:
    try:
        network = ipaddress.IPv4Network(cidr, strict=True)
    except ValueError as error:
        raise ConfigError(
            setting,
            cidr,
            f"an IPv4 network in CIDR form, e.g. 203.0.113.0/24 ({error})",
        ) from None
    if "/" not in cidr:
        raise ConfigError(
            setting, cidr, "a CIDR with its prefix length, e.g. 203.0.113.7/32"
        )
    if any(network.subnet_of(private) for private in _NON_PUBLIC_NETWORKS):
        raise ConfigError(
            setting,
            cidr,
            "a public range: private addresses reach the cluster through the "
            "private endpoint, never the public one",
        )


def _check_workloads(workloads: tuple[Workload, ...]) -> None:
    seen_keys: set[str] = set()
    seen_accounts: dict[tuple[str, str], str] = {}
    for workload in workloads:
        if workload.key in seen_keys:
            raise ConfigError("workloads", workload.key, "each workload once")
        seen_keys.add(workload.key)
        account = (workload.namespace, workload.service_account)
        if account in seen_accounts:
            raise ConfigError(
                f"workloads.{workload.key}",
                f"{workload.namespace}/{workload.service_account}",
                f"a namespace/service account not bound already "
                f"(taken by {seen_accounts[account]})",
            )
        seen_accounts[account] = workload.key
