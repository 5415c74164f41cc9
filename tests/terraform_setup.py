"""Point Terraform at a local provider mirror when the machine has one.

Test setup only: a user's Terraform installs providers its usual way. Where
TF_CLI_CONFIG_FILE names no existing file and a filesystem mirror holding
hashicorp/aws exists, a CLI configuration that uses it is written and named.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

_MIRROR_ROOTS = ("/opt", "/usr/share", "/usr/local/share", "/var/lib")
_PROVIDER = "registry.terraform.io/hashicorp/aws"


def find_provider_mirror() -> Path | None:
    """A folder whose registry.terraform.io/hashicorp/aws holds a provider."""
    for root in _MIRROR_ROOTS:
        for candidate in sorted(Path(root).glob(f"*/{_PROVIDER}")):
            if any(candidate.iterdir()):
                return candidate.parents[2]
    return None


def configure_provider_mirror() -> None:
    """Name a CLI configuration for the mirror, unless a usable one is named."""
    current = os.environ.get("TF_CLI_CONFIG_FILE")
    if current and Path(current).is_file():
        return
    mirror = find_provider_mirror()
    if mirror is None:
        return
    folder = Path(tempfile.mkdtemp(prefix="wealist-tfcli-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    config = folder / "mirror.tfrc"
    config.write_text(
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path    = "{mirror}"\n'
        f'    include = ["{_PROVIDER}"]\n  }}\n'
        f'  direct {{\n    exclude = ["{_PROVIDER}"]\n  }}\n'
        "}\n"
    )
    os.environ["TF_CLI_CONFIG_FILE"] = str(config)
    # Share one provider copy across the suite's terraform init runs.
    cache = folder / "plugin-cache"
    cache.mkdir()
    os.environ.setdefault("TF_PLUGIN_CACHE_DIR", str(cache))
