"""Solver-like functions compile once per shape and static configuration: called eagerly a
second time with new values (initial states, parameters, data), nothing compiles again."""

import jax
import jax.numpy as jnp
import pytest

import jaxdyn as jd
from jaxdyn.forecasting._trained import fitted_forecasts as _fitted_forecasts, stacked as _stacked

sp, sy, im, nn = jd.spectral, jd.systems, jd.implicit, jd.nn
_COMPILES = []
jax.monitoring.register_event_duration_secs_listener(
    lambda event, duration, **kwargs: (
        _COMPILES.append(event) if event == "/jax/core/compile/backend_compile_duration" else None
    )
)
GRID = sp.FourierGrid(16)
X = GRID.mesh()[0]


def _square(z, t):
    return z**2 - t


def _contraction(z, t):
    return 0.5 * jnp.tanh(z) + t


def _bowl(x, t):
    return jnp.sum((x - t) ** 2)


def _half(y):
    return 0.5 * y + jnp.sin(y) * 0.1


def _affine(y, t):
    return 0.5 * y + t


def _sheared(y, t):
    return jnp.mod(jnp.array([[2.0, 1.0], [1.0, 1.0]]) @ y + 0.01 * t * jnp.sin(y), 1.0)


def _first(y, t):
    return y[0]


def _third(y):
    return y[2]


def _mean_square(u):
    return jnp.mean(u**2)


_ESN = nn.EchoStateNetwork(2, 8, jax.random.PRNGKey(0), density=1.0, washout=0).fit(
    jnp.stack([jnp.sin(jnp.arange(40.0) / 3), jnp.cos(jnp.arange(40.0) / 3)], axis=1)
)


_SERIES = jnp.stack([jnp.sin(jnp.arange(40.0) / 3), jnp.cos(jnp.arange(40.0) / 3)], axis=1)


# name: call(value) for two values; the second call must not compile.
CALLS = {
    "spectral.solve": lambda v: sp.solve(
        sp.Burgers(viscosity=v), GRID, v * jnp.sin(X), 0.5, dt=0.1
    ),
    "spectral.ensemble": lambda v: sp.ensemble(
        sp.Burgers(viscosity=v), GRID, v * jnp.stack([jnp.sin(X), jnp.cos(X)]), 0.5, dt=0.1
    ),
    "spectral.steady_state": lambda v: sp.steady_state(
        sp.AllenCahn(diffusivity=v), GRID, 0.1 * jnp.sin(X) + 0 * v
    ),
    "systems.trajectory": lambda v: sy.trajectory(sy.Lorenz(rho=v), 0.5, n_points=5),
    "systems.ensemble": lambda v: sy.ensemble(
        sy.Lorenz(rho=v), jnp.ones((2, 3)) * v / 28, 0.5, n_points=3
    ),
    "systems.delay_trajectory": lambda v: sy.delay_trajectory(
        sy.MackeyGlass(beta=v / 140), 5.0, n_points=5
    ),
    "systems.equilibria": lambda v: sy.equilibria(sy.Lorenz(rho=v), jnp.array([8.0, 8.0, 27.0])),
    "systems.periodic_orbit": lambda v: sy.periodic_orbit(
        sy.Rossler(c=v / 10), jnp.array([0.0, -6.0, 0.03]), 5.9, n_steps=200, max_iter=30,
        throw=False,
    ),
    "systems.lyapunov_spectrum": lambda v: sy.lyapunov_spectrum(sy.Lorenz(rho=v), t1=2.0),
    "tangent.lyapunov_spectrum_of_map": lambda v: jd.tangent.lyapunov_spectrum_of_map(
        _half, jnp.ones(2) * v, 10
    ),
    "systems.lyapunov_spectra": lambda v: sy.lyapunov_spectra(
        jax.vmap(lambda r: sy.Lorenz(rho=r))(jnp.array([v, v + 1])), t1=1.0, tau=0.1,
        t_transient=0.0,
    ),
    # Two exponents: on this small stable domain the full spectrum's damped modes decay by
    # ~150 e-folds a step, beyond float64's resolution (rightly flagged).
    "spectral.lyapunov_spectrum": lambda v: sp.lyapunov_spectrum(
        sp.KuramotoSivashinsky(diffusion=v / 28), GRID, jnp.sin(X), 1.0, dt=0.25, n_exponents=2
    ),
    "nn.lyapunov_spectrum (ESN)": lambda v: nn.lyapunov_spectrum(
        _ESN, jnp.sin(v + jnp.arange(30.0))[:, None] * jnp.ones(2), 10
    ),
    "tangent.covariant_lyapunov_vectors": lambda v: jd.tangent.covariant_lyapunov_vectors(
        _half, jnp.ones(2) * v, 5
    ),
    "tangent.shadowing_sensitivity": lambda v: jd.tangent.shadowing_sensitivity(
        _affine, _first, jnp.zeros(1), jnp.asarray(v), n_segments=3, steps_per_segment=4,
        n_unstable=0,
    ),
    "tangent.linear_response": lambda v: jd.tangent.linear_response(
        _sheared, _first, jnp.array([0.1, 0.2]), jnp.asarray(v), n_steps=40,
        correlation_steps=2, n_blocks=2, n_unstable=1,
    ),
    "systems.linear_response": lambda v: sy.linear_response(
        sy.Lorenz(rho=v), _third, t1=3.0, dt=0.1, correlation_time=0.2, t_transient=0.0,
        n_unstable=1, n_blocks=2,
    ),
    "systems.shadowing_sensitivity": lambda v: sy.shadowing_sensitivity(
        sy.Lorenz(rho=v), _third, t1=3.0, dt=0.1, segment=1.0, t_transient=0.0, n_unstable=1
    ),
    "tangent.finite_difference_sensitivity": lambda v: jd.tangent.finite_difference_sensitivity(
        _affine, _first, jnp.zeros((2, 1)), jnp.asarray(v), n_steps=4
    ),
    "systems.finite_difference_sensitivity": lambda v: sy.finite_difference_sensitivity(
        sy.Lorenz(rho=v), _third, n_orbits=2, t1=1.0, dt=0.1, t_transient=0.0
    ),
    "spectral.finite_difference_sensitivity": lambda v: sp.finite_difference_sensitivity(
        sp.KuramotoSivashinsky(diffusion=v / 28), GRID, jnp.stack([jnp.sin(X), jnp.cos(X)]),
        _mean_square, 1.0, dt=0.25, t_transient=0.0,
    ),
    "implicit.root_find": lambda v: im.root_find(_square, jnp.ones(1), jnp.asarray(v)),
    "implicit.fixed_point": lambda v: im.fixed_point(_contraction, jnp.zeros(1), jnp.asarray(v)),
    "implicit.argmin": lambda v: im.argmin(_bowl, jnp.zeros(2), jnp.asarray(v)),
    # NVAR's ridge is an array: the benchmarks' twelve candidates compile four programs.
    "forecasting.validated_nvar (a new ridge)": lambda v: _fitted_forecasts(
        _stacked([nn.NVAR(2, ridge=v * 1e-6)]), _SERIES[None], ((_SERIES[None], 3),)
    ),
    "implicit.QPLayer": lambda v: im.QPLayer()(
        jnp.eye(2) * v, jnp.ones(2), G=-jnp.eye(2), h=jnp.zeros(2)
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CALLS))
def test_new_values_do_not_recompile(name):
    call = CALLS[name]
    jax.block_until_ready(call(28.0))
    before = len(_COMPILES)
    jax.block_until_ready(call(29.5))
    assert len(_COMPILES) == before, f"{name} compiled {len(_COMPILES) - before} times"
