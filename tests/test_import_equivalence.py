"""The fast provider import changes nothing but the time it takes.

wealist.cdk imports the AWS provider's jsii assembly and only the service
modules the layer uses, instead of `import cdktf_cdktf_provider_aws`, whose
__init__ imports every service module. These tests check that a synthesis
after the standard import is byte-identical to the product's, and that the
product really takes the short path.

Each check runs in its own interpreter, because the test session has already
imported wealist.cdk (and so the bare provider package) for the fixtures.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROVIDER = "cdktf_cdktf_provider_aws"
# A service module the layer never uses: only the full package __init__ imports it.
UNUSED_SERVICE_MODULE = f"{PROVIDER}.wafv2_web_acl"

STANDARD_IMPORT_SYNTHESIS = textwrap.dedent(f"""
    import json, sys
    from pathlib import Path

    import {PROVIDER}  # the standard import, before anything of wealist
    real_package = sys.modules["{PROVIDER}"]

    import wealist.cdk
    from wealist.app import synthesize
    from wealist.config import Config

    stack_dir = synthesize(Config(), Path(sys.argv[1]))
    print(json.dumps({{
        "stack_dir": str(stack_dir),
        "full_package_imported": "{UNUSED_SERVICE_MODULE}" in sys.modules,
        "package_kept": sys.modules["{PROVIDER}"] is real_package,
        "package_file": getattr(sys.modules["{PROVIDER}"], "__file__", None),
    }}))
    """)

PRODUCT_IMPORT = textwrap.dedent(f"""
    import json, sys
    import wealist.cdk

    # Top-level submodules only: each one brings its own `._private` helper.
    loaded = sorted(
        name for name in sys.modules
        if name.startswith("{PROVIDER}.") and name.count(".") == 1
    )
    print(json.dumps({{
        "loaded": loaded,
        "service_modules": sorted(wealist.cdk.SERVICE_MODULES),
    }}))
    """)


def _run_python(script: str, *args: str) -> dict:
    """Run script in a fresh interpreter at the project root; its JSON report."""
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        timeout=600,
    )
    assert (
        result.returncode == 0
    ), f"the subprocess failed with exit code {result.returncode}:\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_standard_import_synthesis_is_byte_identical(default_synthesis, tmp_path):
    report = _run_python(STANDARD_IMPORT_SYNTHESIS, str(tmp_path / "cdktf.out"))

    assert report["full_package_imported"], (
        f"`import {PROVIDER}` did not import {UNUSED_SERVICE_MODULE}: the reference "
        "synthesis did not take the standard import path, so it proves nothing"
    )
    assert report["package_kept"], (
        f"importing wealist.cdk replaced the already-imported {PROVIDER} package "
        "in sys.modules; it must reuse it"
    )
    assert report["package_file"] and report["package_file"].endswith(
        "__init__.py"
    ), f"{PROVIDER} in sys.modules is not the real package: {report['package_file']!r}"

    standard_dir = Path(report["stack_dir"])
    standard_files = sorted(p.name for p in standard_dir.iterdir())
    product_files = sorted(p.name for p in default_synthesis.stack_dir.iterdir())
    assert standard_files == product_files, (
        f"the stack folders differ: standard import wrote {standard_files}, "
        f"the product wrote {product_files}"
    )
    standard = (standard_dir / "cdk.tf.json").read_bytes()
    product = (default_synthesis.stack_dir / "cdk.tf.json").read_bytes()
    assert standard == product, (
        "cdk.tf.json after the standard `import cdktf_cdktf_provider_aws` is not "
        "byte-identical to the product's synthesis "
        f"({len(standard)} bytes against {len(product)}); diff "
        f"{standard_dir / 'cdk.tf.json'} {default_synthesis.stack_dir / 'cdk.tf.json'}"
    )
    assert standard.decode() == default_synthesis.text


def test_product_does_not_import_the_full_provider_package():
    report = _run_python(PRODUCT_IMPORT)
    loaded = report["loaded"]

    assert UNUSED_SERVICE_MODULE not in loaded, (
        f"importing wealist.cdk imported {UNUSED_SERVICE_MODULE}: the product ran "
        f"the full `{PROVIDER}` __init__ instead of its short path"
    )
    expected = sorted(
        [f"{PROVIDER}._jsii"]
        + [f"{PROVIDER}.{name}" for name in report["service_modules"]]
    )
    unexpected = sorted(set(loaded) - set(expected))
    missing = sorted(set(expected) - set(loaded))
    assert not unexpected and not missing, (
        f"wealist.cdk should import {PROVIDER}._jsii and its listed service modules "
        f"only; also imported: {unexpected}; not imported: {missing}"
    )
