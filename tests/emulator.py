"""An emulated AWS account for Terraform runs: moto on loopback, seeded.

Test code only. Nothing here reads real credentials: every Terraform or cdktf
process gets an environment stripped of AWS_* variables and given fake keys,
and every AWS endpoint it may call is the local moto server.
"""

import contextlib
import json
import logging
import os
import subprocess
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import botocore.session

from tests import conftest
from wealist.config import Config

HOST = "127.0.0.1"
FAKE_ACCESS_KEY = "testing"
FAKE_SECRET_KEY = "testing"
OVERRIDE_FILE = "zz_emulator_override.tf.json"
# Not the usual name, so a value hard-coded in the product cannot pass.
STORAGE_BUCKET = "wealist-emulated-storage"

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

    previous = os.environ.get("MOTO_IAM_LOAD_MANAGED_POLICIES")
    request_log = logging.getLogger("werkzeug")
    level = request_log.level
    server = None
    try:
        # Read when the IAM backend is first built, so set before any request.
        os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
        # One line per request otherwise; errors still show.
        request_log.setLevel(logging.WARNING)
        # Port 0: the system picks a free port; get_host_and_port reports it.
        server = ThreadedMotoServer(ip_address=HOST, port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        assert host == HOST, f"moto listens on {host}, not loopback"
        yield f"http://{HOST}:{port}"
    finally:
        if server is not None:
            server.stop()
        request_log.setLevel(level)
        if previous is None:
            os.environ.pop("MOTO_IAM_LOAD_MANAGED_POLICIES", None)
        else:
            os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = previous


def client(service: str, endpoint: str, region: str) -> Any:
    """A boto3 client of the emulator: fake keys, no profile or config file read."""
    # Detached from AWS_PROFILE, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE.
    core = botocore.session.Session(
        session_vars={
            "profile": (None, None, None, None),
            "config_file": (None, None, os.devnull, None),
            "credentials_file": (None, None, os.devnull, None),
        }
    )
    session = boto3.session.Session(
        aws_access_key_id=FAKE_ACCESS_KEY,
        aws_secret_access_key=FAKE_SECRET_KEY,
        region_name=region,
        botocore_session=core,
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
    """Delete the foundation state object (a delete marker: the bucket is versioned)."""
    client("s3", endpoint, config.state.region).delete_object(
        Bucket=config.state.bucket, Key=config.foundation_state_key
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


def clean_environment(endpoint: str) -> dict[str, str]:
    """This process's environment minus every AWS_* variable, plus fake keys.

    AWS_ENDPOINT_URL sends any call the override does not cover to the
    emulator as well, never to AWS.
    """
    env = {
        name: value for name, value in os.environ.items() if not name.startswith("AWS_")
    }
    env.update(
        AWS_ACCESS_KEY_ID=FAKE_ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=FAKE_SECRET_KEY,
        AWS_ENDPOINT_URL=endpoint,
        AWS_EC2_METADATA_DISABLED="true",
        # No profile, config or credentials file is ever read.
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        NO_PROXY=",".join(filter(None, (os.environ.get("NO_PROXY"), HOST))),
        CHECKPOINT_DISABLE="1",
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
    )
    return env


def run_terraform(
    binary: str, stack_dir: Path, *args: str, endpoint: str
) -> subprocess.CompletedProcess:
    """conftest's run_terraform in the clean environment, without colour."""
    command, *rest = args
    return conftest.run_terraform(
        binary, stack_dir, command, "-no-color", *rest, env=clean_environment(endpoint)
    )
