"""Matplotlib figures for jaxdyn results. Each function draws on `ax` (a new figure when
`ax` is None) and returns the axes."""

from ._fields import (
    attractor as attractor,
    conservation as conservation,
    field as field,
    space_time as space_time,
    spectrum as spectrum,
)
