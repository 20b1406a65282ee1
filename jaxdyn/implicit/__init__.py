"""Pillar 3: implicit-differentiation layers.

Solutions of F(z, θ) = 0, z = f(z, θ) or z = argmin g(·, θ), found by any forward solver and
differentiated with respect to θ by the implicit function theorem (a matrix-free lineax
solve with ∂F/∂z, never by unrolling), in forward and reverse mode, for pytrees z and θ.
A mechanism: it imports no other pillar; its uses live with the objects they serve
(`jaxdyn.systems.equilibria`, `jaxdyn.systems.periodic_orbit`,
`jaxdyn.spectral.steady_state`, `jaxdyn.nn.DEQ`).
"""

from ._implicit import argmin as argmin, fixed_point as fixed_point, root_find as root_find
from ._layers import FixedPointLayer as FixedPointLayer
from ._minimisers import (
    BFGS as BFGS,
    LBFGS as LBFGS,
    AbstractMinimiser as AbstractMinimiser,
    GradientDescent as GradientDescent,
)
from ._qp import QPLayer as QPLayer
from ._result import (
    RootSolution as RootSolution,
    SolverStats as SolverStats,
    check_converged as check_converged,
    default_tolerance as default_tolerance,
)
from ._root_solvers import (
    AbstractRootSolver as AbstractRootSolver,
    Anderson as Anderson,
    Broyden as Broyden,
    Newton as Newton,
    Picard as Picard,
)
