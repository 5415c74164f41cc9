"""Kubernetes versions the layer supports and what each one pins.

One table per fact: managed add-on builds per Kubernetes minor, the node AMI
types EKS publishes per minor, and the instance families that can give pods
their own security groups.

Sources, compiled 2026-12-04: the add-on pages of the EKS user guide
(managing-vpc-cni, managing-coredns, managing-kube-proxy, the EBS CSI and
Pod Identity agent pages) and public configurations pinning these builds; the
EKS Kubernetes version calendar (kubernetes-versions page, as recorded by
endoflife.date); aws/amazon-vpc-resource-controller-k8s pkg/aws/vpc/limits.go.
Check with `aws eks describe-addon-versions --kubernetes-version 1.NN` before
an upgrade.
"""

import re

from wealist.errors import ConfigError

ADDON_NAMES = (
    "vpc-cni",
    "kube-proxy",
    "coredns",
    "aws-ebs-csi-driver",
    "eks-pod-identity-agent",
)

# Managed add-on builds that EKS lists as compatible with each Kubernetes
# minor (`aws eks describe-addon-versions --kubernetes-version 1.NN`).
# kube-proxy and coredns are built per minor; a kube-proxy of another minor is
# the classic skew failure, so its version must name the cluster's minor.
ADDON_VERSIONS: dict[str, dict[str, str]] = {
    "1.32": {
        "vpc-cni": "v1.21.1-eksbuild.7",
        "kube-proxy": "v1.32.13-eksbuild.16",
        "coredns": "v1.11.4-eksbuild.40",
        "aws-ebs-csi-driver": "v1.63.1-eksbuild.1",
        "eks-pod-identity-agent": "v1.3.10-eksbuild.2",
    },
    "1.33": {
        "vpc-cni": "v1.21.1-eksbuild.7",
        "kube-proxy": "v1.33.10-eksbuild.13",
        "coredns": "v1.12.4-eksbuild.18",
        "aws-ebs-csi-driver": "v1.63.1-eksbuild.1",
        "eks-pod-identity-agent": "v1.3.10-eksbuild.2",
    },
    "1.34": {
        "vpc-cni": "v1.21.1-eksbuild.7",
        "kube-proxy": "v1.34.6-eksbuild.13",
        "coredns": "v1.13.2-eksbuild.11",
        "aws-ebs-csi-driver": "v1.63.1-eksbuild.1",
        "eks-pod-identity-agent": "v1.3.10-eksbuild.2",
    },
    "1.35": {
        "vpc-cni": "v1.21.1-eksbuild.7",
        "kube-proxy": "v1.35.3-eksbuild.13",
        "coredns": "v1.14.3-eksbuild.3",
        "aws-ebs-csi-driver": "v1.63.1-eksbuild.1",
        "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
    },
}

# End of standard support per minor (EKS release calendar); after it the
# control plane is billed at the extended-support rate until auto-upgraded.
STANDARD_SUPPORT_ENDS = {
    "1.32": "2026-03-23",
    "1.33": "2026-07-29",
    "1.34": "2026-12-02",
    "1.35": "2027-03-27",
}

SUPPORTED_KUBERNETES_VERSIONS = tuple(ADDON_VERSIONS)

# AMI types EKS managed node groups offer per minor: Amazon Linux 2 images
# stop at 1.32, AL2023 and Bottlerocket cover every supported minor.
_AL2_LAST_MINOR = 32
# Only x86 Amazon Linux: the launch template sizes /dev/xvda, their root
# volume (Bottlerocket's is its OS volume), and the instance types are x86.
AMI_TYPES = ("AL2023_x86_64_STANDARD", "AL2_x86_64")

# Instance families without trunk ENI support, so without security groups for
# pods (amazon-vpc-resource-controller-k8s, limits.go: IsTrunkingCompatible).
_NO_TRUNK_FAMILIES = (
    "t1",
    "t2",
    "t3",
    "t3a",
    "t4g",
    "m1",
    "m2",
    "m3",
    "c1",
    "c3",
    "r3",
    "i2",
)

_VERSION = re.compile(r"^1\.(\d{2})$")
_ADDON_VERSION = re.compile(r"^v\d+\.\d+\.\d+-eksbuild\.\d+$")


def check_kubernetes_version(setting: str, version: object) -> None:
    """Reject anything but a supported "1.NN" string, showing what was read."""
    allowed = f'a string, one of {", ".join(SUPPORTED_KUBERNETES_VERSIONS)}'
    if not isinstance(version, str):
        raise ConfigError(
            setting,
            version,
            f"{allowed} (a number such as 1.30 reads as {float(1.30)!r}: quote it)",
        )
    if not _VERSION.match(version) or version not in ADDON_VERSIONS:
        raise ConfigError(setting, version, allowed)


def addon_version(name: str, kubernetes_version: str) -> str:
    """The table's build of one add-on for one Kubernetes minor."""
    return ADDON_VERSIONS[kubernetes_version][name]


def check_addon_overrides(
    setting: str, overrides: dict[str, str], kubernetes_version: str
) -> None:
    """Accept only well-formed builds of known add-ons for this minor."""
    for name, version in overrides.items():
        if name not in ADDON_NAMES:
            raise ConfigError(
                f"{setting}.{name}", version, f"one of {list(ADDON_NAMES)}"
            )
        if not isinstance(version, str) or not _ADDON_VERSION.match(version):
            raise ConfigError(
                f"{setting}.{name}",
                version,
                "an EKS add-on build such as v1.20.4-eksbuild.2",
            )
        if name == "kube-proxy" and not version.startswith(f"v{kubernetes_version}."):
            raise ConfigError(
                f"{setting}.{name}",
                version,
                f"a kube-proxy build of the cluster's minor, v{kubernetes_version}.x",
            )


def check_ami_type(setting: str, ami_type: str, kubernetes_version: str) -> None:
    """Reject AMI types EKS does not publish for the chosen minor."""
    if ami_type not in AMI_TYPES:
        raise ConfigError(setting, ami_type, f"one of {list(AMI_TYPES)}")
    minor = int(kubernetes_version.split(".")[1])
    if ami_type.startswith("AL2_") and minor > _AL2_LAST_MINOR:
        raise ConfigError(
            setting,
            ami_type,
            f"an AMI type published for Kubernetes {kubernetes_version}; "
            f"Amazon Linux 2 images end at 1.{_AL2_LAST_MINOR}, use AL2023_x86_64_STANDARD",
        )


def check_trunk_capable(
    setting: str, instance_types_setting: str, instance_types: tuple[str, ...]
) -> None:
    """Security groups for pods need trunk ENIs on every node type."""
    for instance_type in instance_types:
        if instance_type.split(".")[0] in _NO_TRUNK_FAMILIES:
            raise ConfigError(
                setting,
                True,
                f"false while {instance_types_setting} includes {instance_type}, "
                f"which has no trunk ENI for pod security groups",
            )
