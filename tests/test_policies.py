"""The Pod Identity policies: upstream parity and the security rules they keep."""

import copy
import dataclasses
import fnmatch
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wealist.policies import (
    POLICY_KEYS,
    REFERENCED_KEYS,
    PolicyScope,
    inline_policy,
    load_reference,
    managed_policy_arns,
)

# A partition other than "aws", so a hard-coded "arn:aws:" cannot pass.
P, REGION, ACCOUNT = "aws-us-gov", "us-gov-west-1", "210987654321"
KMS_KEY = f"arn:{P}:kms:{REGION}:{ACCOUNT}:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
BUCKET = f"arn:{P}:s3:::wealist-prod-storage"
VPC_ID = "vpc-0a1b2c3d4e5f60718"
SCOPE = PolicyScope(
    partition=P,
    region=REGION,
    account_id=ACCOUNT,
    cluster_name="wealist-prod",
    kms_key_arn=KMS_KEY,
    storage_bucket_arn=BUCKET,
    vpc_id=VPC_ID,
)
INLINE_KEYS = tuple(key for key in POLICY_KEYS if inline_policy(key, SCOPE))

Grant = tuple[str, str, str]
"""(action, resource, condition as canonical JSON or "")."""

# Actions that only read. Everything else counts as a write.
_READ_VERBS = ("Describe", "Get", "List", "BatchGet")

# Write actions a workload may hold on Resource "*", each with its reason.
WRITES_ON_ANY: dict[str, frozenset[str]] = {
    "aws-load-balancer-controller": frozenset(
        {
            # Authorized on the new group and on the VPC; upstream needs "*".
            "ec2:CreateSecurityGroup",
            # Pinned by condition to the ELB service-linked role.
            "iam:CreateServiceLinkedRole",
            # Web ACLs and Shield protections are named by Ingress annotations
            # and may be owned outside this layer (Firewall Manager, Shield).
            "waf-regional:AssociateWebACL",
            "waf-regional:DisassociateWebACL",
            "wafv2:AssociateWebACL",
            "wafv2:DisassociateWebACL",
            "shield:CreateProtection",
            "shield:DeleteProtection",
        }
    ),
}

# Upstream resource placeholders and the scope values that replace them.
PLACEHOLDERS: dict[str, tuple[tuple[str, str], ...]] = {
    "aws-load-balancer-controller": (
        ("arn:aws:", f"arn:{P}:"),
        # Narrowed: upstream's any-region, any-account ELB and EC2 ARNs.
        (":*:*:", f":{REGION}:{ACCOUNT}:"),
    ),
    "external-secrets": (
        ("arn:aws:", f"arn:{P}:"),
        # Narrowed: the example "dev-" names become our prefixes.
        ("us-west-2:111122223333:secret:dev-", f"{REGION}:{ACCOUNT}:secret:wealist/"),
        (
            "us-east-2:1234567889911:parameter/dev-",
            f"{REGION}:{ACCOUNT}:parameter/wealist/",
        ),
    ),
    "external-dns": (("arn:aws:", f"arn:{P}:"),),
    "cert-manager": (("arn:aws:", f"arn:{P}:"),),
    "cluster-autoscaler": (("arn:aws:", f"arn:{P}:"),),
}

# Narrowed: upstream writes on "*" that we pin to ARNs, by service.
PINNED_ANY: dict[str, dict[str, str]] = {
    "aws-load-balancer-controller": {
        "elasticloadbalancing": f"arn:{P}:elasticloadbalancing:{REGION}:{ACCOUNT}:*",
        "ec2": f"arn:{P}:ec2:{REGION}:{ACCOUNT}:security-group/*",
    },
    "cluster-autoscaler": {
        "autoscaling": (
            f"arn:{P}:autoscaling:{REGION}:{ACCOUNT}"
            ":autoScalingGroup:*:autoScalingGroupName/*"
        ),
    },
}

# Upstream wildcard actions and the actions we grant in their place.
EXPANSIONS: dict[str, tuple[str, ...]] = {
    # GetParameterHistory, which the wildcard also matches, is left out.
    "ssm:GetParameter*": (
        "ssm:GetParameter",
        "ssm:GetParameters",
        "ssm:GetParametersByPath",
    ),
}

_OWNED_GROUPS = {
    "StringEquals": {
        "aws:ResourceTag/k8s.io/cluster-autoscaler/wealist-prod": "owned",
    }
}
# Narrowed: conditions we add to upstream grants, by action.
_IN_OUR_VPC = {"ArnEquals": {"ec2:Vpc": f"arn:{P}:ec2:{REGION}:{ACCOUNT}:vpc/{VPC_ID}"}}
ADDED_CONDITIONS: dict[str, dict[str, dict[str, Any]]] = {
    "aws-load-balancer-controller": {
        "ec2:AuthorizeSecurityGroupIngress": _IN_OUR_VPC,
        "ec2:RevokeSecurityGroupIngress": _IN_OUR_VPC,
    },
    "cluster-autoscaler": {
        "autoscaling:SetDesiredCapacity": _OWNED_GROUPS,
        "autoscaling:TerminateInstanceInAutoScalingGroup": _OWNED_GROUPS,
    },
}

_SECRET_READS = (
    "secretsmanager:GetResourcePolicy",
    "secretsmanager:GetSecretValue",
    "secretsmanager:DescribeSecret",
    "secretsmanager:ListSecretVersionIds",
)
_VIA_SECRET_STORES = {
    "StringEquals": {
        "kms:ViaService": [
            f"secretsmanager.{REGION}.amazonaws.com",
            f"ssm.{REGION}.amazonaws.com",
        ]
    }
}
# Grants beyond upstream, each with its reason: (action, resource, condition).
ADDED_GRANTS: dict[str, list[tuple[str, str, dict[str, Any] | None]]] = {
    "external-secrets": [
        # RDS-managed master user secrets, named "rds!<id>".
        *(
            (action, f"arn:{P}:secretsmanager:{REGION}:{ACCOUNT}:secret:rds!*", None)
            for action in _SECRET_READS
        ),
        # Our secrets and SecureStrings use the layer's customer-managed key.
        ("kms:Decrypt", KMS_KEY, _VIA_SECRET_STORES),
    ],
}


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _canonical(condition: dict[str, Any] | None) -> str:
    """Condition as JSON with scalar values as one-item lists, keys sorted."""
    if not condition:
        return ""
    return json.dumps(
        {
            test: {key: sorted(_as_list(value)) for key, value in pairs.items()}
            for test, pairs in condition.items()
        },
        sort_keys=True,
    )


def _is_write(action: str) -> bool:
    return not action.split(":", 1)[1].startswith(_READ_VERBS)


def _statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    return list(document["Statement"])


def _grants(document: dict[str, Any]) -> set[Grant]:
    return {
        (action, resource, _canonical(statement.get("Condition")))
        for statement in _statements(document)
        for action in _as_list(statement["Action"])
        for resource in _as_list(statement["Resource"])
    }


def _substitute(key: str, text: str) -> str:
    for old, new in PLACEHOLDERS.get(key, ()):
        text = text.replace(old, new)
    return text


def _expected_grants(key: str) -> set[Grant]:
    """The reference's grants mapped onto SCOPE, plus our declared additions."""
    expected: set[Grant] = set()
    for statement in load_reference(key)["policy"]["Statement"]:
        condition = json.loads(_substitute(key, json.dumps(statement.get("Condition"))))
        for listed in _as_list(statement["Action"]):
            for action in EXPANSIONS.get(listed, (listed,)):
                added = ADDED_CONDITIONS.get(key, {}).get(action, {})
                for resource in _as_list(statement["Resource"]):
                    resource = _substitute(key, resource)
                    service = action.split(":")[0]
                    pinned = PINNED_ANY.get(key, {}).get(service)
                    if resource == "*" and pinned and _is_write(action):
                        if action not in WRITES_ON_ANY.get(key, ()):
                            resource = pinned
                    expected.add(
                        (action, resource, _canonical({**(condition or {}), **added}))
                    )
    for action, resource, condition in ADDED_GRANTS.get(key, []):
        expected.add((action, resource, _canonical(condition)))
    return expected


def _where(key: str, statement: dict[str, Any]) -> str:
    return f"{key}, Sid {statement.get('Sid', '<none>')}"


# ---- upstream parity -------------------------------------------------------

INLINE_REFERENCED = tuple(key for key in REFERENCED_KEYS if key in INLINE_KEYS)


@pytest.mark.parametrize("key", INLINE_REFERENCED)
def test_policy_grants_exactly_the_mapped_reference(key: str) -> None:
    ours = _grants(inline_policy(key, SCOPE))
    expected = _expected_grants(key)
    missing = sorted(expected - ours)
    extra = sorted(ours - expected)
    assert not missing, f"{key}: reference grants we lack: {missing}"
    assert not extra, f"{key}: grants beyond the reference: {extra}"


@pytest.mark.parametrize("key", INLINE_REFERENCED)
def test_no_action_beyond_the_reference(key: str) -> None:
    published = [
        action
        for statement in load_reference(key)["policy"]["Statement"]
        for action in _as_list(statement["Action"])
    ]
    added = {action for action, _, _ in ADDED_GRANTS.get(key, [])}
    for statement in _statements(inline_policy(key, SCOPE)):
        for action in statement["Action"]:
            assert action in added or any(
                fnmatch.fnmatchcase(action, pattern) for pattern in published
            ), f"{_where(key, statement)}: {action} is not in the reference"


@pytest.mark.parametrize("key", INLINE_REFERENCED)
def test_every_reference_action_is_granted(key: str) -> None:
    ours = {action for action, _, _ in _grants(inline_policy(key, SCOPE))}
    for statement in load_reference(key)["policy"]["Statement"]:
        for listed in _as_list(statement["Action"]):
            for action in EXPANSIONS.get(listed, (listed,)):
                assert action in ours, f"{key}: reference action {action} missing"


def test_ebs_csi_driver_uses_the_referenced_managed_policy_only() -> None:
    reference = load_reference("ebs-csi-driver")
    assert reference["policy"] is None
    assert inline_policy("ebs-csi-driver", SCOPE) is None
    assert managed_policy_arns("ebs-csi-driver", P) == tuple(
        arn.replace("arn:aws:", f"arn:{P}:") for arn in reference["managed_policy_arns"]
    )


@pytest.mark.parametrize("key", REFERENCED_KEYS)
def test_reference_file_names_its_source(key: str) -> None:
    reference = load_reference(key)
    assert reference["workload"] == key
    for field in ("project", "version", "source"):
        assert reference[field], f"{key}: reference lacks {field}"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", reference["retrieved"])
    if reference["policy"] is not None:
        assert reference["policy"]["Version"] == "2012-10-17"


def test_reference_files_match_referenced_keys() -> None:
    folder = Path(__file__).parents[1] / "wealist" / "policies" / "reference"
    assert sorted(path.stem for path in folder.glob("*.json")) == sorted(
        REFERENCED_KEYS
    )


# ---- security rules ----------------------------------------------------------

Rule = Callable[[str, dict[str, Any]], list[str]]


def rule_version(key: str, document: dict[str, Any]) -> list[str]:
    """The document uses the current policy language version."""
    version = document.get("Version")
    return [] if version == "2012-10-17" else [f"{key}: Version is {version!r}"]


def rule_sids(key: str, document: dict[str, Any]) -> list[str]:
    """Every statement has a unique, alphanumeric Sid."""
    problems = []
    sids = [statement.get("Sid", "") for statement in _statements(document)]
    for sid in sids:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{2,}", sid):
            problems.append(f"{key}: Sid {sid!r} is not a readable alphanumeric name")
    duplicates = {sid for sid in sids if sids.count(sid) > 1}
    if duplicates:
        problems.append(f"{key}: duplicate Sids {sorted(duplicates)}")
    return problems


def rule_plain_allow(key: str, document: dict[str, Any]) -> list[str]:
    """Only Allow statements with Action and Resource, no Not* or Principal."""
    allowed = {"Sid", "Effect", "Action", "Resource", "Condition"}
    problems = []
    for statement in _statements(document):
        if statement.get("Effect") != "Allow":
            problems.append(f"{_where(key, statement)}: Effect is not Allow")
        if set(statement) - allowed:
            problems.append(
                f"{_where(key, statement)}: has {sorted(set(statement) - allowed)}"
            )
        if not statement.get("Action") or not statement.get("Resource"):
            problems.append(f"{_where(key, statement)}: empty Action or Resource")
    return problems


def rule_no_wildcard_action(key: str, document: dict[str, Any]) -> list[str]:
    """No "*", no "service:*", no wildcard in any action."""
    return [
        f"{_where(key, statement)}: wildcard action {action!r}"
        for statement in _statements(document)
        for action in _as_list(statement.get("Action", []))
        if "*" in action or "?" in action or ":" not in action
    ]


def rule_partition(key: str, document: dict[str, Any]) -> list[str]:
    """Every ARN is in the scope's partition."""
    return [
        f"{_where(key, statement)}: {resource} is not in partition {P}"
        for statement in _statements(document)
        for resource in _as_list(statement.get("Resource", []))
        if resource != "*" and not resource.startswith(f"arn:{P}:")
    ]


def rule_region_and_account(key: str, document: dict[str, Any]) -> list[str]:
    """ARNs that name a region and account name the scope's, never a wildcard."""
    problems = []
    for statement in _statements(document):
        for resource in _as_list(statement.get("Resource", [])):
            if resource == "*":
                continue
            _, _, _, region, account, _ = resource.split(":", 5)
            if region not in ("", REGION) or account not in ("", ACCOUNT):
                problems.append(f"{_where(key, statement)}: {resource} leaves scope")
    return problems


def rule_writes_on_any(key: str, document: dict[str, Any]) -> list[str]:
    """Writes on "*" only where the workload's allow-list says why."""
    allowed = WRITES_ON_ANY.get(key, frozenset())
    return [
        f"{_where(key, statement)}: write {action} on '*' is not allow-listed"
        for statement in _statements(document)
        if "*" in _as_list(statement.get("Resource", []))
        for action in _as_list(statement.get("Action", []))
        if _is_write(action) and action not in allowed
    ]


_BUCKET_LEVEL = {"s3:ListBucket", "s3:GetBucketLocation"}


def rule_s3_scoping(key: str, document: dict[str, Any]) -> list[str]:
    """Bucket actions on the bucket ARN only, object actions on its keys only."""
    problems = []
    for statement in _statements(document):
        actions = [a for a in _as_list(statement.get("Action", [])) if a[:3] == "s3:"]
        if not actions:
            continue
        bucket = {a for a in actions if a in _BUCKET_LEVEL}
        wanted = [BUCKET] if bucket else [f"{BUCKET}/*"]
        if bucket and len(bucket) != len(actions):
            problems.append(
                f"{_where(key, statement)}: mixes bucket and object actions"
            )
        if _as_list(statement.get("Resource", [])) != wanted:
            problems.append(
                f"{_where(key, statement)}: {sorted(actions)} must be on {wanted}"
            )
    return problems


def rule_kms_key_only(key: str, document: dict[str, Any]) -> list[str]:
    """KMS: Decrypt only, on the scope's key only."""
    problems = []
    for statement in _statements(document):
        actions = [a for a in _as_list(statement.get("Action", [])) if a[:4] == "kms:"]
        if not actions:
            continue
        if actions != ["kms:Decrypt"]:
            problems.append(f"{_where(key, statement)}: KMS actions {actions}")
        if _as_list(statement.get("Resource", [])) != [KMS_KEY]:
            problems.append(f"{_where(key, statement)}: KMS beyond {KMS_KEY}")
    return problems


_NO_RESOURCE_LEVEL = {
    "secretsmanager:ListSecrets",
    "secretsmanager:BatchGetSecretValue",
}
_SECRET_PATTERNS = (
    f"arn:{P}:secretsmanager:{REGION}:{ACCOUNT}:secret:wealist/*",
    f"arn:{P}:secretsmanager:{REGION}:{ACCOUNT}:secret:rds!*",
)
_PARAMETER_PATTERNS = (f"arn:{P}:ssm:{REGION}:{ACCOUNT}:parameter/wealist/*",)


def rule_secrets_under_prefixes(key: str, document: dict[str, Any]) -> list[str]:
    """Secrets and parameters are read under the scope's prefixes only."""
    problems = []
    for statement in _statements(document):
        resources = _as_list(statement.get("Resource", []))
        for action in _as_list(statement.get("Action", [])):
            service = action.split(":")[0]
            if service not in ("secretsmanager", "ssm"):
                continue
            if _is_write(action):
                problems.append(f"{_where(key, statement)}: {action} writes")
            elif action in _NO_RESOURCE_LEVEL:
                if resources != ["*"]:
                    problems.append(f"{_where(key, statement)}: {action} needs '*'")
            else:
                patterns = (
                    _SECRET_PATTERNS
                    if service == "secretsmanager"
                    else _PARAMETER_PATTERNS
                )
                for resource in resources:
                    if resource not in patterns:
                        problems.append(
                            f"{_where(key, statement)}: {action} on {resource}"
                        )
    return problems


def rule_iam(key: str, document: dict[str, Any]) -> list[str]:
    """IAM: certificate reads, and service-linked roles pinned to one service."""
    problems = []
    for statement in _statements(document):
        for action in _as_list(statement.get("Action", [])):
            if not action.startswith("iam:"):
                continue
            if action == "iam:CreateServiceLinkedRole":
                condition = statement.get("Condition", {}).get("StringEquals", {})
                if "iam:AWSServiceName" not in condition:
                    problems.append(f"{_where(key, statement)}: {action} unpinned")
            elif action not in (
                "iam:ListServerCertificates",
                "iam:GetServerCertificate",
            ):
                problems.append(f"{_where(key, statement)}: {action} not allowed")
    return problems


# Inline policies of one role share 10,240 characters, whitespace excluded.
_INLINE_LIMIT = 10_240


def rule_size(key: str, document: dict[str, Any]) -> list[str]:
    """The document fits IAM's inline role policy quota."""
    size = len(re.sub(r"\s", "", json.dumps(document)))
    return [] if size <= _INLINE_LIMIT else [f"{key}: {size} characters"]


RULES: dict[str, Rule] = {
    "version": rule_version,
    "sids": rule_sids,
    "plain-allow": rule_plain_allow,
    "no-wildcard-action": rule_no_wildcard_action,
    "partition": rule_partition,
    "region-and-account": rule_region_and_account,
    "writes-on-any": rule_writes_on_any,
    "s3-scoping": rule_s3_scoping,
    "kms-key-only": rule_kms_key_only,
    "secrets-under-prefixes": rule_secrets_under_prefixes,
    "iam": rule_iam,
    "size": rule_size,
}


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("key", INLINE_KEYS)
def test_policy_keeps_rule(key: str, rule: str) -> None:
    problems = RULES[rule](key, inline_policy(key, SCOPE))
    assert not problems, "\n".join(problems)


def _bad(statement: dict[str, Any]) -> dict[str, Any]:
    return {"Sid": "Injected", "Effect": "Allow", **statement}


# One violation per rule, injected into a compliant policy: each must be caught.
VIOLATIONS: dict[str, dict[str, Any]] = {
    "version": {"Version": "2008-10-17"},
    "sids": _bad({"Sid": "Read S3", "Action": ["s3:GetObject"], "Resource": ["*"]}),
    "plain-allow": _bad({"NotAction": ["s3:GetObject"], "Resource": ["*"]}),
    "no-wildcard-action": _bad({"Action": ["s3:*"], "Resource": [BUCKET]}),
    "partition": _bad({"Action": ["s3:ListBucket"], "Resource": ["arn:aws:s3:::x"]}),
    "region-and-account": _bad(
        {"Action": ["ec2:DeleteTags"], "Resource": [f"arn:{P}:ec2:*:*:volume/*"]}
    ),
    "writes-on-any": _bad({"Action": ["ec2:TerminateInstances"], "Resource": ["*"]}),
    "s3-scoping": _bad({"Action": ["s3:GetObject"], "Resource": [BUCKET]}),
    "kms-key-only": _bad({"Action": ["kms:Decrypt"], "Resource": ["*"]}),
    "secrets-under-prefixes": _bad(
        {
            "Action": ["secretsmanager:GetSecretValue"],
            "Resource": [f"arn:{P}:secretsmanager:{REGION}:{ACCOUNT}:secret:*"],
        }
    ),
    "iam": _bad({"Action": ["iam:PassRole"], "Resource": ["*"]}),
    "size": _bad({"Action": ["s3:GetObject"], "Resource": [f"{BUCKET}/{'k' * 11000}"]}),
}


@pytest.mark.parametrize("rule", RULES)
def test_rule_catches_its_violation(rule: str) -> None:
    document = copy.deepcopy(inline_policy("storage-service", SCOPE))
    violation = VIOLATIONS[rule]
    if "Statement" in violation or "Version" in violation:
        document.update(violation)
    else:
        document["Statement"].append(violation)
    assert RULES[rule]("storage-service", document)


# ---- workload specifics ------------------------------------------------------


def _granting(document: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [s for s in _statements(document) if action in _as_list(s["Action"])]


def test_load_balancer_controller_has_the_required_permissions() -> None:
    document = inline_policy("aws-load-balancer-controller", SCOPE)
    actions = {action for action, _, _ in _grants(document)}
    for action in (
        "ec2:CreateSecurityGroup",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupIngress",
        "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:ModifyListenerAttributes",
        "acm:ListCertificates",
        "acm:DescribeCertificate",
        "waf-regional:AssociateWebACL",
        "wafv2:AssociateWebACL",
        "wafv2:GetWebACLForResource",
        "shield:CreateProtection",
        "shield:GetSubscriptionState",
    ):
        assert action in actions, f"aws-load-balancer-controller lacks {action}"

    (linked_role,) = _granting(document, "iam:CreateServiceLinkedRole")
    assert linked_role["Condition"] == {
        "StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}
    }

    tag_on_create = [
        s
        for s in _granting(document, "elasticloadbalancing:AddTags")
        if "StringEquals" in s.get("Condition", {})
    ]
    assert len(tag_on_create) == 1
    assert tag_on_create[0]["Condition"] == {
        "StringEquals": {
            "elasticloadbalancing:CreateAction": [
                "CreateTargetGroup",
                "CreateLoadBalancer",
            ]
        },
        "Null": {"aws:RequestTag/elbv2.k8s.aws/cluster": "false"},
    }

    (modify,) = _granting(document, "elasticloadbalancing:ModifyListenerAttributes")
    assert modify["Condition"] == {
        "Null": {"aws:ResourceTag/elbv2.k8s.aws/cluster": "false"}
    }
    (delete_group,) = _granting(document, "ec2:DeleteSecurityGroup")
    assert delete_group["Condition"] == modify["Condition"]


def test_load_balancer_writes_are_pinned_to_region_and_account() -> None:
    document = inline_policy("aws-load-balancer-controller", SCOPE)
    for statement in _statements(document):
        for action in statement["Action"]:
            if (
                not _is_write(action)
                or action in WRITES_ON_ANY["aws-load-balancer-controller"]
            ):
                continue
            service = action.split(":")[0]
            for resource in statement["Resource"]:
                assert resource.startswith(
                    f"arn:{P}:{service}:{REGION}:{ACCOUNT}:"
                ), f"aws-load-balancer-controller, Sid {statement['Sid']}: {resource}"


def test_cluster_autoscaler_scales_only_owned_groups() -> None:
    document = inline_policy("cluster-autoscaler", SCOPE)
    for action in (
        "autoscaling:SetDesiredCapacity",
        "autoscaling:TerminateInstanceInAutoScalingGroup",
    ):
        (statement,) = _granting(document, action)
        assert statement["Condition"] == _OWNED_GROUPS


def test_external_secrets_reads_only_prefixed_names() -> None:
    document = inline_policy("external-secrets", SCOPE)
    (secrets,) = _granting(document, "secretsmanager:GetSecretValue")
    assert secrets["Resource"] == list(_SECRET_PATTERNS)
    (parameters,) = _granting(document, "ssm:GetParametersByPath")
    assert parameters["Resource"] == list(_PARAMETER_PATTERNS)


def test_prefixes_come_from_the_scope() -> None:
    scope = dataclasses.replace(SCOPE, secrets_prefix="other/", parameters_prefix="/o/")
    text = json.dumps(inline_policy("external-secrets", scope))
    assert ":secret:other/*" in text and ":parameter/o/*" in text
    assert "wealist" not in text


def test_storage_service_object_and_bucket_actions_are_split() -> None:
    document = inline_policy("storage-service", SCOPE)
    (bucket,) = _granting(document, "s3:ListBucket")
    assert bucket["Resource"] == [BUCKET]
    assert set(bucket["Action"]) == {"s3:ListBucket", "s3:GetBucketLocation"}
    (objects,) = _granting(document, "s3:GetObject")
    assert objects["Resource"] == [f"{BUCKET}/*"]
    assert set(objects["Action"]) == {
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
    }


@pytest.mark.parametrize("key", INLINE_KEYS)
def test_terraform_tokens_are_interpolated_verbatim(key: str) -> None:
    token = "${TfToken[TOKEN.%d]}"
    scope = PolicyScope(
        partition=token % 1,
        region=token % 2,
        account_id=token % 3,
        cluster_name=token % 4,
        kms_key_arn=token % 5,
        storage_bucket_arn=token % 6,
        vpc_id=token % 7,
    )
    for statement in _statements(inline_policy(key, scope)):
        for resource in statement["Resource"]:
            assert resource == "*" or resource.startswith(
                (
                    "arn:${TfToken[TOKEN.1]}:",
                    "${TfToken[TOKEN.5]}",
                    "${TfToken[TOKEN.6]}",
                )
            ), f"{_where(key, statement)}: {resource}"


# ---- keys ------------------------------------------------------------------------


def test_policy_keys() -> None:
    assert POLICY_KEYS == (
        "aws-load-balancer-controller",
        "external-secrets",
        "external-dns",
        "cert-manager",
        "storage-service",
        "cluster-autoscaler",
        "ebs-csi-driver",
    )
    assert set(REFERENCED_KEYS) == set(POLICY_KEYS) - {"storage-service"}


@pytest.mark.parametrize("key", POLICY_KEYS)
def test_only_ebs_has_managed_policies(key: str) -> None:
    arns = managed_policy_arns(key, "aws")
    if key == "ebs-csi-driver":
        assert arns == (
            "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
        )
    else:
        assert arns == ()
        assert inline_policy(key, SCOPE) is not None


@pytest.mark.parametrize(
    ("call", "known"),
    [
        (lambda: inline_policy("karpenter", SCOPE), POLICY_KEYS),
        (lambda: managed_policy_arns("karpenter", "aws"), POLICY_KEYS),
        (lambda: load_reference("karpenter"), REFERENCED_KEYS),
    ],
)
def test_unknown_key_raises_key_error_naming_known_keys(
    call: Callable[[], Any], known: tuple[str, ...]
) -> None:
    with pytest.raises(KeyError) as raised:
        call()
    message = str(raised.value)
    assert "karpenter" in message
    for key in known:
        assert key in message


def test_load_reference_rejects_a_key_without_reference() -> None:
    with pytest.raises(KeyError, match="storage-service"):
        load_reference("storage-service")


@pytest.mark.parametrize("key", ["external-dns", "cert-manager"])
def test_dns_workloads_keep_to_the_configured_zones(key: str) -> None:
    scope = dataclasses.replace(SCOPE, hosted_zone_ids=("Z1ABCDEF", "Z2GHIJKL"))
    zones = [
        f"arn:{P}:route53:::hostedzone/Z1ABCDEF",
        f"arn:{P}:route53:::hostedzone/Z2GHIJKL",
    ]
    for statement in _statements(inline_policy(key, scope)):
        resources = _as_list(statement["Resource"])
        if any("hostedzone" in resource for resource in resources):
            assert resources == zones, _where(key, statement)
    default_resources = {
        resource
        for statement in _statements(inline_policy(key, SCOPE))
        for resource in _as_list(statement["Resource"])
    }
    assert f"arn:{P}:route53:::hostedzone/*" in default_resources
