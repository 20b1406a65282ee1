"""`jaxdyn simulate`: a named PDE problem or catalog system, saved as .npz and a figure.

Every run goes through `io.run_in_chunks`: with `--chunks K` the file is rewritten
atomically after each of K chunks, and `--resume` continues an interrupted run to the same
numbers as an uninterrupted one."""

import difflib
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ._cli_common import EXIT_BLOWUP, CommandError, check_positive, system_by_name

SYSTEM_METHODS = ("Dopri8", "Dopri5", "Tsit5", "Heun", "Kvaerno5")
PDE_METHODS = ("ETDRK1", "ETDRK2", "ETDRK3", "ETDRK4", "IFRK4")


class _Job(NamedTuple):
    advance: Callable  # see io.run_in_chunks
    state0: np.ndarray
    t0: float
    t1: float
    saveat: int
    config: dict
    plot: Callable  # plot(ts, ys, path)


def simulate(args) -> int:
    from . import systems
    from .spectral import problem_names

    check_positive(args, "t1", "dt", "saveat", "chunks", "rtol")
    out, figure = _check_outputs(args)
    if args.name in systems.names():
        job = _system_job(args)
    elif args.name in problem_names():
        job = _pde_job(args)
    else:
        known = problem_names() + systems.names()
        close = difflib.get_close_matches(args.name, known, n=3, cutoff=0.5)
        hint = (
            f"; closest: {', '.join(close)}"
            if close
            else "; see `jaxdyn list` and `jaxdyn list systems`"
        )
        raise CommandError(f"unknown name {args.name!r}{hint}")
    return _run(args, job, out, figure)


def _check_outputs(args) -> tuple[Path, Path | None]:
    """The result and figure paths, checked before the run: the right suffix, a folder that
    exists and can be written, a figure format matplotlib knows."""
    out = args.out or Path(f"{args.name}.npz")
    if out.suffix != ".npz":
        raise CommandError(f"--out {out}: expected a file name ending in .npz")
    figure = None if args.no_plot else args.plot or Path(f"{args.name}.png")
    if args.plot is not None and args.no_plot:
        raise CommandError("--plot and --no-plot contradict each other; pass one")
    for path, option in ((out, "--out"), (figure, "--plot")):
        if path is None:
            continue
        folder = path.parent if str(path.parent) else Path(".")
        if path.is_dir():
            raise CommandError(f"{option} {path} is a folder; expected a file name")
        if not folder.is_dir():
            raise CommandError(f"{option} {path}: the folder {folder} does not exist")
        if not os.access(folder, os.W_OK):
            raise CommandError(f"{option} {path}: the folder {folder} is not writable")
    if figure is not None:
        formats = _figure().figure().canvas.get_supported_filetypes()
        if figure.suffix.lstrip(".").lower() not in formats:
            raise CommandError(
                f"--plot {figure}: unknown figure format {figure.suffix or '(none)'!r}; expected "
                f"one of {', '.join('.' + f for f in sorted(formats))}"
            )
    return out, figure


def _reject(args, target: str, *options: str) -> None:
    """A one-line error for options that do not apply to this kind of target."""
    given = [f"--{o.replace('_', '-')}" for o in options if getattr(args, o) not in (None, False)]
    if given:
        verb = "does" if len(given) == 1 else "do"
        raise CommandError(f"{' and '.join(given)} {verb} not apply to {target}")


def _fault_injection(advance):
    """With JAXDYN_KILL_AFTER_CHUNK=k set, the process kills itself (SIGKILL, as an
    out-of-memory killer or a pre-empted job would) when chunk k + 1 starts, i.e. after k
    chunks were saved: how the tests interrupt a run at a known point."""
    limit = os.environ.get("JAXDYN_KILL_AFTER_CHUNK")
    if limit is None:
        return advance
    calls = 0

    def wrapped(*args):
        nonlocal calls
        calls += 1
        if calls > int(limit):
            os.kill(os.getpid(), signal.SIGKILL)
        return advance(*args)

    return wrapped


def _run(args, job: _Job, out: Path, figure: Path | None) -> int:
    from . import io

    chunks = args.chunks or 1
    per_chunk = max(2, -(-(job.saveat - 1) // chunks) + 1)
    start = time.perf_counter()
    try:
        arrays, meta = io.run_in_chunks(
            out, _fault_injection(job.advance), job.state0, job.t0, job.t1, n_chunks=chunks,
            saves_per_chunk=per_chunk, config=job.config, resume=args.resume,
            progress=args.progress and chunks > 1,
        )  # fmt: skip
    except ValueError as error:
        raise CommandError(str(error)) from None
    elapsed = time.perf_counter() - start
    written = [str(out)]
    if figure is not None:
        job.plot(arrays["ts"], arrays["ys"], figure)
        written.append(str(figure))
    print(
        f"{args.name}: {meta['num_steps']} steps to t = {float(arrays['ts'][-1]):g} in "
        f"{elapsed:.1f} s (compilation included; {meta['chunks_done']}/{chunks} chunks); "
        f"wrote {', '.join(written)}"
    )
    if meta["failure"]:
        print(f"jaxdyn: error: the run {meta['failure']}", file=sys.stderr)
        return EXIT_BLOWUP
    return 0


def _system_job(args) -> _Job:
    from . import systems

    system = system_by_name(args.name)
    delay = isinstance(system, systems.AbstractDelaySystem)
    _reject(args, f"{args.name} (a chaotic system)", "quick", "seed")
    if delay:
        _reject(
            args, f"{args.name} (a delay system, integrated by RK4 with --dt)", "method", "rtol"
        )
        options = {"dt": args.dt}
    else:
        _reject(args, f"{args.name} (adaptive steps: set --rtol instead)", "dt")
        options = {"solver": _system_solver(args.method), "rtol": args.rtol}
    t1 = args.t1 if args.t1 is not None else 100 * system.period()
    y0 = system.default_ic(np.float64 if args.x64 else None)

    def advance(state, start, end, n_save):
        try:
            sol = systems.trajectory(
                system, end, t0=start, y0=state, n_points=n_save, throw=False, **options
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        stats = sol.stats
        failure = ""
        if bool(stats.blew_up):
            failure = f"blew up at t = {float(stats.blowup_time):.6g}"
        elif not bool(stats.ok):
            failure = f"stopped between t = {start:g} and {end:g}: {_message(stats.result)}"
        ys = np.asarray(sol.ys)
        return np.asarray(sol.ts), ys, ys[-1], int(stats.num_steps), failure

    def plot(ts, ys, path):
        _plot_system(system, args.name, ts, ys, t1, path)

    config = {"system": args.name, "x64": bool(args.x64), "method": args.method or "",
              "rtol": args.rtol or 0.0, "dt": args.dt or 0.0}  # fmt: skip
    return _Job(advance, np.asarray(y0), 0.0, t1, args.saveat or 10_000, config, plot)


def _message(result) -> str:
    from ._results import RESULTS

    return RESULTS[result]


def _system_solver(name):
    import diffrax

    if name is None:
        return None
    match = {m.lower(): m for m in SYSTEM_METHODS}.get(name.lower())
    if match is None:
        raise CommandError(
            f"--method {name}: expected a diffrax solver for systems, one of "
            f"{', '.join(SYSTEM_METHODS)} (ETDRK methods are for PDEs)"
        )
    return getattr(diffrax, match)()


def _pde_job(args) -> _Job:
    from .spectral import problem, solve

    _reject(args, f"{args.name} (a PDE stepped by {'/'.join(PDE_METHODS)})", "rtol")
    if args.method is not None and args.method.upper() not in PDE_METHODS:
        raise CommandError(
            f"--method {args.method}: expected one of {', '.join(PDE_METHODS)} for PDEs"
        )
    args.seed = 0 if args.seed is None else args.seed
    spec = problem(args.name, quick=args.quick, seed=args.seed)
    kwargs = spec.solve_kwargs()
    for key in ("dt", "method", "saveat"):
        if getattr(args, key) is not None:
            kwargs[key] = getattr(args, key)
    saveat, t0 = int(kwargs.pop("saveat")), float(kwargs.pop("t0"))
    t1 = spec.t1 if args.t1 is None else args.t1
    u0 = spec.u0
    if args.x64:
        u0 = u0.astype(np.complex128 if np.iscomplexobj(u0) else np.float64)
    single = not args.chunks or args.chunks == 1

    def advance(state, start, end, n_save):
        try:
            sol = solve(
                spec.pde, spec.grid, state, end, t0=start, saveat=n_save, throw=False,
                progress=args.progress and single, **kwargs,
            )  # fmt: skip
        except ValueError as error:
            raise CommandError(str(error)) from None
        failure = ""
        if bool(sol.stats.blew_up):
            failure = (
                f"blew up (the state became non-finite) at t = "
                f"{float(sol.stats.blowup_time):.6g}; try a smaller --dt"
            )
        ys = np.asarray(sol.ys)
        return np.asarray(sol.ts), ys, ys[-1], int(sol.stats.num_steps), failure

    def plot(ts, ys, path):
        _plot_field(spec, ts, ys, path)

    config = {
        "problem": args.name, "pde": type(spec.pde).__name__, "method": str(kwargs["method"]),
        "dt": float(kwargs["dt"]), "seed": args.seed, "quick": bool(args.quick),
        "x64": bool(args.x64),
    }  # fmt: skip
    return _Job(advance, np.asarray(u0), t0, t1, saveat, config, plot)


def _figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _plot_system(system, name, ts, ys, t1, path: Path) -> None:
    from . import plot, systems

    plt = _figure()
    fig, ax = plt.subplots(figsize=(6, 5), layout="constrained")
    components = (0, 2)
    delay = isinstance(system, systems.AbstractDelaySystem)
    if delay:  # a scalar: draw (x(t), x(t − τ))
        ys, components = systems.delay_coordinates(system, ts, ys), (1, 0)
    plot.attractor(ys, components=components, ax=ax, title=f"{name}, t ≤ {t1:g}")
    if delay:
        ax.set(xlabel="x(t)", ylabel="x(t − τ)")
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _plot_field(spec, ts, ys, path: Path) -> None:
    from . import plot

    plt = _figure()
    fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
    title = f"{spec.name}: {spec.description}"
    if spec.grid.ndim == 1:
        part = "abs" if np.iscomplexobj(ys) else "real"
        plot.space_time(ts, ys, spec.grid, part=part, ax=ax, title=title)
    else:
        last = ys[-1] if spec.pde.n_fields == 1 else ys[-1, 0]
        plot.field(last, spec.grid, ax=ax, title=f"{spec.name} at t = {float(ts[-1]):g}")
    fig.savefig(path, dpi=120)
    plt.close(fig)
