"""One failure vocabulary for every solver-like function: `RESULTS`, `SolverFailure` and the one
helper that raises, `check_result`.

`RESULTS` extends diffrax's enumeration (itself optimistix's and lineax's), so a diffrax,
optimistix or lineax result promotes into it unchanged (`RESULTS.promote`). Every stats object
in jaxdyn carries one in its `result` field; on a TPU, where a compiled program cannot raise,
that field is how a run reports its failure (pass `throw=False` and read it).
"""

from collections.abc import Callable

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np


class RESULTS(diffrax.RESULTS):  # pyright: ignore[reportGeneralTypeIssues]
    nonfinite_state = "the state became non-finite (NaN or inf): the run blew up"
    nonconvergence = "no convergence to the tolerance within max_iter"
    nonfinite_loss = "training diverged: the loss or the parameters became non-finite"
    tangent_resolution_lost = (
        "the tangent vectors' growth over one step spanned more e-folds than the arithmetic "
        "resolves, so the smallest exponents are lost in round-off: shorten the step (tau)"
    )


class SolverFailure(RuntimeError):
    """A run that failed at run time (blow-up, step limit, no convergence), raised in one line
    by a solver-like function called with `throw=True`. `result` is the `RESULTS` item (batched
    for batched runs); `what` names the function."""

    def __init__(self, message: str, result, what: str):
        super().__init__(message)
        self.result = result
        self.what = what


def default_tolerance(dtype) -> float:
    """The default stopping tolerance of jaxdyn's solvers: max(1e-10, 100 ε) for the dtype."""
    return max(1e-10, 100 * float(jnp.finfo(dtype).eps))


def check_result(
    result,
    token,
    what: str,
    *,
    hint: str = "Pass throw=False to get the partial result and its stats.",
    details: Callable[[np.ndarray], str] | None = None,
):
    """Raise if `result` is not successful; else return `token` unchanged.

    Called eagerly (a concrete result), it raises `SolverFailure` with one line: the function,
    what failed, `details(failed)` (e.g. when; `failed` is the boolean mask of failed batch
    entries) and `hint`. Inside a trace it threads an `eqx.error_if` on `token`, with the same
    message less the details (on TPU this cannot raise: use `throw=False` there).
    """
    value = result._value
    if isinstance(value, jax.core.Tracer):
        flat = jnp.ravel(value)
        failed = flat != RESULTS.successful._value
        first = flat[jnp.argmax(failed)]
        messages = [f"{what}: {message}. {hint}" for message in RESULTS._index_to_message]
        return eqx.branched_error_if(token, jnp.any(failed), first, messages)
    value = np.asarray(value)
    failed = np.array(value != int(RESULTS.successful._value))  # an ndarray, also 0-d
    if not np.any(failed):
        return token
    first = int(value.reshape(-1)[np.argmax(failed.reshape(-1))])
    message = f"{what}: {RESULTS._index_to_message[first]}"
    if details is not None:
        message += details(failed)
    if failed.size > 1:
        indices = np.flatnonzero(failed.reshape(-1))
        message += f" ({indices.size} of {failed.size} in the batch failed, first {indices[0]})"
    raise SolverFailure(f"{message}. {hint}", result, what)


def first_failure(*conditions_and_results):
    """The result of the first true condition, in order: `first_failure(c1, r1, c2, r2, …)`,
    `RESULTS.successful` where none holds (elementwise)."""
    result = RESULTS.successful
    pairs = list(zip(conditions_and_results[::2], conditions_and_results[1::2], strict=True))
    for condition, item in reversed(pairs):
        result = RESULTS.where(condition, item, result)
    return result
