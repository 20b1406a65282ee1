"""Tangent dynamics, a mechanism like `implicit`: Lyapunov spectra, covariant vectors and the
derivatives of long-time averages (shadowing; the whole linear response; central differences of
ensemble averages) over any step map
y ↦ step(y) and its `jax.jvp`. It imports no pillar; each pillar offers the convenience that
knows its objects: `jaxdyn.systems.lyapunov_spectrum` (a flow sampled every τ),
`jaxdyn.spectral.lyapunov_spectrum` (a PDE stepper), `jaxdyn.nn.lyapunov_spectrum` (a trained
network run free)."""

from ._average import long_time_average as long_time_average
from ._covariant import (
    CovariantVectors as CovariantVectors,
    covariant_lyapunov_vectors as covariant_lyapunov_vectors,
)
from ._differences import (
    FiniteDifferences as FiniteDifferences,
    finite_difference_sensitivity as finite_difference_sensitivity,
)
from ._flow import flow_map as flow_map, variational_flow_map as variational_flow_map
from ._lyapunov import (
    LyapunovSpectrum as LyapunovSpectrum,
    kaplan_yorke_dimension as kaplan_yorke_dimension,
    lyapunov_spectrum_of_map as lyapunov_spectrum_of_map,
    spread_limit as spread_limit,
)
from ._response import LinearResponse as LinearResponse, linear_response as linear_response
from ._shadowing import Shadowing as Shadowing, shadowing_sensitivity as shadowing_sensitivity
