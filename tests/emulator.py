"""An emulated AWS account for Terraform runs: moto on loopback, seeded.

Test code only. Nothing here reads real credentials: every Terraform or cdktf
process gets an environment stripped of AWS_* variables and given fake keys,
and every AWS endpoint it may call is the local moto server.
"""

import contextlib
import json
import os
import subprocess
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from wealist.config import Config

HOST = "127.0.0.1"
FAKE_ACCESS_KEY = "testing"
FAKE_SECRET_KEY = "testing"
OVERRIDE_FILE = "zz_emulator_override.tf.json"
STORAGE_BUCKET = "wealist-prod-storage"

# Every service the layer, its backend and its remote state call.
SERVICES = ("dynamodb", "ec2", "eks", "iam", "kms", "logs", "s3", "sts")
_BACKEND_SERVICES = ("dynamodb", "iam", "s3", "sts")

# Stop the SDK from looking for real credentials or instance metadata.
_SKIPS = {
    "skip_credentials_validation": True,
    "skip_requesting_account_id": True,
    "skip_metadata_api_check": True,
    "skip_region_validation": True,
}


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    """A moto server on a free loopback port; yields its endpoint, then stops it."""
    from moto.server import ThreadedMotoServer

    # Read when the IAM backend is first built, so set before any request.
    previous = os.environ.get("MOTO_IAM_LOAD_MANAGED_POLICIES")
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    server = ThreadedMotoServer(ip_address=HOST, port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        assert host == HOST, f"moto listens on {host}, not loopback"
        yield f"http://{HOST}:{port}"
    finally:
        server.stop()
        if previous is None:
            os.environ.pop("MOTO_IAM_LOAD_MANAGED_POLICIES", None)
        else:
            os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = previous


def client(service: str, endpoint: str, region: str) -> Any:
    """A boto3 client of the emulator, with fake keys and no shared config."""
    session = boto3.session.Session(
        aws_access_key_id=FAKE_ACCESS_KEY,
        aws_secret_access_key=FAKE_SECRET_KEY,
        region_name=region,
    )
    return session.client(service, endpoint_url=endpoint)


@dataclass(frozen=True)
class Foundation:
    """What the seeded prod/foundation layer exposes as outputs."""

    vpc_id: str
    vpc_cidr_block: str
    private_subnet_ids: tuple[str, ...]
    kms_key_id: str
    kms_key_arn: str
    s3_bucket_name: str
    s3_bucket_arn: str

    def outputs(self) -> dict[str, Any]:
        """The foundation's outputs as its state file records them."""
        return {
            "vpc_id": self.vpc_id,
            "vpc_cidr_block": self.vpc_cidr_block,
            "private_subnet_ids": list(self.private_subnet_ids),
            "kms_key_id": self.kms_key_id,
            "kms_key_arn": self.kms_key_arn,
            "s3_bucket_name": self.s3_bucket_name,
            "s3_bucket_arn": self.s3_bucket_arn,
        }


def seed_account(endpoint: str, config: Config) -> Foundation:
    """State bucket and lock table, then the foundation layer's resources."""
    state = config.state
    s3 = client("s3", endpoint, state.region)
    s3.create_bucket(
        Bucket=state.bucket,
        CreateBucketConfiguration={"LocationConstraint": state.region},
    )
    s3.put_bucket_versioning(
        Bucket=state.bucket, VersioningConfiguration={"Status": "Enabled"}
    )
    client("dynamodb", endpoint, state.region).create_table(
        TableName=state.lock_table,
        KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )

    region = config.region
    ec2 = client("ec2", endpoint, region)
    cidr = "10.0.0.0/16"
    vpc_id = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    subnet_ids = tuple(
        ec2.create_subnet(
            VpcId=vpc_id,
            CidrBlock=f"10.0.{10 + index}.0/24",
            AvailabilityZone=f"{region}{zone}",
        )["Subnet"]["SubnetId"]
        for index, zone in enumerate("abc")
    )
    key = client("kms", endpoint, region).create_key(Description="wealist prod")
    storage = client("s3", endpoint, region)
    storage.create_bucket(
        Bucket=STORAGE_BUCKET,
        CreateBucketConfiguration={"LocationConstraint": region},
    )
    foundation = Foundation(
        vpc_id=vpc_id,
        vpc_cidr_block=cidr,
        private_subnet_ids=subnet_ids,
        kms_key_id=key["KeyMetadata"]["KeyId"],
        kms_key_arn=key["KeyMetadata"]["Arn"],
        s3_bucket_name=STORAGE_BUCKET,
        s3_bucket_arn=f"arn:aws:s3:::{STORAGE_BUCKET}",
    )
    put_foundation_state(endpoint, config, foundation.outputs())
    return foundation


def foundation_state(outputs: Mapping[str, Any]) -> str:
    """A Terraform state (format version 4) holding only these outputs."""
    return json.dumps(
        {
            "version": 4,
            "terraform_version": "1.11.4",
            "serial": 1,
            "lineage": str(uuid.uuid4()),
            "outputs": {
                name: {"value": value, "type": _type_of(value)}
                for name, value in outputs.items()
            },
            "resources": [],
            "check_results": None,
        },
        indent=2,
    )


def _type_of(value: Any) -> Any:
    if isinstance(value, list):
        return ["list", "string"]
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "string"


def put_foundation_state(
    endpoint: str, config: Config, outputs: Mapping[str, Any]
) -> None:
    """Write the foundation layer's state object."""
    client("s3", endpoint, config.state.region).put_object(
        Bucket=config.state.bucket,
        Key=config.foundation_state_key,
        Body=foundation_state(outputs).encode(),
        ContentType="application/json",
    )


def delete_foundation_state(endpoint: str, config: Config) -> None:
    """Remove the foundation state object, every version of it."""
    s3 = client("s3", endpoint, config.state.region)
    listing = s3.list_object_versions(
        Bucket=config.state.bucket, Prefix=config.foundation_state_key
    )
    for entry in listing.get("Versions", []) + listing.get("DeleteMarkers", []):
        s3.delete_object(
            Bucket=config.state.bucket, Key=entry["Key"], VersionId=entry["VersionId"]
        )


def override(endpoint: str, config: Config) -> dict[str, Any]:
    """A Terraform override that aims the stack at the emulator, nothing else.

    Terraform replaces a backend block and a remote-state `config` whole, so
    bucket, key and region are repeated from the product's settings. The
    provider block is merged argument by argument: its default tags stay.
    """
    state = config.state
    credentials = {
        "access_key": FAKE_ACCESS_KEY,
        "secret_key": FAKE_SECRET_KEY,
        **_SKIPS,
    }
    backend_endpoints = {name: endpoint for name in _BACKEND_SERVICES}
    return {
        "terraform": {
            "backend": {
                "s3": {
                    "bucket": state.bucket,
                    "key": config.state_key,
                    "region": state.region,
                    "encrypt": True,
                    "dynamodb_table": state.lock_table,
                    "use_path_style": True,
                    "endpoints": backend_endpoints,
                    **credentials,
                }
            }
        },
        "provider": {
            "aws": [
                {
                    "access_key": FAKE_ACCESS_KEY,
                    "secret_key": FAKE_SECRET_KEY,
                    "s3_use_path_style": True,
                    "skip_credentials_validation": True,
                    "skip_requesting_account_id": True,
                    "skip_metadata_api_check": "true",
                    "skip_region_validation": True,
                    "endpoints": [{name: endpoint for name in SERVICES}],
                }
            ]
        },
        "data": {
            "terraform_remote_state": {
                "foundation_state": {
                    "config": {
                        "bucket": state.bucket,
                        "key": config.foundation_state_key,
                        "region": state.region,
                        "use_path_style": True,
                        "endpoints": backend_endpoints,
                        **credentials,
                    }
                }
            }
        },
    }


def write_override(stack_dir: Path, endpoint: str, config: Config) -> Path:
    """Write the override next to cdk.tf.json."""
    path = stack_dir / OVERRIDE_FILE
    path.write_text(json.dumps(override(endpoint, config), indent=2) + "\n")
    return path


def clean_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment minus every AWS_* variable, plus fake keys."""
    source = os.environ if base is None else base
    env = {name: value for name, value in source.items() if not name.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID=FAKE_ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=FAKE_SECRET_KEY,
        AWS_EC2_METADATA_DISABLED="true",
        # An empty file, so no profile or credentials file is ever read.
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        CHECKPOINT_DISABLE="1",
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
    )
    return env


def run_terraform(
    binary: str, stack_dir: Path, *args: str, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Like conftest's run_terraform, in the clean environment, without colour."""
    command, *rest = args
    return subprocess.run(
        [binary, f"-chdir={stack_dir}", command, "-no-color", *rest],
        capture_output=True,
        text=True,
        env=clean_environment(),
        timeout=timeout,
    )
