"""Pillar 2: chaotic dynamical systems on diffrax, with their invariants.

This first part holds the machinery (systems, trajectories and sharded ensembles, Lyapunov
spectra over any step map, Kaplan–Yorke and correlation dimensions, power spectra, delay
embedding) and the classic flows; the rest of the dysts catalog follows.
"""

from .._parameters import parameter as parameter
from ._catalog import get as get, names as names
from ._flows import Lorenz as Lorenz, Rossler as Rossler
from ._geometry import (
    correlation_dimension as correlation_dimension,
    correlation_sum as correlation_sum,
    delay_embed as delay_embed,
    power_spectrum as power_spectrum,
)
from ._integrate import ensemble as ensemble, trajectory as trajectory
from ._lyapunov import (
    flow_map as flow_map,
    kaplan_yorke_dimension as kaplan_yorke_dimension,
    lyapunov_spectrum as lyapunov_spectrum,
    lyapunov_spectrum_of_map as lyapunov_spectrum_of_map,
    max_lyapunov as max_lyapunov,
)
from ._system import (
    AbstractSystem as AbstractSystem,
    Invariants as Invariants,
    SystemInfo as SystemInfo,
    system_info as system_info,
)
