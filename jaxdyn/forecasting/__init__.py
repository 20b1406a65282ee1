"""The forecasting layer (above the pillars, beside `bench`): baselines that learn nothing.
The datasets are `jaxdyn.systems.dataset`; the trainable models live in `jaxdyn.nn`."""

from ._baselines import (
    climatological_mean as climatological_mean,
    context_parroting as context_parroting,
    persistence as persistence,
)
