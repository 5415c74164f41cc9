"""EKS managed add-ons, pinned per Kubernetes version, in a working order.

vpc-cni must be configured before the first node boots: a node reads its
max-pods value at boot, and only a CNI with prefix delegation already on
gives it the prefix-mode value. coredns and the EBS CSI controller are
Deployments that stay DEGRADED until nodes exist, so they come after the node
group. The DaemonSet add-ons have no such need and come first.
"""

import json
from dataclasses import dataclass

from wealist.config import Config


@dataclass(frozen=True, kw_only=True)
class Addon:
    """One managed add-on and when it is created."""

    name: str
    """EKS add-on name."""

    before_nodes: bool
    """Created before the node group (True) or after it (False)."""

    workload: str | None = None
    """Pod Identity workload whose association must exist before the add-on."""


ADDONS = (
    Addon(name="vpc-cni", before_nodes=True),
    Addon(name="kube-proxy", before_nodes=True),
    Addon(name="eks-pod-identity-agent", before_nodes=True),
    Addon(name="coredns", before_nodes=False),
    Addon(name="aws-ebs-csi-driver", before_nodes=False, workload="ebs-csi-driver"),
)


def vpc_cni_configuration(config: Config) -> str:
    """The vpc-cni add-on's configuration values, every env value a string."""
    env = {
        # Istio Ambient needs the standard enforcing mode.
        "POD_SECURITY_GROUP_ENFORCING_MODE": "standard",
        "ENABLE_PREFIX_DELEGATION": "true",
        "WARM_PREFIX_TARGET": str(config.vpc_cni.warm_prefix_target),
    }
    if config.vpc_cni.pod_security_groups:
        env["ENABLE_POD_ENI"] = "true"
    return json.dumps({"env": env}, sort_keys=True, separators=(",", ":"))
