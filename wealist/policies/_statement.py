"""The shapes of an IAM policy document and of its statements."""

from typing import Any

Condition = dict[str, dict[str, str | list[str]]]
Statement = dict[str, Any]
Document = dict[str, Any]

ANY_RESOURCE = "*"


def allow(
    sid: str,
    actions: list[str],
    resources: list[str],
    condition: Condition | None = None,
) -> Statement:
    """An Allow statement, with Action and Resource always as lists."""
    statement: Statement = {
        "Sid": sid,
        "Effect": "Allow",
        "Action": list(actions),
        "Resource": list(resources),
    }
    if condition:
        statement["Condition"] = condition
    return statement


def document(*statements: Statement) -> Document:
    """A policy document holding the given statements in order."""
    return {"Version": "2012-10-17", "Statement": list(statements)}
