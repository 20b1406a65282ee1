"""jaxdyn: differentiable scientific computing in JAX.

Pillars: `jaxdyn.spectral` (pseudo-spectral PDE solvers), `jaxdyn.systems` (chaotic
dynamical systems and their invariants), `jaxdyn.nn` (networks for dynamics). Mechanisms:
`jaxdyn.implicit` (implicit differentiation) and `jaxdyn.tangent` (Lyapunov spectra of any
step map). Core: `FourierGrid`, `Solution`, `Stats`, `RESULTS`, `SolverFailure`,
`jaxdyn.metrics`, `jaxdyn.io`, `jaxdyn.plot`, `jaxdyn.bench`.

Subpackages and names load on first use (`jd.systems`, `jd.Solution`), so `import jaxdyn`
and the `jaxdyn` command start fast. Nothing here changes JAX's global configuration.
"""

import importlib

from ._version import __version__ as __version__

_SUBPACKAGES = (
    "bench",
    "forecasting",
    "implicit",
    "io",
    "metrics",
    "nn",
    "plot",
    "spectral",
    "systems",
    "tangent",
)
_NAMES = {
    "FourierGrid": "._grid",
    "RESULTS": "._results",
    "SolverFailure": "._results",
    "Solution": "._solution",
    "Stats": "._solution",
}
__all__ = [*_SUBPACKAGES, *_NAMES, "__version__"]


def __getattr__(name: str):
    if name in _SUBPACKAGES:
        module = importlib.import_module(f".{name}", __name__)
    elif name in _NAMES:
        module = getattr(importlib.import_module(_NAMES[name], __name__), name)
    else:
        raise AttributeError(f"module 'jaxdyn' has no attribute {name!r}")
    globals()[name] = module
    return module


def __dir__():
    return sorted(__all__)
