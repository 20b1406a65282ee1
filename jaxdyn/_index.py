"""What the `jaxdyn` command lists, without importing JAX: the named PDE runs and the
systems of the catalog with their one-line descriptions (`jaxdyn list` answers at once).
The tests check that these equal `spectral.problem_names()` and `systems.names()`."""

import functools
import json
from importlib import resources

PROBLEM_DESCRIPTIONS: dict[str, str] = {
    "nlse-soliton": "NLSE bright soliton moving at v = 1 (exact solution)",
    "nlse-collision": "NLSE two-soliton collision with its position shifts",
    "nlse-breather": "NLSE Akhmediev breather, α = 1/4 (exact solution)",
    "nlse-modulation-instability": "NLSE noise-seeded modulation instability",
    "kdv-two-solitons": "KdV: a fast soliton overtakes a slow one",
    "kuramoto-sivashinsky": "Kuramoto–Sivashinsky chaos, L = 32π (Kassam–Trefethen)",
    "burgers": "Viscous Burgers: a sine steepens into a shock",
    "allen-cahn": "2D Allen–Cahn coarsening from noise",
    "swift-hohenberg": "2D Swift–Hohenberg roll patterns from noise",
    "gray-scott": "2D Gray–Scott spots (Pearson 1993, F = 0.035, κ = 0.065)",
    "navier-stokes-2d": "2D decaying turbulence from random vorticity",
    "kolmogorov-flow": "2D Kolmogorov flow, Re = 40, forcing mode 4, drag 0.1",
    "qg-two-layer": "Two-layer QG turbulence on a β-plane (baroclinic instability)",
}


@functools.cache
def system_descriptions() -> dict[str, str]:
    """Catalog name -> description, from the dysts data file that ships with jaxdyn."""
    text = resources.files("jaxdyn").joinpath("systems/data/chaotic_attractors.json").read_text()
    return {
        name: record.get("description", "") for name, record in sorted(json.loads(text).items())
    }
