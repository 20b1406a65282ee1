r"""Delay-differential systems  ẋ(t) = f(t, x(t), x(t − τ))  and their integrator.

The method of steps on a grid that resolves the delay exactly (h = τ/m): classical RK4,
with the delayed values at the stage times t − τ + {0, h/2, h} read from a ring buffer of
the last m grid values and derivatives, the half-step value by cubic Hermite interpolation
(error O(h⁴), so the scheme stays fourth order; Bellen & Zennaro, *Numerical Methods for
Delay Differential Equations*, Oxford 2003, ch. 4). The history x(t), t ≤ 0, is a constant
(as in dysts) or any differentiable function.
"""

import abc
import math
from collections.abc import Callable, Sequence

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float

from .._checks import check_finite_parameters, check_positive
from .._integrate import fixed_step_loop, rk4_step
from .._parameters import parameter
from .._solution import Solution, check_solution
from ._arguments import initial_state, time_span
from ._geometry import delay_embed
from ._system import _CatalogEntry

Scalar = Float[Array, ""]
_STEPS_PER_PERIOD = 100


class AbstractDelaySystem(_CatalogEntry):
    """A scalar delay-differential equation ẋ(t) = rhs(t, x(t), x(t − τ)). Parameters are
    fields (JAX arrays); the delay `tau` is a static float, because it sets the length of
    the history buffer (a new τ compiles once, like a new grid size)."""

    tau: eqx.AbstractVar[float]

    @abc.abstractmethod
    def rhs(self, t: Scalar, x: Scalar, x_delayed: Scalar) -> Scalar:
        """The right-hand side, given the present and the delayed state."""

    @property
    def dimension(self) -> int:
        return 1

    def default_ic(self, dtype=None) -> Float[Array, " 1"]:
        """dysts's constant history value (the first entry of its delay embedding)."""
        state = self._state_from_class(dtype)
        return (
            state if state is not None else jnp.asarray(self.info().initial_conditions[:1], dtype)
        )


def _delay_field(default: float):
    return eqx.field(default=default, static=True, converter=float)


def _ikeda(p, x, x_delayed):
    return p.mu * jnp.sin(x_delayed - p.x0) - p.c * x


class MackeyGlass(AbstractDelaySystem):
    """Blood-cell production: ẋ = β x_τ/(1 + x_τⁿ) − γx, x_τ = x(t − τ) (Mackey & Glass,
    Science 197, 1977)."""

    beta: Scalar = parameter(0.2)
    gamma: Scalar = parameter(0.1)
    n: Scalar = parameter(10.0)
    tau: float = _delay_field(16.0)

    def rhs(self, t, x, x_delayed):
        return self.beta * x_delayed / (1 + x_delayed**self.n) - self.gamma * x


class IkedaDelay(AbstractDelaySystem):
    """Optical ring cavity: ẋ = μ sin(x_τ − x₀) − cx (Ikeda & Matsumoto, Physica D 29,
    1987)."""

    c: Scalar = parameter(1.0)
    mu: Scalar = parameter(-20.0)
    x0: Scalar = parameter(0.0)
    tau: float = _delay_field(2.0)

    def rhs(self, t, x, x_delayed):
        return _ikeda(self, x, x_delayed)


class SprottDelay(AbstractDelaySystem):
    """The simplest chaotic delay equation, ẋ = sin x_τ: Ikeda's form with μ = 1, c = 0
    (Sprott, Phys. Lett. A 366, 2007)."""

    c: Scalar = parameter(0.0)
    mu: Scalar = parameter(1.0)
    x0: Scalar = parameter(0.0)
    tau: float = _delay_field(5.1)

    def rhs(self, t, x, x_delayed):
        return _ikeda(self, x, x_delayed)


class VossDelay(AbstractDelaySystem):
    """An electronic delay circuit: ẋ = −αx + f(x_τ), f(u) = −10.44u³ − 13.95u² − 3.63u +
    0.85 (Voss, Phys. Rev. E 61, 2000)."""

    alpha: Scalar = parameter(3.24)
    tau: float = _delay_field(13.28)

    def rhs(self, t, x, x_delayed):
        u = x_delayed
        return -self.alpha * x + (-10.44 * u**3 - 13.95 * u**2 - 3.63 * u + 0.85)


class ScrollDelay(AbstractDelaySystem):
    """ẋ = −αx_τ + β tanh(10x_τ), a multi-scroll delay equation (Driver, *Ordinary and Delay
    Differential Equations*, 1977)."""

    alpha: Scalar = parameter(0.2)
    beta: Scalar = parameter(0.2)
    tau: float = _delay_field(10.0)

    def rhs(self, t, x, x_delayed):
        return -self.alpha * x_delayed + self.beta * jnp.tanh(10 * x_delayed)


class PiecewiseCircuit(AbstractDelaySystem):
    """A delay circuit with a cubic nonlinearity: ẋ = −αx_τ + β(3x_τ/c − (x_τ/c)³)
    (Tamaševičius, Mykolaitis & Bumelienė, Electron. Lett. 42, 2006)."""

    alpha: Scalar = parameter(1.0)
    beta: Scalar = parameter(1.0)
    c: Scalar = parameter(2.24)
    tau: float = _delay_field(4.9)

    def rhs(self, t, x, x_delayed):
        u = x_delayed / self.c
        return -self.alpha * x_delayed + self.beta * (3 * u - u**3)


def delay_trajectory(
    system: AbstractDelaySystem,
    t1: float,
    *,
    y0: Float[ArrayLike, " 1"] | None = None,
    history: Callable[[Scalar], Scalar] | None = None,
    dt: float | None = None,
    n_points: int | None = None,
    ts: Float[ArrayLike, " times"] | Sequence[float] | None = None,
    t_transient: float = 0.0,
    throw: bool = True,
) -> Solution:
    """Integrate ẋ = f(t, x(t), x(t − τ)) from t = 0 to `t1` by RK4 on a grid h = τ/m.

    **Arguments:**

    - `system`: the delay system.
    - `t1`, `n_points`, `ts`, `t_transient`: as for `trajectory`; between grid points the
      solution is read by cubic Hermite interpolation (fourth order, like the scheme).
    - `y0`: x(0), shape (1,) (default: dysts's value); with no `history`, the history is
      the constant x(t) = x(0) for t ≤ 0.
    - `history`: a differentiable function t ↦ x(t) for t ≤ 0 (then y0 defaults to
      history(0)).
    - `dt`: the largest step allowed; h = τ/m with m = ⌈τ/dt⌉ ≥ 2 (default: a hundredth
      of the shorter of τ and the system's period).
    - `throw`: raise on blow-up (else read `stats.blew_up` and `stats.blowup_time`).

    **Returns:** `Solution(ts, ys, stats)` with `ys` of shape (times, 1).
    """
    if not isinstance(system, AbstractDelaySystem):
        raise ValueError(
            f"delay_trajectory: expected an AbstractDelaySystem, got {type(system).__name__}"
        )
    name = type(system).__name__
    check_finite_parameters(system, name)
    if history is not None and y0 is None:
        y0 = jnp.reshape(history(jnp.zeros(())), (1,))
    y0 = initial_state(system, y0)
    _, t1, t_transient, save_times = time_span(t1, t_transient, ts, n_points, "delay_trajectory")
    tau = system.tau
    if not tau > 0:
        raise ValueError(f"{name}: expected a delay tau > 0, got {tau}")
    if dt is None:
        period = system.period()
        scale = tau if period is None else min(tau, period)
        dt = scale / _STEPS_PER_PERIOD
    dt = check_positive(dt, "dt", "delay_trajectory")
    m = max(2, math.ceil(tau / dt - 1e-9))
    n_steps = math.ceil(t1 * m / tau - 1e-9)
    solution = _integrate_delay(
        system, history, y0[0], tau / m, m, n_steps, jnp.asarray(save_times, y0.dtype)
    )
    return check_solution(solution, "delay_trajectory") if throw else solution


@eqx.filter_jit
def _integrate_delay(system, history, x0, h, m, n_steps, save_times):
    real = x0.dtype
    h = jnp.asarray(h, real)
    # The buffer holds grid indices n − m … n − 1 (index i in slot i mod m) with their
    # derivatives; it starts with the history at −m … −1.
    if history is None:  # the dysts convention: x(t) = x(0) for t <= 0
        history = lambda t: x0 + 0 * t  # noqa: E731
    value_and_slope = lambda t: jax.jvp(history, (t,), (jnp.ones_like(t),))  # noqa: E731
    past_x, past_f = jax.vmap(value_and_slope)(-h * jnp.arange(m, 0, -1, dtype=real))
    slots = jnp.arange(-m, 0) % m
    buffer_x = jnp.zeros(m, real).at[slots].set(past_x.astype(real))
    buffer_f = jnp.zeros(m, real).at[slots].set(past_f.astype(real))
    # At t = 0 the derivative jumps from the history's to the equation's: the interval
    # [−h, 0] must be interpolated with the left one.
    left_f0 = value_and_slope(jnp.zeros((), real))[1].astype(real)

    def step(state, n):
        # state: x_n, f_n = f(t_n, x_n, x_{n−m}) (the next step's k1), and the buffer.
        x, fx, buffer_x, buffer_f = state
        t = n * h
        old, nxt = n % m, (n + 1) % m
        x_a, f_a = buffer_x[old], buffer_f[old]
        x_b, f_b = buffer_x[nxt], jnp.where(n == m - 1, left_f0, buffer_f[nxt])
        x_next = _delay_rk4(system, t, x, fx, (x_a, f_a), (x_b, f_b), h)
        buffer_x, buffer_f = buffer_x.at[old].set(x), buffer_f.at[old].set(fx)
        f_next = system.rhs(t + h, x_next, buffer_x[nxt])
        return x_next, f_next, buffer_x, buffer_f

    fx0 = system.rhs(jnp.zeros((), real), x0, buffer_x[0])
    (xs, fs), _, stats = fixed_step_loop(
        step, (x0, fx0, buffer_x, buffer_f), n_pre=0, n_per_save=1, n_saves=n_steps + 1,
        observe=lambda state: (state[0], state[1]), t0=jnp.zeros((), real), dt=h,
        is_finite=lambda state: jnp.isfinite(state[0]), remat=False,
    )  # fmt: skip
    return Solution(save_times, _hermite(xs, fs, h, save_times)[:, None], stats)


def _delay_rk4(system, t, x, fx, delayed_start, delayed_end, h):
    """One RK4 step from (t, x) with k1 = fx, the delayed values at the stage times read from
    the grid values and slopes (x_a, f_a), (x_b, f_b) at t − τ and t − τ + h (the midpoint by
    cubic Hermite interpolation)."""
    (x_a, f_a), (x_b, f_b) = delayed_start, delayed_end
    delayed = {0.0: x_a, 0.5: (x_a + x_b) / 2 + h * (f_a - f_b) / 8, 1.0: x_b}
    return rk4_step(lambda c, x: system.rhs(t + c * h, x, delayed[c]), x, h, k1=fx)


def delay_step_map(system: AbstractDelaySystem, h: float, m: int, n_steps: int):
    """The method of steps as a map on the discretised history: the state is
    (x_{n−m}, …, x_n, f_{n−m}, …, f_n), 2(m + 1) numbers, and the map advances it `n_steps`
    grid steps of h = τ/m (RK4 as `delay_trajectory`, the system taken autonomous: t = 0).
    Its Jacobian is what the Lyapunov spectrum of a delay system is computed from."""

    def one(state, _):
        xs, fs = jnp.split(state, 2)
        zero, step = jnp.zeros((), state.dtype), jnp.asarray(h, state.dtype)
        x_next = _delay_rk4(system, zero, xs[-1], fs[-1], (xs[0], fs[0]), (xs[1], fs[1]), step)
        f_next = system.rhs(step, x_next, xs[1])
        xs = jnp.concatenate([xs[1:], x_next[None]])
        fs = jnp.concatenate([fs[1:], f_next[None]])
        return jnp.concatenate([xs, fs]), None

    def step(state):
        return jax.lax.scan(one, state, None, length=n_steps)[0]

    return step


def delay_history_state(system: AbstractDelaySystem, x0, h: float, m: int):
    """The constant history x(t) = x0, t ≤ 0, as a state of `delay_step_map`."""
    xs = jnp.full(m + 1, x0)
    fs = jnp.zeros(m + 1, xs.dtype).at[-1].set(system.rhs(jnp.zeros((), xs.dtype), x0, x0))
    return jnp.concatenate([xs, fs])


def _hermite(xs, fs, h, times):
    """Cubic Hermite interpolation of grid values `xs` and slopes `fs` (spacing h)."""
    i = jnp.clip(jnp.floor(times / h).astype(int), 0, xs.size - 2)
    s = times / h - i
    h00, h10 = (1 + 2 * s) * (1 - s) ** 2, s * (1 - s) ** 2
    h01, h11 = s**2 * (3 - 2 * s), s**2 * (s - 1)
    return h00 * xs[i] + h10 * h * fs[i] + h01 * xs[i + 1] + h11 * h * fs[i + 1]


def delay_coordinates(
    system: AbstractDelaySystem, ts: Float[ArrayLike, " times"], xs: Float[ArrayLike, "times 1"]
) -> Float[Array, "rows 3"]:
    """(x(t), x(t + τ), x(t + 2τ)) from a delay system's equally spaced trajectory: the
    natural coordinates to draw its attractor in (Takens; the lag rounded to the saves)."""
    ts, xs = jnp.asarray(ts), jnp.asarray(xs)
    lag = max(1, round(system.tau / float(ts[1] - ts[0])))
    return delay_embed(xs[:, 0], 3, lag)
