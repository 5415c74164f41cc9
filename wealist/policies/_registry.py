"""Which builder, managed policies and reference file belong to each key."""

from collections.abc import Callable
from typing import Any

from wealist.policies._autoscaler import cluster_autoscaler
from wealist.policies._load_balancer import load_balancer_controller
from wealist.policies._route53 import cert_manager, external_dns
from wealist.policies._scope import PolicyScope
from wealist.policies._secrets import external_secrets
from wealist.policies._storage import storage_service

Builder = Callable[[PolicyScope], dict[str, Any]]

BUILDERS: dict[str, Builder | None] = {
    "aws-load-balancer-controller": load_balancer_controller,
    "external-secrets": external_secrets,
    "external-dns": external_dns,
    "cert-manager": cert_manager,
    "storage-service": storage_service,
    "cluster-autoscaler": cluster_autoscaler,
    "ebs-csi-driver": None,
}

# AWS managed policies by name, under arn:<partition>:iam::aws:policy/.
MANAGED_POLICIES: dict[str, tuple[str, ...]] = {
    "ebs-csi-driver": ("service-role/AmazonEBSCSIDriverPolicy",),
}

# storage-service is our own application: nothing upstream to compare with.
REFERENCED: tuple[str, ...] = tuple(key for key in BUILDERS if key != "storage-service")


def known(
    key: str, keys: tuple[str, ...] = tuple(BUILDERS), kind: str = "policy key"
) -> str:
    """Return the key, or raise KeyError listing the keys that exist."""
    if key not in keys:
        raise KeyError(f"unknown {kind} {key!r}; known keys: {', '.join(keys)}")
    return key
