"""External Secrets Operator: read-only Secrets Manager and Parameter Store."""

from wealist.policies._scope import PolicyScope, regional_arn
from wealist.policies._statement import ANY_RESOURCE, Document, allow, document

# Secrets that RDS manages for its master users are named "rds!<id>".
_RDS_MANAGED_SECRETS = "rds!"


def external_secrets(scope: PolicyScope) -> Document:
    """ESO v2.9.0 documented read policies, pinned to the scope's prefixes."""
    return document(
        # Neither action has resource-level permissions. BatchGetSecretValue
        # still needs GetSecretValue on each secret, so the prefix below holds.
        allow(
            "ListSecrets",
            ["secretsmanager:ListSecrets", "secretsmanager:BatchGetSecretValue"],
            [ANY_RESOURCE],
        ),
        allow(
            "ReadPrefixedSecrets",
            [
                "secretsmanager:GetResourcePolicy",
                "secretsmanager:GetSecretValue",
                "secretsmanager:DescribeSecret",
                "secretsmanager:ListSecretVersionIds",
            ],
            [
                regional_arn(scope, "secretsmanager", f"secret:{prefix}*")
                for prefix in (scope.secrets_prefix, _RDS_MANAGED_SECRETS)
            ],
        ),
        # Upstream grants "ssm:GetParameter*"; GetParameterHistory is left out.
        allow(
            "ReadPrefixedParameters",
            ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
            # Parameter ARNs put the name's leading "/" right after "parameter".
            [regional_arn(scope, "ssm", f"parameter{scope.parameters_prefix}*")],
        ),
        allow(
            "DecryptThroughSecretStores",
            ["kms:Decrypt"],
            [scope.kms_key_arn],
            {
                "StringEquals": {
                    "kms:ViaService": [
                        f"secretsmanager.{scope.region}.amazonaws.com",
                        f"ssm.{scope.region}.amazonaws.com",
                    ]
                }
            },
        ),
    )
