"""Benchmark harness: timing of compiled kernels, the FFT bound of spectral steps, and the
implicit-differentiation cases."""

from ._implicit import (
    equilibrium_forward_backward as equilibrium_forward_backward,
    equilibrium_problem as equilibrium_problem,
    gradient_cost as gradient_cost,
)
from ._suite import (
    RESULT_KEYS as RESULT_KEYS,
    SUITES as SUITES,
    ensemble_throughput as ensemble_throughput,
    format_table as format_table,
    run_suites as run_suites,
)
from ._timing import (
    Timing as Timing,
    fft_roundtrip_seconds as fft_roundtrip_seconds,
    time_compiled as time_compiled,
)
