"""jaxdyn: differentiable scientific computing in JAX.

Pillars: `jaxdyn.spectral` (pseudo-spectral PDE solvers). Core: `Solution`, `Stats`,
`jaxdyn.io`, `jaxdyn.plot`. Nothing here changes JAX's global configuration.
"""

from . import io as io, plot as plot, spectral as spectral, systems as systems
from ._solution import Solution as Solution, Stats as Stats

__version__ = "0.1.0"
