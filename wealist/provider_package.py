"""Loading the AWS provider bindings without their package __init__.

`import cdktf_cdktf_provider_aws` runs an __init__ that imports all ~2,140
service modules, about ten seconds of jsii type loading. A bare package object
stands in for it here: the provider's jsii assembly is loaded, then only the
service modules asked for. If the package changes shape (another version,
another layout), this fails with ImportError rather than silently falling
back to the slow path. Importing this module starts nothing; calling does.
"""

import importlib
import importlib.util
import sys
import types

PROVIDER_PACKAGE = "cdktf_cdktf_provider_aws"
PROVIDER_VERSION = "20.1.0"


def load_provider_modules(names: tuple[str, ...]) -> dict[str, types.ModuleType]:
    """Load the provider's assembly and the named service modules only."""
    if PROVIDER_PACKAGE not in sys.modules:
        spec = importlib.util.find_spec(PROVIDER_PACKAGE)
        if spec is None or not spec.submodule_search_locations:
            raise ImportError(f"{PROVIDER_PACKAGE} is not installed")
        package = types.ModuleType(PROVIDER_PACKAGE)
        package.__path__ = list(spec.submodule_search_locations)
        package.__spec__ = spec
        package.__file__ = spec.origin
        sys.modules[PROVIDER_PACKAGE] = package

    assembly = importlib.import_module(f"{PROVIDER_PACKAGE}._jsii").__jsii_assembly__
    if assembly.version != PROVIDER_VERSION:
        raise ImportError(
            f"{PROVIDER_PACKAGE} {assembly.version} is installed; this module "
            f"was written for {PROVIDER_VERSION}: check wealist.cdk.SERVICE_MODULES"
        )
    return {
        name: importlib.import_module(f"{PROVIDER_PACKAGE}.{name}") for name in names
    }
