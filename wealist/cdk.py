"""The one door to cdktf, constructs and the AWS provider bindings.

Every other module imports the CDK classes from here, so a move to another
distribution of cdktf (the community fork) changes this file only.

Before the first jsii import:

* The jsii runtime runs on the Node.js release the project pins in
  package.json (node_modules/node), unless JSII_NODE already names one. The
  machine's Node may be past its end of life, which jsii reports with a banner.
* Terraform and cdktf telemetry checks are off (CHECKPOINT_DISABLE).
* Node's DEP0044 warning is off for that Node, see below.

The provider's service modules come through wealist.provider_package, which
loads only those listed in SERVICE_MODULES.
"""

import os
from pathlib import Path

_PROJECT_NODE = Path(__file__).resolve().parent.parent / "node_modules/node/bin/node"

if "JSII_NODE" not in os.environ and _PROJECT_NODE.is_file():
    os.environ["JSII_NODE"] = str(_PROJECT_NODE)
    # jsii's own bundle calls util.isArray, deprecated since Node 22; the
    # warning is about jsii's code, not ours, and says nothing actionable.
    os.environ["NODE_OPTIONS"] = " ".join(
        filter(None, [os.environ.get("NODE_OPTIONS"), "--disable-warning=DEP0044"])
    )
os.environ.setdefault("CHECKPOINT_DISABLE", "1")

import cdktf  # noqa: E402
import constructs  # noqa: E402

from wealist.provider_package import load_provider_modules  # noqa: E402

# The provider's service modules the layer uses; add one here to use it.
SERVICE_MODULES = (
    "cloudwatch_log_group",
    "data_aws_caller_identity",
    "data_aws_iam_session_context",
    "data_aws_partition",
    "eks_access_entry",
    "eks_access_policy_association",
    "eks_addon",
    "eks_cluster",
    "eks_node_group",
    "eks_pod_identity_association",
    "iam_openid_connect_provider",
    "iam_policy",
    "iam_role",
    "iam_role_policy",
    "iam_role_policy_attachment",
    "kms_key",
    "launch_template",
    "provider",
    "security_group",
    "security_group_rule",
)


_aws = load_provider_modules(SERVICE_MODULES)

App = cdktf.App
S3Backend = cdktf.S3Backend
DataTerraformRemoteStateS3 = cdktf.DataTerraformRemoteStateS3
TerraformOutput = cdktf.TerraformOutput
TerraformResource = cdktf.TerraformResource
TerraformStack = cdktf.TerraformStack
Token = cdktf.Token
Testing = cdktf.Testing
Construct = constructs.Construct

AwsProvider = _aws["provider"].AwsProvider
CloudwatchLogGroup = _aws["cloudwatch_log_group"].CloudwatchLogGroup
DataAwsCallerIdentity = _aws["data_aws_caller_identity"].DataAwsCallerIdentity
DataAwsIamSessionContext = _aws["data_aws_iam_session_context"].DataAwsIamSessionContext
DataAwsPartition = _aws["data_aws_partition"].DataAwsPartition
EksAccessEntry = _aws["eks_access_entry"].EksAccessEntry
EksAccessPolicyAssociation = _aws[
    "eks_access_policy_association"
].EksAccessPolicyAssociation
EksAddon = _aws["eks_addon"].EksAddon
EksCluster = _aws["eks_cluster"].EksCluster
EksNodeGroup = _aws["eks_node_group"].EksNodeGroup
EksPodIdentityAssociation = _aws[
    "eks_pod_identity_association"
].EksPodIdentityAssociation
IamOpenidConnectProvider = _aws["iam_openid_connect_provider"].IamOpenidConnectProvider
IamPolicy = _aws["iam_policy"].IamPolicy
IamRole = _aws["iam_role"].IamRole
IamRolePolicy = _aws["iam_role_policy"].IamRolePolicy
IamRolePolicyAttachment = _aws["iam_role_policy_attachment"].IamRolePolicyAttachment
KmsKey = _aws["kms_key"].KmsKey
LaunchTemplate = _aws["launch_template"].LaunchTemplate
LaunchTemplateBlockDeviceMappings = _aws[
    "launch_template"
].LaunchTemplateBlockDeviceMappings
LaunchTemplateBlockDeviceMappingsEbs = _aws[
    "launch_template"
].LaunchTemplateBlockDeviceMappingsEbs
LaunchTemplateTagSpecifications = _aws[
    "launch_template"
].LaunchTemplateTagSpecifications
SecurityGroup = _aws["security_group"].SecurityGroup
SecurityGroupRule = _aws["security_group_rule"].SecurityGroupRule


def lifecycle_conditions(scope: Construct, kind: str, conditions: list[dict]) -> dict:
    """A `lifecycle` override holding precondition or postcondition blocks.

    cdktf's HCL renderer writes plain lifecycle conditions as an attribute
    list, which Terraform rejects; under `cdktf synth --hcl` the value carries
    the renderer's own type hints, which make it write blocks. JSON synthesis
    gets the plain form.
    """
    if not cdktf.App.of(scope).hcl_output:
        return {kind: conditions}
    blocks = {
        "is_block": True,
        "type": "list",
        "storage_class_type": "object",
        "value": conditions,
    }
    return {"is_block": True, "value": {kind: blocks}}
