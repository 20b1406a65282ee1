"""jaxdyn.implicit against unrolled differentiation and against jaxopt, in one process.

    python benchmarks/implicit_vs_unrolled.py [--json benchmarks/results/implicit_cpu.json]

1. Memory (XLA's temporary allocation of the compiled gradient) and time of ∂L/∂W through
   10, 100 and 1000 forward iterations of z = tanh(Wz + x) (64 unknowns, float32): implicit
   (one backward solve) vs unrolled (reverse mode through the loop).
2. A deep-equilibrium solve (Anderson to 1e-6): backward time over forward time, 64 and 512
   unknowns, with the Anderson backward solve (the FixedPointLayer default) and GMRES.
3. The same gradients by jaxopt's implicit differentiation (AndersonAcceleration and
   LBFGS on ridge regression), as time ratios, and their agreement with ours.
Needs jaxopt (a core dependency, imported here only).
"""

from __future__ import annotations

import argparse
import json
import warnings
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

import jaxdyn.implicit as im
from jaxdyn.bench import (
    equilibrium_forward_backward,
    equilibrium_problem,
    gradient_cost,
    time_compiled,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import jaxopt


def memory_and_time(iterations=(10, 100, 1000)) -> list[dict]:
    return [gradient_cost(n, method) for n in iterations for method in ("implicit", "unrolled")]


def forward_backward() -> list[dict]:
    rows = []
    for size in (64, 512):
        rows.append({"backward_solver": "anderson", **equilibrium_forward_backward(size)})
        rows.append({"backward_solver": "gmres", **equilibrium_forward_backward(size, "gmres")})
    return rows


def against_jaxopt(size: int = 64) -> list[dict]:
    f, w, x = equilibrium_problem(size)

    def ours(w):
        z = im.fixed_point(f, jnp.zeros_like(x), (w, x), tol=1e-6, linear_solver="anderson")
        return jnp.sum(z.value**2)

    def theirs(w):
        solver = jaxopt.AndersonAcceleration(
            fixed_point_fun=lambda z, w: f(z, (w, x)), tol=1e-6, implicit_diff=True
        )
        return jnp.sum(solver.run(jnp.zeros_like(x), w).params ** 2)

    rows = [_compare("fixed point, Anderson (64, float32)", ours, theirs, w)]

    key_x, key_y = jax.random.split(jax.random.PRNGKey(0))
    features = jax.random.normal(key_x, (200, 20))
    targets = features @ jnp.linspace(-1, 1, 20) + 0.1 * jax.random.normal(key_y, (200,))

    def ridge(w, lam, features, targets):
        return 0.5 * jnp.mean((features @ w - targets) ** 2) + 0.5 * lam * jnp.sum(w**2)

    def ours_ridge(lam):
        g = lambda w, lam: ridge(w, lam, features, targets)  # noqa: E731
        return jnp.sum(im.argmin(g, jnp.zeros(20), lam, tol=1e-6, throw=False).value)

    def theirs_ridge(lam):
        solver = jaxopt.LBFGS(fun=ridge, tol=1e-6, maxiter=1000, implicit_diff=True)
        return jnp.sum(solver.run(jnp.zeros(20), lam, features, targets).params)

    rows.append(_compare("ridge regression, L-BFGS (20, float32)", ours_ridge, theirs_ridge, 0.1))
    return rows


def _compare(name, ours, theirs, argument) -> dict:
    ours_timing = time_compiled(jax.grad(ours), argument)
    theirs_timing = time_compiled(jax.grad(theirs), argument)
    difference = np.max(np.abs(np.asarray(ours_timing.output - theirs_timing.output)))
    scale = np.max(np.abs(np.asarray(theirs_timing.output)))
    return {
        "problem": name,
        "ours_s": ours_timing.run_s,
        "jaxopt_s": theirs_timing.run_s,
        "speedup": theirs_timing.run_s / ours_timing.run_s,
        "relative_difference": float(difference / scale),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = {
        "device": str(jax.devices()[0]),
        "jax": jax.__version__,
        "memory_and_time": memory_and_time(),
        "forward_backward": forward_backward(),
        "against_jaxopt": against_jaxopt(),
    }
    for section in ("memory_and_time", "forward_backward", "against_jaxopt"):
        for row in results[section]:
            print(json.dumps(row))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
