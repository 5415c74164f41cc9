"""Where a workload's permissions apply, and the ARNs built from it."""

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class PolicyScope:
    """Where a workload's permissions apply."""

    partition: str
    region: str
    account_id: str
    cluster_name: str
    kms_key_arn: str
    storage_bucket_arn: str
    secrets_prefix: str = "wealist/"
    parameters_prefix: str = "/wealist/"


def regional_arn(scope: PolicyScope, service: str, resource: str) -> str:
    """An ARN in the scope's partition, region and account."""
    return (
        f"arn:{scope.partition}:{service}:{scope.region}:{scope.account_id}:{resource}"
    )
