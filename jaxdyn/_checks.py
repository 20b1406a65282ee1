"""Input checks shared by every integrator: a clear ValueError at trace time when the value
is known, `eqx.error_if` at run time when it is traced."""

import warnings

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np


def check_finite_parameters(module: eqx.Module, what: str) -> None:
    """Raise a ValueError naming the first concrete non-finite array field of `module`."""
    for path, leaf in jax.tree_util.tree_leaves_with_path(eqx.filter(module, eqx.is_array)):
        if not isinstance(leaf, jax.core.Tracer) and not np.all(np.isfinite(np.asarray(leaf))):
            name = jax.tree_util.keystr(path)
            raise ValueError(f"{what}: expected finite parameters, got {name} = {leaf}")


def check_finite(x: jax.Array, what: str) -> jax.Array:
    """`x`, after checking it is finite: now if it is concrete, at run time if traced."""
    if isinstance(x, jax.core.Tracer):
        return eqx.error_if(x, ~jnp.all(jnp.isfinite(x)), f"{what}: expected finite values")
    if not np.all(np.isfinite(np.asarray(x))):
        raise ValueError(f"{what}: expected finite values, got NaN or inf entries")
    return x


def check_shape(x, expected: tuple[int | None, ...], what: str, name: str) -> jax.Array:
    """`x` as an array, after a ValueError unless its shape matches `expected` (None: any
    size on that axis)."""
    x = jnp.asarray(x)
    matches = x.ndim == len(expected) and all(
        e is None or e == s for e, s in zip(expected, x.shape, strict=True)
    )
    if not matches:
        wanted = "(" + ", ".join("*" if e is None else str(e) for e in expected)
        wanted += ",)" if len(expected) == 1 else ")"
        raise ValueError(f"{what}: expected {name} of shape {wanted}, got {x.shape}")
    return x


def concrete_number(value, name: str, what: str, *, integer: bool = False) -> float | int:
    """`value` as a finite Python number, or a ValueError naming `name` (traced values are
    refused: the number is part of the compiled program's shape or schedule)."""
    kind = "an integer" if integer else "a number"
    if isinstance(value, jax.core.Tracer):
        raise ValueError(
            f"{what}: expected {name} to be {kind} known before compilation; it is traced "
            "here (inside jax.jit): pass it from outside the jitted function"
        )
    try:
        if isinstance(value, bool) or (integer and not float(value).is_integer()):
            raise TypeError
        number = int(value) if integer else float(value)
    except (TypeError, ValueError, OverflowError) as error:
        raise ValueError(f"{what}: expected {name} to be {kind}, got {value!r}") from error
    if not np.isfinite(number):
        raise ValueError(f"{what}: expected a finite {name}, got {value}")
    return number


def check_positive(
    value, name: str, what: str, *, integer: bool = False, allow_zero: bool = False
) -> float | int:
    """`value` as a concrete number > 0 (>= 0 with `allow_zero`), or a one-line ValueError
    naming `name`."""
    number = concrete_number(value, name, what, integer=integer)
    if not (number >= 0 if allow_zero else number > 0):
        raise ValueError(f"{what}: expected {name} {'>=' if allow_zero else '>'} 0, got {value}")
    return number


def check_tolerances(rtol, atol, dtype, what: str) -> tuple[float, float]:
    """Tolerances of an adaptive solve: both > 0 and finite; rtol at least 10 ε of `dtype`
    (smaller asks for more than the precision resolves: the controller would stall)."""
    rtol, atol = check_positive(rtol, "rtol", what), check_positive(atol, "atol", what)
    eps = float(jnp.finfo(dtype).eps)
    if rtol < 10 * eps:
        raise ValueError(
            f"{what}: rtol = {rtol:g} is below what {jnp.dtype(dtype).name} resolves "
            f"(eps = {eps:.1e}); expected rtol >= {10 * eps:.1e}, or float64 inputs "
            "(JAX's 64-bit mode: `with jax.enable_x64():`)"
        )
    return rtol, atol


def concrete_times(times, what: str, name: str = "saveat") -> np.ndarray:
    """Save times as a concrete float64 vector, or a one-line ValueError if they are traced."""
    if any(isinstance(x, jax.core.Tracer) for x in jax.tree.leaves(times)):
        raise ValueError(
            f"{what}: expected concrete {name} (a NumPy array or list); they are traced here, "
            "inside jax.jit: create them outside the jitted function, or close over them"
        )
    return np.asarray(times, dtype=np.float64).reshape(-1)


def check_sizes(what: str, **sizes) -> tuple[int, ...]:
    """Each of `sizes` as a Python int >= 1 (a count of units, layers, modes, …), or a one-line
    ValueError naming it."""
    numbers = []
    for name, value in sizes.items():
        number = concrete_number(value, name, what, integer=True)
        if number < 1:
            raise ValueError(f"{what}: expected {name} >= 1, got {value}")
        numbers.append(number)
    return tuple(numbers)


def check_unit_interval(value, name: str, what: str, *, include_zero: bool = False):
    """`value` in (0, 1] (or [0, 1]); traced values pass through unchecked."""
    if isinstance(value, jax.core.Tracer):
        return value
    number = concrete_number(value, name, what)
    if not (0 <= number <= 1 if include_zero else 0 < number <= 1):
        interval = "[0, 1]" if include_zero else "(0, 1]"
        raise ValueError(f"{what}: expected {name} in {interval}, got {value}")
    return number


def check_positive_if_concrete(value, name: str, what: str, *, allow_zero: bool = False):
    """`check_positive` for arguments that may also be traced (then they pass unchecked)."""
    if value is None or isinstance(value, jax.core.Tracer):
        return value
    return check_positive(value, name, what, allow_zero=allow_zero)


def narrowed_input(x, what: str, name: str):
    """`x` as a JAX array; a warning (once per call site) when `x` is a float64 or complex128
    array that JAX, its 64-bit mode off, silently narrows to float32/complex64: the caller
    asked for a precision it will not get."""
    dtype = getattr(x, "dtype", None)
    wide = dtype is not None and np.dtype(dtype) in (np.float64, np.complex128)
    if wide and np.dtype(jnp.result_type(float)) != np.float64:
        narrow = "float32" if np.dtype(dtype) == np.float64 else "complex64"
        warnings.warn(
            f"{what}: {name} is {np.dtype(dtype).name}, but JAX's 64-bit mode is off, so it runs "
            f"in {narrow}: expect float32 accuracy (the README's precision table), not "
            "float64's. Turn on JAX's 64-bit mode (README, Precision) before creating "
            f"arrays (CPU/GPU; a TPU has none), or pass {narrow} to silence this.",
            stacklevel=2,
        )
    return jnp.asarray(x)
