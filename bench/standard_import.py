"""Standard-import synthesis: `import cdktf_cdktf_provider_aws`, then wealist.

The package __init__ imports all of its service modules before wealist.cdk
runs; wealist.cdk then reuses that package. Writes the default stack into
CDKTF_OUTDIR, the way main.py does.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cdktf_cdktf_provider_aws  # noqa: E402,F401  the standard import, first

from wealist.app import synthesize  # noqa: E402
from wealist.config import Config  # noqa: E402

synthesize(Config(), Path(os.environ["CDKTF_OUTDIR"]))
