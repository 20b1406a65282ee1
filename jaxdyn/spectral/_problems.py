"""Canonical problems, ready to run: `problem("kuramoto-sivashinsky")`, `problem_names()`."""

import math
from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, PRNGKeyArray

from .._grid import FourierGrid
from .._index import PROBLEM_DESCRIPTIONS
from . import _nlse_cases as cases
from ._equations import (
    NLSE,
    AllenCahn,
    Burgers,
    GrayScott,
    KdV,
    KuramotoSivashinsky,
    SwiftHohenberg,
)
from ._fluids import NavierStokes2D, QGTwoLayer
from ._pde import AbstractSemilinearPDE


class Problem(eqx.Module):
    """A named PDE run: everything `solve` needs, plus a one-line description."""

    name: str = eqx.field(static=True)
    description: str = eqx.field(static=True)
    pde: AbstractSemilinearPDE
    grid: FourierGrid
    u0: Array
    t0: float = eqx.field(static=True)
    t1: float = eqx.field(static=True)
    dt: float = eqx.field(static=True)
    saveat: int = eqx.field(static=True)
    method: str = eqx.field(static=True, default="ETDRK4")

    def solve_kwargs(self) -> dict:
        return dict(t0=self.t0, dt=self.dt, saveat=self.saveat, method=self.method)


def random_field(
    key: PRNGKeyArray,
    grid: FourierGrid,
    *,
    peak_wavenumber: float = 4.0,
    rms: float = 1.0,
    fields: int | None = None,
    dtype=None,
) -> Array:
    """A smooth random real field with energy spectrum ∝ k⁴ exp(−2 (k/k_p)²) around `peak`
    (in units of 2π/L), scaled to root-mean-square `rms`; shape `grid.shape` or
    `(fields, *grid.shape)`."""
    shape = grid.shape if fields is None else (fields, *grid.shape)
    noise = jax.random.normal(key, shape, dtype=dtype or jnp.result_type(float))
    k = np.sqrt(sum(m.astype(float) ** 2 for m in grid.mode_numbers(real=True)))
    amplitude = k**2 * np.exp(-((k / peak_wavenumber) ** 2))
    field = jnp.fft.irfftn(
        jnp.fft.rfftn(noise, axes=grid.axes) * amplitude, s=grid.shape, axes=grid.axes
    )
    field = field - jnp.mean(field, axis=grid.axes, keepdims=True)
    return rms * field / jnp.sqrt(jnp.mean(field**2, axis=grid.axes, keepdims=True))


def _nlse_soliton(key, quick):
    grid = FourierGrid(128 if quick else 512, 50.0)
    u0 = cases.soliton(grid, velocity=1.0, position=15.0)
    return grid, NLSE(), u0, (0.0, 10.0 if quick else 20.0, 0.01, 101)


def _nlse_collision(key, quick):
    grid = FourierGrid(512 if quick else 1024, 80.0)
    u0 = cases.two_solitons(grid, positions=(30.0, 50.0))
    return grid, NLSE(), u0, (0.0, 20.0, 0.01 if quick else 0.005, 101)


def _nlse_breather(key, quick):
    grid = FourierGrid(128 if quick else 256, 2 * cases.akhmediev_period(0.25))
    u0 = cases.akhmediev_breather(grid, t=-6.0)
    return grid, NLSE(), u0, (-6.0, 6.0, 0.005 if quick else 0.002, 121)


def _nlse_modulation_instability(key, quick):
    # 16 wavelengths of the fastest-growing mode κ = √2 for A₀ = 1.
    grid = FourierGrid(256 if quick else 1024, 16 * 2 * math.pi / math.sqrt(2))
    u0 = cases.modulation_instability(grid, key, noise=1e-4)
    return grid, NLSE(), u0, (0.0, 15.0 if quick else 30.0, 0.005, 151)


def _kdv(key, quick):
    grid = FourierGrid(128 if quick else 256, 40.0)
    x = grid.coordinates()[0]
    u0 = sum(
        (c / 2) / jnp.cosh(jnp.sqrt(c) / 2 * (x - x0)) ** 2 for c, x0 in ((4.0, 8.0), (1.0, 18.0))
    )
    return grid, KdV(), u0, (0.0, 8.0, 1e-3 if quick else 5e-4, 161)


def _kuramoto_sivashinsky(key, quick):
    # Kassam & Trefethen's run: L = 32π, u0 = cos(x/16)(1 + sin(x/16)).
    grid = FourierGrid(128, 32 * math.pi)
    x = grid.coordinates()[0]
    u0 = jnp.cos(x / 16) * (1 + jnp.sin(x / 16))
    return grid, KuramotoSivashinsky(), u0, (0.0, 100.0 if quick else 150.0, 0.25, 301)


def _burgers(key, quick):
    grid = FourierGrid(256 if quick else 1024)
    u0 = jnp.sin(grid.coordinates()[0])
    return grid, Burgers(viscosity=0.01 if quick else 0.003), u0, (0.0, 3.0, 1e-3, 151)


def _allen_cahn(key, quick):
    grid = FourierGrid((64, 64) if quick else (256, 256))
    u0 = 0.1 * random_field(key, grid, peak_wavenumber=8.0)
    return grid, AllenCahn(diffusivity=1e-3), u0, (0.0, 20.0 if quick else 50.0, 0.05, 51)


def _swift_hohenberg(key, quick):
    grid = FourierGrid(
        (64, 64) if quick else (128, 128), 20 * math.pi if not quick else 10 * math.pi
    )
    u0 = 0.1 * random_field(key, grid, peak_wavenumber=8.0 if quick else 16.0)
    return grid, SwiftHohenberg(r=0.2), u0, (0.0, 50.0 if quick else 200.0, 0.5, 51)


def _gray_scott(key, quick):
    # Pearson (1993): u = 1, v = 0, a perturbed square in the middle.
    grid = FourierGrid((64, 64) if quick else (256, 256), 2.5)
    x, y = grid.mesh()
    square = (jnp.abs(x - 1.25) < 0.2) & (jnp.abs(y - 1.25) < 0.2)
    u = jnp.where(square, 0.5, 1.0)
    v = jnp.where(square, 0.25, 0.0)
    u0 = jnp.stack([u, v]) + 0.01 * jax.random.normal(key, (2, *grid.shape))
    pde = GrayScott(feed=0.035, kill=0.065)
    return grid, pde, u0, (0.0, 1000.0 if quick else 4000.0, 1.0, 41)


def _navier_stokes(key, quick):
    # Viscosity matched to the grid: the spectrum falls ~10⁶ below its peak before the cutoff.
    grid = FourierGrid((64, 64) if quick else (256, 256))
    omega = random_field(key, grid, peak_wavenumber=4.0, rms=5.0)
    pde = NavierStokes2D(viscosity=1e-2 if quick else 5e-4)
    return grid, pde, omega, (0.0, 5.0 if quick else 20.0, 0.01 if quick else 0.005, 51)


def _kolmogorov(key, quick):
    grid = FourierGrid((64, 64) if quick else (128, 128))
    omega = random_field(key, grid, peak_wavenumber=4.0, rms=1.0)
    pde = NavierStokes2D(viscosity=1 / 40, drag=0.1, forcing_amplitude=1.0, forcing_mode=4)
    return grid, pde, omega, (0.0, 20.0 if quick else 100.0, 0.02, 51)


def _qg(key, quick):
    grid = FourierGrid((64, 64) if quick else (128, 128))
    q0 = 1e-2 * random_field(key, grid, peak_wavenumber=8.0, fields=2)
    pde = QGTwoLayer(hyperviscosity=1e-9 if quick else 1e-12)
    return grid, pde, q0, (0.0, 40.0 if quick else 100.0, 0.005 if quick else 0.0025, 41)


_BUILDERS: dict[str, Callable] = {
    "nlse-soliton": _nlse_soliton,
    "nlse-collision": _nlse_collision,
    "nlse-breather": _nlse_breather,
    "nlse-modulation-instability": _nlse_modulation_instability,
    "kdv-two-solitons": _kdv,
    "kuramoto-sivashinsky": _kuramoto_sivashinsky,
    "burgers": _burgers,
    "allen-cahn": _allen_cahn,
    "swift-hohenberg": _swift_hohenberg,
    "gray-scott": _gray_scott,
    "navier-stokes-2d": _navier_stokes,
    "kolmogorov-flow": _kolmogorov,
    "qg-two-layer": _qg,
}


def problem_names() -> list[str]:
    """Names accepted by `problem` and `jaxdyn simulate`."""
    return list(_BUILDERS)


def problem(name: str, *, quick: bool = False, seed: int = 0) -> Problem:
    """The named canonical problem. `quick` shrinks grid and time span (tests, the tour)."""
    if name not in _BUILDERS:
        import difflib

        close = difflib.get_close_matches(name, _BUILDERS, n=3, cutoff=0.4)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ValueError(f"problem: unknown name {name!r}{hint} Known: {', '.join(_BUILDERS)}")
    description = PROBLEM_DESCRIPTIONS[name]
    grid, pde, u0, (t0, t1, dt, saveat) = _BUILDERS[name](jax.random.PRNGKey(seed), quick)
    return Problem(name, description, pde, grid, jnp.asarray(u0), t0, t1, dt, saveat)
