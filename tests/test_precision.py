"""The precision contract: each pillar's headline accuracy, measured in float32 (JAX's default,
all a TPU has) and in float64, against a bound for each.

`python benchmarks/precision_table.py` runs this file with JAXDYN_PRECISION_DIR set, so that
each case also records what it measured; the script writes those records to
`benchmarks/results/precision_cpu.json` and renders them as the README's precision table, which
`tests/test_readme.py` checks against the record (the table is never typed by hand).
"""

import json
import os
import warnings
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn as jd
import jaxdyn.implicit as im
import jaxdyn.spectral as sp
import jaxdyn.systems as sy
from tests.implicit.test_layers import _active_set_problem, _active_set_sensitivity

LORENZ = (0.9056, 0.0, -14.5723)  # Sprott, Chaos and Time-Series Analysis (2003), Appendix A
DTYPES = {"float32": (jnp.float32, jnp.complex64), "float64": (jnp.float64, jnp.complex128)}


def _relative(a, b) -> float:
    a, b = np.asarray(a, np.complex128), np.asarray(b, np.complex128)
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


def kuramoto_sivashinsky(real, complex_):
    """KS, L = 32π, n = 64, ETDRK4 dt = 0.05 to t = 5: error relative to max |u| against a
    float64 run at dt = 1/320."""
    grid = sp.FourierGrid(64, 32 * np.pi)
    (x,) = grid.mesh()
    u0 = jnp.cos(x / 16) * (1 + jnp.sin(x / 16))
    with jax.enable_x64(True):
        u0_64 = jnp.asarray(np.asarray(u0), jnp.float64)
        reference = sp.solve(sp.KuramotoSivashinsky(), grid, u0_64, 5.0, dt=1 / 320).ys[-1]
    u = sp.solve(sp.KuramotoSivashinsky(), grid, u0.astype(real), 5.0, dt=0.05).ys[-1]
    return {"relative error": _relative(u, reference)}


def nlse_soliton(real, complex_):
    """NLSE soliton, n = 1024, L = 60, ETDRK4 dt = 0.01 to t = 10: relative mass drift and
    field error against the exact travelling soliton."""
    grid = sp.FourierGrid(1024, 60.0)
    u0 = sp.soliton(grid, velocity=0.5, dtype=complex_)
    sol = sp.solve(sp.NLSE(), grid, u0, 10.0, dt=0.01, saveat=2)
    mass = np.asarray(sp.mass(sol.ys, grid), np.float64)
    exact = sp.soliton(grid, 10.0, velocity=0.5, dtype=complex_)
    return {"mass drift": abs(mass[-1] / mass[0] - 1), "field error": _relative(sol.ys[-1], exact)}


def taylor_green(real, complex_):
    """2D Navier–Stokes, Taylor–Green vortex ω = 2 sin x sin y, ν = 0.05, 32², to t = 2:
    error relative to the exact decay ω₀ e^{−2νt}."""
    grid = sp.FourierGrid((32, 32))
    x, y = grid.mesh(real)
    omega0 = 2 * jnp.sin(x) * jnp.sin(y)
    sol = sp.solve(sp.NavierStokes2D(viscosity=0.05), grid, omega0, 2.0, dt=0.05)
    return {"relative error": _relative(sol.ys[-1], omega0 * jnp.exp(-0.2))}


def abc_flow(real, complex_):
    """3D Navier–Stokes, ABC (Beltrami) flow a, b, c = 1, 0.7, 0.4, ν = 0.1, 16³, to t = 2:
    error relative to the exact decay u₀ e^{−νt}."""
    grid = sp.FourierGrid((16, 16, 16))
    u0 = jnp.asarray(sp.abc_flow(grid, 1, 1.0, 0.7, 0.4), real)
    sol = sp.solve(sp.NavierStokes3D(viscosity=0.1), grid, u0, 2.0, dt=0.05)
    return {"relative error": _relative(sol.ys[-1], u0 * jnp.exp(-0.2))}


def lorenz_lyapunov(real, complex_):
    """Lorenz Lyapunov spectrum (default `lyapunov_spectrum`: 1000 periods): relative errors
    of λ₁ and λ₃ against Sprott's values."""
    result = sy.lyapunov_spectrum(sy.Lorenz(beta=8 / 3))
    exponents = np.asarray(result.exponents, np.float64)
    assert result.exponents.dtype == real and bool(result.stats.ok)
    return {
        "λ₁ error": abs(exponents[0] / LORENZ[0] - 1),
        "λ₃ error": abs(exponents[2] / LORENZ[2] - 1),
    }


def lorenz_trajectory(real, complex_):
    """Lorenz trajectory at the default tolerance against a float64 run at rtol 1e-13: the time
    its error stays under 1% of the attractor's scale, in Lyapunov times."""
    system = sy.Lorenz(beta=8 / 3)
    t1, n = 40.0, 2001
    with jax.enable_x64(True):
        reference = sy.trajectory(sy.Lorenz(beta=8 / 3), t1, n_points=n, rtol=1e-13, atol=1e-13).ys
    ys = sy.trajectory(system, t1, n_points=n).ys
    error = np.linalg.norm(np.asarray(ys, np.float64) - np.asarray(reference), axis=1)
    scale = float(np.linalg.norm(np.std(np.asarray(reference), axis=0)))
    steps = int(np.argmax(error > 0.01 * scale)) if np.any(error > 0.01 * scale) else n
    return {"agreement (Lyapunov times)": steps * t1 / (n - 1) * LORENZ[0]}


def implicit_gradients(real, complex_):
    """Derivatives of root_find (z² = θ), fixed_point (z = tanh(Mz + s)), argmin (½xᵀAx − θᵀx)
    and QPLayer (two active inequalities, one equality), relative to the closed form, the
    float64 unrolled iteration and the active-set KKT sensitivity."""
    root = jax.grad(lambda t: im.root_find(lambda z, t: z**2 - t, jnp.ones(1, real), t).value[0])
    matrix = np.array([[0.3, 0.1, -0.2], [0.05, 0.2, 0.1], [-0.1, 0.15, 0.25]])
    shift = np.array([0.5, -0.2, 0.1])

    def fixed(s, dtype):
        f = lambda z, s: jnp.tanh(jnp.asarray(matrix, dtype) @ z + s)  # noqa: E731
        return jnp.sum(im.fixed_point(f, jnp.zeros(3, dtype), s).value ** 2)

    hessian = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])

    def minimiser(theta):
        energy = lambda x, t: 0.5 * x @ jnp.asarray(hessian, real) @ x - t @ x  # noqa: E731
        return im.argmin(energy, jnp.zeros(3, real), theta).value

    with jax.enable_x64(True):
        problem64 = tuple(np.asarray(p) for p in _active_set_problem(jnp.float64))
        fixed64 = jax.grad(lambda s: jnp.sum(_unrolled(matrix, s) ** 2))(jnp.asarray(shift))
        q, _, a, _, g, _ = problem64
        qp64 = jnp.zeros((6, 4)).at[:, :2].set(_active_set_sensitivity(q, a, g[:2])[0])
    problem = tuple(jnp.asarray(p, real) for p in problem64)
    qp = jax.jacrev(lambda h: im.QPLayer()(*problem[:5], h))(problem[5])
    return {
        "root_find": _relative(root(real(2.0)), 0.5 / np.sqrt(2.0)),
        "fixed_point": _relative(jax.grad(fixed)(jnp.asarray(shift, real), real), fixed64),
        "argmin": _relative(jax.jacfwd(minimiser)(jnp.ones(3, real)), np.linalg.inv(hessian)),
        "QPLayer": _relative(qp, qp64),
    }


def _unrolled(matrix, shift, n=200):
    f = lambda _, z: jnp.tanh(jnp.asarray(matrix) @ z + shift)  # noqa: E731
    return jax.lax.fori_loop(0, n, f, jnp.zeros(3, shift.dtype))


def echo_state_network(real, complex_):
    """Echo-state network, 200 units, trained on 3000 steps of Lorenz (dt 0.02): median valid
    prediction time of 5 forecasts from 200-step contexts (threshold 0.4), in Lyapunov times."""
    n_train, n_test, dt = 3000, 5, 0.02
    total = n_train + 600 * (n_test + 1)
    with jax.enable_x64(True):
        data = sy.trajectory(sy.Lorenz(), total * dt, n_points=total, rtol=1e-10).ys
    ys = jnp.asarray(np.asarray(data), real)
    esn = jd.nn.EchoStateNetwork(3, 200, jax.random.PRNGKey(0), dtype=real).fit(ys[:n_train])
    forecast = jax.jit(lambda context: esn.forecast(context, 500))
    scale = jnp.std(ys[:n_train], axis=0)
    times = []
    for k in range(n_test):
        start = n_train + 600 * k + 200
        vpt = jd.metrics.valid_prediction_time(
            ys[start : start + 500], forecast(ys[start - 200 : start]), dt=dt,
            lyapunov_exponent=LORENZ[0], scale=scale,
        )  # fmt: skip
        times.append(float(vpt.lyapunov_times))
    return {"valid prediction (Lyapunov times)": float(np.median(times))}


def lorenz_shadowing(real, complex_):
    """d⟨z⟩/dρ of Lorenz at ρ = 28 by shadowing (`systems.long_time_average`, 100 periods):
    error against finite differences over many trajectories, 1.0036."""
    gradient = jax.grad(lambda s: sy.long_time_average(s, lambda y: y[2]))(sy.Lorenz(beta=8 / 3))
    assert gradient.rho.dtype == real
    return {"d⟨z⟩/dρ error": abs(float(gradient.rho) - 1.0036)}


def lorenz_linear_response(real, complex_):
    """d⟨z⟩/dρ of Lorenz at ρ = 28, the whole linear response (`systems.linear_response`,
    3000 periods): error against finite differences over many trajectories, 1.0036."""
    result = sy.linear_response(sy.Lorenz(beta=8 / 3), lambda y: y[2], t1=4500.0)
    assert result.gradient.rho.dtype == real
    return {"d⟨z⟩/dρ error": abs(float(result.gradient.rho) - 1.0036)}


def lorenz_finite_differences(real, complex_):
    """d⟨z⟩/dρ of Lorenz at ρ = 28 by central differences over 16 orbits of 1000 periods
    (`systems.long_time_average(method="finite_differences")`): error against 1.0036."""
    average = lambda s: sy.long_time_average(s, lambda y: y[2], method="finite_differences")  # noqa: E731
    gradient = jax.grad(average)(sy.Lorenz(beta=8 / 3))
    assert gradient.rho.dtype == real
    return {"d⟨z⟩/dρ error": abs(float(gradient.rho) - 1.0036)}


def kuramoto_sivashinsky_differences(real, complex_):
    """d⟨u²⟩/dh of Kuramoto–Sivashinsky at L = 128 (n = 256) by central differences over 8
    orbits of 10⁴ time units (`spectral.finite_difference_sensitivity`): error against
    −1.728 ± 0.007, the rescaling identity's value from long runs at L = 112…144 (README)."""
    grid = sp.FourierGrid(256, 128.0)
    keys = jax.random.split(jax.random.PRNGKey(1), 8)
    u0s = jnp.stack([sp.random_field(k, grid, peak_wavenumber=8.0) for k in keys]).astype(real)
    result = sp.finite_difference_sensitivity(
        sp.KuramotoSivashinsky(), grid, u0s, lambda u: jnp.mean(u**2), 10_000.0, dt=0.25,
        t_transient=500.0,
    )  # fmt: skip
    assert result.gradient.hyperdiffusion.dtype == real
    return {"d⟨u²⟩/dh error": abs(float(result.gradient.hyperdiffusion) + 1.728)}


# case: (function, {quantity: (float32 bound, float64 bound)}); a quantity named "(…times)"
# is a lower bound, every other an upper bound.
CASES = {
    "Kuramoto–Sivashinsky": (kuramoto_sivashinsky, {"relative error": (1e-5, 1e-8)}),
    "NLSE soliton (complex)": (
        nlse_soliton, {"mass drift": (1e-5, 1e-10), "field error": (1e-4, 1e-8)}
    ),
    "Taylor–Green (2D Navier–Stokes)": (taylor_green, {"relative error": (5e-6, 1e-13)}),
    "ABC flow (3D Navier–Stokes)": (abc_flow, {"relative error": (5e-6, 1e-13)}),
    "Lorenz Lyapunov spectrum": (
        lorenz_lyapunov, {"λ₁ error": (0.02, 0.01), "λ₃ error": (0.01, 0.01)}
    ),
    "Lorenz trajectory": (lorenz_trajectory, {"agreement (Lyapunov times)": (5.0, 15.0)}),
    "implicit derivatives": (
        implicit_gradients,
        {name: (1e-3, 1e-8) for name in ("root_find", "fixed_point", "argmin", "QPLayer")},
    ),
    "Lorenz shadowing derivative": (lorenz_shadowing, {"d⟨z⟩/dρ error": (0.05, 0.05)}),
    "Lorenz linear response": (lorenz_linear_response, {"d⟨z⟩/dρ error": (0.05, 0.05)}),
    "Lorenz finite differences": (lorenz_finite_differences, {"d⟨z⟩/dρ error": (0.05, 0.05)}),
    "Kuramoto–Sivashinsky L = 128 finite differences": (
        kuramoto_sivashinsky_differences, {"d⟨u²⟩/dh error": (0.1, 0.1)}
    ),
    "echo-state network (200 units)": (
        echo_state_network, {"valid prediction (Lyapunov times)": (3.0, 3.0)}
    ),
}  # fmt: skip


def _lower_bound(quantity: str) -> bool:
    return quantity.endswith("times)")


@pytest.mark.parametrize("dtype", list(DTYPES))
@pytest.mark.parametrize("case", list(CASES))
def test_precision_contract(case, dtype):
    function, bounds = CASES[case]
    with jax.enable_x64(dtype == "float64"):
        measured = function(*DTYPES[dtype])
    assert set(measured) == set(bounds)
    record = os.environ.get("JAXDYN_PRECISION_DIR")
    if record:
        path = Path(record) / f"{list(CASES).index(case)}-{dtype}.json"
        path.write_text(json.dumps({"case": case, "dtype": dtype, "measured": measured}))
    column = list(DTYPES).index(dtype)
    for quantity, value in measured.items():
        bound = bounds[quantity][column]
        assert np.isfinite(value), (quantity, value)
        assert value >= bound if _lower_bound(quantity) else value <= bound, (quantity, value)


def render_table(records: list[dict]) -> str:
    """The README's precision table from the records `benchmarks/precision_table.py` wrote."""
    values = {(r["case"], r["dtype"]): r["measured"] for r in records}
    lines = [
        "| case | quantity | float32 (bound) | float64 (bound) |",
        "|---|---|---|---|",
    ]
    for case, (_, bounds) in CASES.items():
        for quantity, limits in bounds.items():
            sign = "≥" if _lower_bound(quantity) else "≤"
            cells = [
                f"{values[(case, dtype)][quantity]:.2g} ({sign} {limit:g})"
                for dtype, limit in zip(DTYPES, limits, strict=True)
            ]
            lines.append(f"| {case} | {quantity} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def _tiny_esn():
    return jd.nn.EchoStateNetwork(1, 4, jax.random.PRNGKey(0), density=1.0, washout=0)


@pytest.mark.parametrize(
    "call, what",
    [
        (lambda y: sy.trajectory(sy.Lorenz(), 0.1, y0=y[:3], n_points=2), "Lorenz: y0"),
        (lambda y: sp.solve(sp.Burgers(), sp.FourierGrid(8), y, 0.1, dt=0.05), "solve: u0"),
        (lambda y: im.root_find(lambda z, t: z**2 - t, y[:1] + 1, 2.0), "root_find: z0"),
        (lambda y: _tiny_esn().fit(y[:, None]), "EchoStateNetwork.fit: the data"),
    ],
)  # fmt: skip
def test_a_float64_input_without_64_bit_mode_is_named_not_silently_narrowed(call, what):
    y = np.sin(np.arange(8.0))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call(y)
        narrowed = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
        call(y.astype(np.float32))  # float32 asked for, float32 given: nothing to say
        quiet_float32 = [w for w in caught if issubclass(w.category, UserWarning)][1:]
    assert len(narrowed) == 1, narrowed
    assert narrowed[0].startswith(f"{what} is float64, but JAX's 64-bit mode is off")
    assert not quiet_float32, [str(w.message) for w in quiet_float32]
    with jax.enable_x64(True), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call(y)  # honoured: nothing to say
    assert not [w for w in caught if issubclass(w.category, UserWarning)]
