"""The Pod Identity table: every workload that calls AWS, one entry each."""

import re
from dataclasses import dataclass

from wealist.errors import ConfigError

# Kubernetes namespaces and service accounts are DNS-1123 labels.
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_KEY = re.compile(r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$")


@dataclass(frozen=True, kw_only=True)
class Workload:
    """One Kubernetes service account bound to one IAM role."""

    key: str
    """Stable identifier; names the role and the Terraform addresses."""

    namespace: str
    """Namespace of the service account."""

    service_account: str
    """Service account the pods run as."""

    policy: str
    """Key of the permission set in wealist.policies."""

    policy_name: str
    """Name of the role's inline policy."""

    description: str
    """What the workload is, for the role description and the summary."""

    def __post_init__(self) -> None:
        if not _KEY.match(self.key):
            raise ConfigError(
                "workloads", self.key, "a key of 2-32 lowercase letters, digits, dashes"
            )
        for setting, value in (
            ("namespace", self.namespace),
            ("service_account", self.service_account),
        ):
            if not _DNS_LABEL.match(value):
                raise ConfigError(
                    f"workloads.{self.key}.{setting}",
                    value,
                    "a DNS-1123 label: 1-63 lowercase letters, digits and '-', "
                    "starting and ending alphanumeric",
                )

    @property
    def address(self) -> str:
        """The key as it appears in Terraform addresses."""
        return self.key.replace("-", "_")

    def role_name(self, name_prefix: str) -> str:
        """Name of the workload's IAM role, the HCL layer's naming."""
        return f"{name_prefix}-{self.key}-pod-identity"


DEFAULT_WORKLOADS: tuple[Workload, ...] = (
    Workload(
        key="alb-controller",
        namespace="kube-system",
        service_account="aws-load-balancer-controller",
        policy="aws-load-balancer-controller",
        policy_name="alb-controller",
        description="AWS Load Balancer Controller",
    ),
    Workload(
        key="external-secrets",
        namespace="external-secrets",
        service_account="external-secrets",
        policy="external-secrets",
        policy_name="secrets-access",
        description="External Secrets Operator",
    ),
    Workload(
        key="external-dns",
        namespace="external-dns",
        service_account="external-dns",
        policy="external-dns",
        policy_name="route53-access",
        description="ExternalDNS",
    ),
    Workload(
        key="cert-manager",
        namespace="cert-manager",
        service_account="cert-manager",
        policy="cert-manager",
        policy_name="route53-dns01",
        description="cert-manager DNS-01 solver",
    ),
    Workload(
        key="storage-service",
        namespace="wealist-prod",
        service_account="storage-service",
        policy="storage-service",
        policy_name="s3-access",
        description="weAlist storage service",
    ),
    Workload(
        key="cluster-autoscaler",
        namespace="kube-system",
        service_account="cluster-autoscaler",
        policy="cluster-autoscaler",
        policy_name="autoscaler",
        description="Cluster Autoscaler",
    ),
    Workload(
        key="ebs-csi-driver",
        namespace="kube-system",
        service_account="ebs-csi-controller-sa",
        policy="ebs-csi-driver",
        policy_name="ebs-csi",
        description="EBS CSI driver controller (aws-ebs-csi-driver add-on)",
    ),
)
