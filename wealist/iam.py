"""IAM documents shared by the layer's roles."""

import json

from wealist.cdk import Construct, IamRole, IamRolePolicyAttachment


def trust_policy(
    service: str,
    actions: tuple[str, ...] = ("sts:AssumeRole",),
    condition: dict | None = None,
) -> str:
    """A role trust policy that lets one AWS service principal assume the role."""
    statement: dict = {
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": list(actions),
    }
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def managed_policy_arn(partition: str, name: str) -> str:
    """ARN of an AWS managed policy."""
    return f"arn:{partition}:iam::aws:policy/{name}"


def attach_policies(
    scope: Construct, role: IamRole, arns_by_id: dict[str, str]
) -> list[IamRolePolicyAttachment]:
    """Attach policies to a role; each id becomes the attachment's address."""
    return [
        IamRolePolicyAttachment(scope, id_, role=role.name, policy_arn=arn)
        for id_, arn in arns_by_id.items()
    ]
