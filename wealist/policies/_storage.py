"""weAlist storage service: one bucket, its listing and its objects."""

from wealist.policies._scope import PolicyScope
from wealist.policies._statement import Document, allow, document

BUCKET_ACTIONS = ("s3:ListBucket", "s3:GetBucketLocation")
OBJECT_ACTIONS = (
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:AbortMultipartUpload",
    "s3:ListMultipartUploadParts",
)


def storage_service(scope: PolicyScope) -> Document:
    """Bucket-level actions on the bucket, object actions on its keys only."""
    return document(
        allow("ListBucket", list(BUCKET_ACTIONS), [scope.storage_bucket_arn]),
        allow(
            "ReadWriteObjects",
            list(OBJECT_ACTIONS),
            [f"{scope.storage_bucket_arn}/*"],
        ),
    )
