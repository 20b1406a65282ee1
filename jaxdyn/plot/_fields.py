"""Space-time diagrams, 2D snapshots, spectra and conservation plots."""

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np

from .._grid import FourierGrid


def _axes(ax):
    return plt.subplots(figsize=(6, 4), layout="constrained")[1] if ax is None else ax


_VIEWS = {"abs": np.abs, "real": np.real, "imag": np.imag, "abs2": lambda z: np.abs(z) ** 2}


def _real_view(u, part: str) -> np.ndarray:
    """The requested real view of a complex field; real fields are shown as they are."""
    if part not in _VIEWS:
        raise ValueError(f"plot: expected part in {sorted(_VIEWS)}, got {part!r}")
    u = np.asarray(u)
    return _VIEWS[part](u) if np.iscomplexobj(u) else u


def space_time(
    ts, ys, grid: FourierGrid, *, part: str = "real", ax=None, cmap="RdBu_r", title=None
):
    """Space-time diagram of a 1D field: x horizontal, t vertical. `part` picks what is shown
    of complex fields: "abs", "abs2", "real" or "imag" (real fields: "real")."""
    if grid.ndim != 1:
        raise ValueError(f"space_time: expected a 1D grid, got ndim = {grid.ndim}")
    ax = _axes(ax)
    values = _real_view(ys, part)
    ts = np.asarray(ts)
    if part in ("abs", "abs2") and np.iscomplexobj(ys):
        cmap = "magma" if cmap == "RdBu_r" else cmap
        vmin, vmax = 0, values.max()
    else:
        vmax = np.abs(values).max()
        vmin = -vmax
    image = ax.imshow(
        values, origin="lower", aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax,
        extent=(0, grid.length[0], ts[0], ts[-1]), interpolation="nearest",
    )  # fmt: skip
    ax.figure.colorbar(image, ax=ax)
    ax.set(xlabel="x", ylabel="t", title=title)
    return ax


def field(u, grid: FourierGrid, *, part: str = "real", ax=None, cmap="RdBu_r", title=None):
    """Image of a 2D field u[i, j] = u(x_i, y_j), x to the right, y up."""
    if grid.ndim != 2:
        raise ValueError(f"field: expected a 2D grid, got ndim = {grid.ndim}")
    ax = _axes(ax)
    values = _real_view(u, part)
    symmetric = values.min() < 0 < values.max()
    vmax = np.abs(values).max() if symmetric else values.max()
    vmin = -vmax if symmetric else values.min()
    image = ax.imshow(
        values.T, origin="lower", cmap=cmap if symmetric else "viridis", vmin=vmin, vmax=vmax,
        extent=(0, grid.length[0], 0, grid.length[1]), interpolation="nearest",
    )  # fmt: skip
    ax.figure.colorbar(image, ax=ax)
    ax.set(xlabel="x", ylabel="y", title=title, aspect="equal")
    return ax


def spectrum(
    k, energy, *, ax=None, label=None, slopes: Mapping[str, float] | None = None, title=None
):
    """Log-log energy spectrum E(k) (shell 0 omitted); `slopes` adds reference power laws,
    e.g. {"k⁻³": -3}."""
    ax = _axes(ax)
    k, energy = np.asarray(k)[1:], np.asarray(energy)[1:]
    ax.loglog(k, energy, label=label)
    for name, slope in (slopes or {}).items():
        anchor = len(k) // 4
        ax.loglog(k, energy[anchor] * (k / k[anchor]) ** slope, "k--", lw=0.8, label=name)
    ax.set(xlabel="k", ylabel="E(k)", title=title)
    if label or slopes:
        ax.legend()
    return ax


def conservation(ts, quantities: Mapping[str, object], *, ax=None, title="relative drift"):
    """|Q(t)/Q(0) − 1| of each conserved quantity, on a log axis."""
    ax = _axes(ax)
    ts = np.asarray(ts)
    for name, q in quantities.items():
        q = np.asarray(q)
        # Exact agreement (always so at t₀) is drawn at a tenth of the rounding unit.
        floor = np.finfo(q.dtype).eps / 10
        ax.semilogy(ts, np.maximum(np.abs(q / q[0] - 1), floor), label=name)
    ax.set(xlabel="t", ylabel="|Q/Q₀ − 1|", title=title)
    ax.legend()
    return ax


def attractor(ys, *, components: tuple[int, int] = (0, 2), ax=None, title=None, **line_kwargs):
    """A 2D projection of a trajectory `ys[time, state]` (default x–z, Lorenz's butterfly)."""
    ys = np.asarray(ys)
    if ys.ndim != 2 or max(components) >= ys.shape[1]:
        raise ValueError(
            f"attractor: expected ys of shape (times, dim > {max(components)}), got {ys.shape}"
        )
    ax = _axes(ax)
    i, j = components
    ax.plot(ys[:, i], ys[:, j], lw=line_kwargs.pop("lw", 0.4), **line_kwargs)
    ax.set(xlabel=f"y[{i}]", ylabel=f"y[{j}]", title=title)
    return ax
