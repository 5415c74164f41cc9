"""IAM permissions of the EKS Pod Identity workloads, as plain policy documents."""

import json
from pathlib import Path
from typing import Any

from wealist.policies._registry import BUILDERS, MANAGED_POLICIES, REFERENCED, known
from wealist.policies._scope import PolicyScope

__all__ = [
    "POLICY_KEYS",
    "REFERENCED_KEYS",
    "PolicyScope",
    "inline_policy",
    "load_reference",
    "managed_policy_arns",
]

POLICY_KEYS: tuple[str, ...] = tuple(BUILDERS)
REFERENCED_KEYS: tuple[str, ...] = REFERENCED


def inline_policy(key: str, scope: PolicyScope) -> dict[str, Any] | None:
    """The workload's inline policy document, or None if it has managed ones only."""
    builder = BUILDERS[known(key)]
    return None if builder is None else builder(scope)


def managed_policy_arns(key: str, partition: str) -> tuple[str, ...]:
    """ARNs of the AWS managed policies the workload's role attaches."""
    names = MANAGED_POLICIES.get(known(key), ())
    return tuple(f"arn:{partition}:iam::aws:policy/{name}" for name in names)


def load_reference(key: str) -> dict[str, Any]:
    """The upstream policy the workload's permissions were taken from."""
    known(key, REFERENCED_KEYS, "policy key with a reference")
    path = Path(__file__).parent / "reference" / f"{key}.json"
    return json.loads(path.read_text(encoding="utf-8"))
