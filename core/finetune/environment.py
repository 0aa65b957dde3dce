"""What a run's numbers depend on besides its inputs: package versions and the CPU's kernels.

The same seed gives the same data, weights and metrics on one machine with one set of packages
(tests check it). Across machines they can differ in the last bits, and after enough steps in the
generated answers: OpenBLAS picks its kernels by CPU at run time (``architecture`` below) and numba
compiles for the host CPU (``cpu``). ``metrics.json`` records this so two runs can be compared.
"""

from __future__ import annotations

import platform
from importlib import metadata
from typing import Any

PACKAGES = ("simplex-training", "numpy", "numba", "llvmlite", "faker")


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def environment() -> dict[str, Any]:
    """Python, platform, package versions, the host CPU as LLVM names it and the BLAS kernels in use."""
    import numpy  # noqa: F401  (loads the BLAS threadpoolctl reports)
    import threadpoolctl
    from llvmlite import binding

    blas = [{k: info.get(k) for k in ("internal_api", "version", "architecture")}
            for info in threadpoolctl.threadpool_info() if info.get("user_api") == "blas"]
    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpu": binding.get_host_cpu_name(), "packages": {p: _version(p) for p in PACKAGES}, "blas": blas}
