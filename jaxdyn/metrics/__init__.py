"""Forecast and attractor-geometry metrics shared by the systems and nn pillars; all jit."""

from ._attractor import (
    power_spectrum_distance as power_spectrum_distance,
    state_space_divergence as state_space_divergence,
)
from ._forecast import (
    ValidPredictionTime as ValidPredictionTime,
    normalized_error as normalized_error,
    nrmse as nrmse,
    smape as smape,
    valid_prediction_time as valid_prediction_time,
)
