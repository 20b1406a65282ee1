"""Tangent dynamics, a mechanism like `implicit`: Lyapunov spectra over any step map
y ↦ step(y) and its `jax.jvp`. It imports no pillar; each pillar offers the convenience that
knows its objects (`jaxdyn.systems.lyapunov_spectrum` for a flow sampled every τ)."""

from ._lyapunov import (
    LyapunovSpectrum as LyapunovSpectrum,
    kaplan_yorke_dimension as kaplan_yorke_dimension,
    lyapunov_spectrum_of_map as lyapunov_spectrum_of_map,
)
