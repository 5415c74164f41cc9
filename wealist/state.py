"""Where this layer's state lives, and how it reads the foundation's."""

from wealist.cdk import (
    Construct,
    DataTerraformRemoteStateS3,
    S3Backend,
    Token,
    lifecycle_conditions,
)
from wealist.config import Config

# Outputs of the foundation layer this layer reads, by the foundation's names.
FOUNDATION_OUTPUTS = ("vpc_id", "private_subnet_ids", "kms_key_arn", "s3_bucket_arn")


class Foundation(Construct):
    """The foundation layer's outputs, read from its state object.

    A postcondition per output stops the plan at the read, naming the missing
    output, before anything that uses it is evaluated; without it Terraform
    reports a bare "Unsupported attribute" or a null in some policy template.
    """

    def __init__(self, scope: Construct, id_: str, *, config: Config) -> None:
        super().__init__(scope, id_)
        self.state = DataTerraformRemoteStateS3(
            self,
            "state",
            bucket=config.state.bucket,
            key=config.foundation_state_key,
            region=config.state.region,
        )
        location = f"s3://{config.state.bucket}/{config.foundation_state_key}"
        self.state.add_override(
            "lifecycle",
            lifecycle_conditions(
                self,
                "postcondition",
                [
                    {
                        "condition": f"${{can(self.outputs.{name})}}",
                        "error_message": (
                            f'The foundation state {location} has no output "{name}". '
                            f"Apply the {config.environment}/foundation layer first."
                        ),
                    }
                    for name in FOUNDATION_OUTPUTS
                ],
            ),
        )

        self.vpc_id = self.output("vpc_id")
        self.private_subnet_ids: list[str] = Token.as_list(
            self.output("private_subnet_ids")
        )
        self.kms_key_arn = self.output("kms_key_arn")
        self.storage_bucket_arn = self.output("s3_bucket_arn")

    def output(self, name: str) -> str:
        """A reference to one foundation output."""
        address = f"data.terraform_remote_state.{self.state.friendly_unique_id}"
        return f"${{try({address}.outputs.{name}, null)}}"


def configure_backend(scope: Construct, config: Config) -> S3Backend:
    """The S3 backend with DynamoDB locking that every layer of the bucket uses."""
    return S3Backend(
        scope,
        bucket=config.state.bucket,
        key=config.state_key,
        region=config.state.region,
        encrypt=True,
        dynamodb_table=config.state.lock_table,
    )
