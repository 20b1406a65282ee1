"""The time-τ map of a flow, in the form the tangent machinery differentiates."""

from collections.abc import Callable

import diffrax
import jax
import jax.numpy as jnp
from jaxtyping import Array

from .._checks import check_positive
from .._integrate import diffrax_solve


def flow_map(
    vector_field: Callable[[Array, Array], Array],
    tau: float,
    *,
    rtol: float = 1e-9,
    atol: float = 1e-9,
    what: str = "flow_map",
) -> Callable[[Array], Array]:
    """y ↦ y(τ) for ẏ = f(t, y) from t = 0 (autonomous flows), by adaptive Tsit5 in
    forward-mode-differentiable form (`jax.jvp` pushes tangents through it). A step that fails
    (step limit) returns NaN, so the caller's finiteness check reports it rather than a wrong
    number."""
    tau, controller = _settings(tau, rtol, atol, what)

    def step(y):
        t0, t1 = _times(tau, y.dtype)
        ok = jnp.all(jnp.isfinite(y))
        ys, stats = diffrax_solve(
            _idle_unless(ok, vector_field), diffrax.Tsit5(), jnp.where(ok, y, 0), t0, t1, None,
            None, controller=controller, max_steps=4096, adjoint=diffrax.ForwardMode(),
        )  # fmt: skip
        return jnp.where(stats.ok & ok, ys[-1], jnp.nan).astype(y.dtype)

    return step


def variational_flow_map(
    vector_field: Callable[[Array, Array], Array],
    tau: float,
    *,
    rtol: float = 1e-9,
    atol: float = 1e-9,
    what: str = "variational_flow_map",
) -> Callable[[Array, Array], tuple[Array, Array]]:
    """(y, V) ↦ (y(τ), Dφ_τ(y)·V): the flow and its tangents together, by integrating
    ẏ = f(t, y), V̇ = Df(t, y)·V as one system with adaptive Tsit5, so that the step-size
    controller bounds the error of the tangents as well as of the orbit. (`jax.jvp` through
    `flow_map` differentiates the steps the orbit alone chose: on a slow–fast flow the
    contracting tangents then lose accuracy — CellCycle's Σλ missed ⟨tr Df⟩ by 14% that way,
    and matches it to 1% this way.) A failed solve returns NaN."""
    tau, controller = _settings(tau, rtol, atol, what)

    def variational(t, state):
        y, tangents = state
        push = lambda v: jax.jvp(lambda y: vector_field(t, y), (y,), (v,))  # noqa: E731
        return jax.vmap(push, in_axes=1, out_axes=(None, 1))(tangents)

    def tangent_map(y, tangents):
        t0, t1 = _times(tau, y.dtype)
        ok = jnp.all(jnp.isfinite(y)) & jnp.all(jnp.isfinite(tangents))
        start = (jnp.where(ok, y, 0), jnp.where(ok, tangents, 0))
        (ys, vs), stats = diffrax_solve(
            _idle_unless(ok, variational), diffrax.Tsit5(), start, t0, t1, None, None,
            controller=controller, max_steps=16_384,
        )  # fmt: skip
        bad = jnp.where(stats.ok & ok, 0.0, jnp.nan).astype(y.dtype)
        return ys[-1] + bad, vs[-1] + bad

    return tangent_map


def _times(tau, dtype):
    """t0 = 0 and t1 = τ in the state's precision (a float64 time would promote a float32
    state). The first step is left to diffrax's initial-step selection (Hairer, Nørsett &
    Wanner, II.4): a fixed guess such as τ/4 can carry a stiff orbit into overflow (JerkCircuit's
    diode exponential), and after a non-finite trial step the controller rejected every later
    one up to the step limit."""
    return jnp.asarray(0.0, dtype), jnp.asarray(tau, dtype)


def _idle_unless(ok, vector_field):
    """`vector_field` where `ok`, else zero: a member whose state is already non-finite
    integrates a constant in a few steps, rather than having every step rejected up to the
    step limit (under `vmap`, that would hold the whole batch for every later step)."""

    def field(t, state):
        return jax.tree.map(lambda d: jnp.where(ok, d, 0), vector_field(t, state))

    return field


def _settings(tau, rtol, atol, what):
    """τ > 0 and the PID controller of tolerances rtol, atol > 0."""
    tau = check_positive(tau, "tau", what)
    rtol, atol = check_positive(rtol, "rtol", what), check_positive(atol, "atol", what)
    return tau, diffrax.PIDController(rtol=rtol, atol=atol)
