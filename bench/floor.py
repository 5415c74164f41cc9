"""Floor: start Node, load the cdktf and AWS provider jsii assemblies, exit.

No service module of the provider is imported: this is the least any
synthesis with these bindings costs. bench/run.py sets JSII_NODE,
NODE_OPTIONS and CHECKPOINT_DISABLE as wealist/cdk.py would.
"""

import sys
from pathlib import Path

import cdktf  # noqa: F401  starts the jsii kernel; loads constructs and cdktf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wealist.provider_package import (  # noqa: E402
    PROVIDER_PACKAGE as PROVIDER,
    load_provider_modules,
)

load_provider_modules(())  # the provider assembly, no service module

service_modules = [
    name
    for name in sys.modules
    if name.startswith(f"{PROVIDER}.")
    and name.count(".") == 1
    and name != f"{PROVIDER}._jsii"
]
assert not service_modules, f"the floor imported service modules: {service_modules}"
