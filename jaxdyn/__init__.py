"""jaxdyn: differentiable scientific computing in JAX.

Pillars: `jaxdyn.spectral` (pseudo-spectral PDE solvers), `jaxdyn.systems` (chaotic
dynamical systems and their invariants), `jaxdyn.implicit` (implicit-differentiation
layers), `jaxdyn.nn` (networks for dynamics). Core: `Solution`, `Stats`, `jaxdyn.metrics`,
`jaxdyn.io`, `jaxdyn.plot`, `jaxdyn.bench`. Nothing here changes JAX's global
configuration.
"""

from . import (
    bench as bench,
    implicit as implicit,
    io as io,
    metrics as metrics,
    nn as nn,
    plot as plot,
    spectral as spectral,
    systems as systems,
)
from ._results import RESULTS as RESULTS, SolverFailure as SolverFailure
from ._solution import Solution as Solution, Stats as Stats

__version__ = "0.1.0"
