"""Pillar 1: Fourier pseudo-spectral solvers for semilinear PDEs u_t = L u + N(u)."""

from .._grid import FourierGrid as FourierGrid
from ._diagnostics import (
    energy_spectrum as energy_spectrum,
    enstrophy as enstrophy,
    hamiltonian as hamiltonian,
    mass as mass,
    momentum as momentum,
    renyi_entropy as renyi_entropy,
    shannon_entropy as shannon_entropy,
    tsallis_entropy as tsallis_entropy,
)
from ._equations import (
    NLSE as NLSE,
    AdvectionDiffusion as AdvectionDiffusion,
    AllenCahn as AllenCahn,
    Burgers as Burgers,
    GrayScott as GrayScott,
    KdV as KdV,
    KuramotoSivashinsky as KuramotoSivashinsky,
    SwiftHohenberg as SwiftHohenberg,
)
from ._etd import (
    ETDRK1 as ETDRK1,
    ETDRK2 as ETDRK2,
    ETDRK3 as ETDRK3,
    ETDRK4 as ETDRK4,
    IFRK4 as IFRK4,
    AbstractStepper as AbstractStepper,
)
from ._fluids import NavierStokes2D as NavierStokes2D, QGTwoLayer as QGTwoLayer
from ._lyapunov import (
    finite_difference_sensitivity as finite_difference_sensitivity,
    lyapunov_spectrum as lyapunov_spectrum,
    shadowing_sensitivity as shadowing_sensitivity,
)
from ._navier_stokes_3d import (
    NavierStokes3D as NavierStokes3D,
    abc_flow as abc_flow,
    taylor_green_vortex as taylor_green_vortex,
)
from ._nlse_cases import (
    CollisionShifts as CollisionShifts,
    akhmediev_breather as akhmediev_breather,
    akhmediev_period as akhmediev_period,
    collision_shifts as collision_shifts,
    modulation_instability as modulation_instability,
    modulation_instability_gain as modulation_instability_gain,
    soliton as soliton,
    soliton_centers as soliton_centers,
    soliton_phases as soliton_phases,
    two_solitons as two_solitons,
)
from ._pde import AbstractSemilinearPDE as AbstractSemilinearPDE, parameter as parameter
from ._problems import (
    Problem as Problem,
    problem as problem,
    problem_names as problem_names,
    random_field as random_field,
)
from ._solve import ensemble as ensemble, solve as solve
from ._steady import steady_state as steady_state
