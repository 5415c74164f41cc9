"""The policies in the stack are the builders' documents, scoped to the layer.

tests/test_policies.py holds the builders to their upstream references; this
ties the synthesized roles to the builders, with Terraform's own references
in place of the scope.
"""

import json

import pytest

from wealist.config import Config
from wealist.policies import PolicyScope, inline_policy, managed_policy_arns

FOUNDATION = "data.terraform_remote_state.foundation_state.outputs"
PARTITION = "${data.aws_partition.partition.partition}"
STACK_SCOPE = PolicyScope(
    partition=PARTITION,
    region="ap-northeast-2",
    account_id="${data.aws_caller_identity.caller.account_id}",
    cluster_name="wealist-prod-eks",
    kms_key_arn=f"${{try({FOUNDATION}.kms_key_arn, null)}}",
    storage_bucket_arn=f"${{try({FOUNDATION}.s3_bucket_arn, null)}}",
    vpc_id=f"${{try({FOUNDATION}.vpc_id, null)}}",
)
WORKLOADS = Config().workloads


@pytest.mark.parametrize("workload", WORKLOADS, ids=[w.key for w in WORKLOADS])
def test_inline_policy_is_the_builders(default_synthesis, workload):
    expected = inline_policy(workload.policy, STACK_SCOPE)
    policies = default_synthesis.resources("aws_iam_role_policy")
    name = f"pod_identity_{workload.address}_policy"
    if expected is None:
        assert name not in policies
        return
    policy = policies[name]
    assert json.loads(policy["policy"]) == expected
    assert policy["name"] == workload.policy_name
    assert (
        policy["role"] == f"${{aws_iam_role.pod_identity_{workload.address}_role.name}}"
    )


@pytest.mark.parametrize("workload", WORKLOADS, ids=[w.key for w in WORKLOADS])
def test_managed_policies_are_the_builders(default_synthesis, workload):
    attached = {
        attachment["policy_arn"]
        for name, attachment in default_synthesis.resources(
            "aws_iam_role_policy_attachment"
        ).items()
        if name.startswith(f"pod_identity_{workload.address}_")
    }
    assert attached == set(managed_policy_arns(workload.policy, PARTITION))


def test_no_role_in_the_stack_allows_everything(default_synthesis):
    documents = [
        json.loads(policy["policy"])
        for policy in default_synthesis.resources("aws_iam_role_policy").values()
    ]
    for document in documents:
        for statement in document["Statement"]:
            actions = statement["Action"]
            actions = [actions] if isinstance(actions, str) else actions
            assert "*" not in actions, statement.get("Sid")
            assert not any(action.endswith(":*") for action in actions), statement.get(
                "Sid"
            )
