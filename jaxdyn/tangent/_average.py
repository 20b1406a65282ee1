"""Long-time averages as differentiable functions: `jax.grad` of J̄(θ) calls a derivative
that exists for a chaotic orbit (shadowing, the whole linear response, or central differences
of ensemble averages)."""

import functools
from collections.abc import Callable

import jax
import jax.numpy as jnp
from jaxtyping import Array, Float, PyTree

from ._differences import finite_difference_sensitivity
from ._response import linear_response
from ._shadowing import shadowing_sensitivity

_METHODS = {
    "shadowing": shadowing_sensitivity,
    "linear_response": linear_response,
    "finite_differences": finite_difference_sensitivity,
}


def long_time_average(
    step: Callable[[Array, PyTree], Array],
    observable: Callable[[Array, PyTree], Array],
    y0: Float[Array, "*orbits dim"],
    theta: PyTree,
    *,
    method: str = "shadowing",
    **options,
) -> Float[Array, ""]:
    """J̄(θ) = ⟨J(y, θ)⟩ over the orbit of `step`, as a function that `jax.grad` and `jax.jvp`
    differentiate through a custom derivative, never the exponentially growing derivative of a
    finite-time average: with `method="shadowing"`, `shadowing_sensitivity`'s (NILSS: low
    variance, but only the shadowing contribution); with `method="linear_response"`,
    `linear_response`'s (the whole derivative, with a statistical error); with
    `method="finite_differences"`, `finite_difference_sensitivity`'s (central differences of
    ensemble averages: no hyperbolicity needed; `y0` is then (orbits, dim)). `options` are
    that function's (keyword only); under `jax.jit` pass `n_unstable`, which is otherwise
    counted from a concrete Lyapunov spectrum. The average does not depend on `y0`: its
    derivative with respect to `y0` is zero.
    """
    if method not in _METHODS:
        raise ValueError(
            f"long_time_average: expected method {', '.join(map(repr, _METHODS))}; got {method!r}"
        )
    return _average(step, observable, (method, *sorted(options.items())), y0, theta)


def _sensitivity(step, observable, options, y0, theta):
    method, *options = options
    return _METHODS[method](step, observable, y0, theta, **dict(options))


@functools.partial(jax.custom_jvp, nondiff_argnums=(0, 1, 2))
def _average(step, observable, options, y0, theta):
    return _sensitivity(step, observable, options, y0, theta).average


@_average.defjvp
def _average_jvp(step, observable, options, primals, tangents):
    y0, theta = primals
    _, theta_dot = tangents
    result = _sensitivity(step, observable, options, y0, theta)
    # dJ̄ = Σ ∂J̄/∂θ · dθ: only this product touches the tangent, so it is linear in dθ and
    # reverse mode (jax.grad) transposes it.
    products = jax.tree.map(lambda g, d: jnp.sum(g * d), result.gradient, theta_dot)
    return result.average, sum(jax.tree.leaves(products))
