"""Floor: start Node, load the cdktf and AWS provider jsii assemblies, exit.

No service module of the provider is imported: this is the least any
synthesis with these bindings costs. bench/run.py sets JSII_NODE,
NODE_OPTIONS and CHECKPOINT_DISABLE as wealist/cdk.py would.
"""

import importlib
import importlib.util
import sys
import types

import cdktf  # noqa: F401  starts the jsii kernel; loads constructs and cdktf

PROVIDER = "cdktf_cdktf_provider_aws"

# The same bare-package stand-in as wealist/cdk.py, so that the package
# __init__ (which imports every service module) does not run.
spec = importlib.util.find_spec(PROVIDER)
package = types.ModuleType(PROVIDER)
package.__path__ = list(spec.submodule_search_locations)
package.__spec__ = spec
package.__file__ = spec.origin
sys.modules[PROVIDER] = package

importlib.import_module(f"{PROVIDER}._jsii")  # loads the provider assembly

service_modules = [
    name
    for name in sys.modules
    if name.startswith(f"{PROVIDER}.")
    and name.count(".") == 1
    and name != f"{PROVIDER}._jsii"
]
assert not service_modules, f"the floor imported service modules: {service_modules}"
