"""Benchmark harness: timing of compiled kernels, and the FFT bound of spectral steps."""

from ._timing import (
    Timing as Timing,
    fft_roundtrip_seconds as fft_roundtrip_seconds,
    time_compiled as time_compiled,
)
