"""The `jaxdyn` command: list, simulate, tour."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

EXIT_BAD_INPUT = 2
EXIT_BLOWUP = 3


class CommandError(Exception):
    """A user-facing failure: printed as one line, exit status 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jaxdyn",
        description="Differentiable scientific computing in JAX: simulate PDEs, tour the library.",
    )
    parser.add_argument("--x64", action="store_true", help="compute in float64 (CPU/GPU)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    listing = commands.add_parser("list", help="list what can be simulated")
    listing.add_argument("category", nargs="?", default="pdes", help="pdes (default) or systems")

    simulate = commands.add_parser("simulate", help="run a named problem, save .npz and .png")
    simulate.add_argument("name", help="a name from `jaxdyn list` or `jaxdyn list systems`")
    simulate.add_argument("--t1", type=float, help="final time (default: the problem's)")
    simulate.add_argument("--dt", type=float, help="time step (default: the problem's)")
    simulate.add_argument("--method", help="ETDRK1-4 or IFRK4 (default: ETDRK4)")
    simulate.add_argument("--saveat", type=int, help="number of snapshots")
    simulate.add_argument("--quick", action="store_true", help="small grid and short span")
    simulate.add_argument("--seed", type=int, default=0, help="seed of random initial states")
    simulate.add_argument("--out", type=Path, help="result file (default NAME.npz)")
    simulate.add_argument("--plot", type=Path, help="figure file (default NAME.png)")
    simulate.add_argument("--no-plot", action="store_true", help="skip the figure")
    simulate.add_argument("--progress", action="store_true", help="show progress on stderr")

    lyapunov = commands.add_parser("lyapunov", help="Lyapunov spectrum of a chaotic system")
    lyapunov.add_argument("name", help="a name from `jaxdyn list systems`")
    lyapunov.add_argument("--t1", type=float, help="averaging time (default 1000 periods)")

    tour = commands.add_parser("tour", help="a one-minute CPU tour: figures + summary.json")
    tour.add_argument("--out", type=Path, default=Path("jaxdyn-tour"), help="output folder")
    return parser


def _list(args) -> int:
    from . import systems
    from .spectral import problem, problem_names

    if args.category == "pdes":
        for name in problem_names():
            print(f"{name:30s} {problem(name, quick=True).description}")
    elif args.category == "systems":
        for name in systems.names():
            print(f"{name:30s} {systems.system_info(name).description}")
    else:
        raise CommandError(f"unknown category {args.category!r}; expected one of: pdes, systems")
    return 0


def _system(name: str):
    from . import systems

    try:
        return systems.get(name)
    except ValueError as error:
        message = str(error).removeprefix("systems.get: ")
        raise CommandError(message.replace("systems.names()", "`jaxdyn list systems`")) from None


def _simulate(args) -> int:
    import difflib

    from . import systems
    from .spectral import problem_names

    _check_positive(args, "t1", "dt", "saveat")
    if args.name in systems.names():
        return _simulate_system(args)
    if args.name in problem_names():
        return _simulate_pde(args)
    known = problem_names() + systems.names()
    close = difflib.get_close_matches(args.name, known, n=3, cutoff=0.5)
    hint = (
        f"; closest: {', '.join(close)}"
        if close
        else "; see `jaxdyn list` and `jaxdyn list systems`"
    )
    raise CommandError(f"unknown name {args.name!r}{hint}")


def _simulate_system(args) -> int:
    import jax
    import numpy as np

    from . import io, systems

    system = _system(args.name)
    info = system.info()
    t1 = args.t1 if args.t1 is not None else 100 * info.period
    start = time.perf_counter()
    y0 = system.default_ic(np.float64 if args.x64 else None)
    sol = systems.trajectory(system, t1, y0=y0, n_points=args.saveat or 10_000, throw=False)
    sol = jax.block_until_ready(sol)
    elapsed = time.perf_counter() - start
    out = args.out or Path(f"{args.name}.npz")
    stats = sol.stats
    io.save(
        out, {"ts": sol.ts, "ys": sol.ys}, system=args.name, finished=bool(stats.finished),
        blew_up=bool(stats.blew_up), num_steps=int(stats.num_steps),
    )  # fmt: skip
    written = [str(out)]
    if not args.no_plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from . import plot

        fig, ax = plt.subplots(figsize=(6, 5), layout="constrained")
        ys, components = sol.ys, (0, 2)
        if isinstance(system, systems.AbstractDelaySystem):  # scalar: draw (x(t), x(t − τ))
            lag = max(1, round(system.tau / float(sol.ts[1] - sol.ts[0])))
            ys, components = systems.delay_embed(sol.ys[:, 0], 2, lag), (1, 0)
        plot.attractor(ys, components=components, ax=ax, title=f"{args.name}, t ≤ {t1:g}")
        if isinstance(system, systems.AbstractDelaySystem):
            ax.set(xlabel="x(t)", ylabel="x(t − τ)")
        figure = args.plot or Path(f"{args.name}.png")
        fig.savefig(figure, dpi=120)
        plt.close(fig)
        written.append(str(figure))
    print(
        f"{args.name}: {int(stats.num_steps)} steps to t = {t1:g} in {elapsed:.1f} s "
        f"(compilation included); wrote {', '.join(written)}"
    )
    if not bool(stats.ok):
        reason = (
            f"blew up at t = {float(stats.blowup_time):.6g}"
            if bool(stats.blew_up)
            else "hit the step limit"
        )
        print(f"jaxdyn: error: the trajectory {reason}", file=sys.stderr)
        return EXIT_BLOWUP
    return 0


def _lyapunov(args) -> int:
    import numpy as np

    from . import systems

    _check_positive(args, "t1")
    system = _system(args.name)
    if isinstance(system, systems.AbstractDelaySystem):
        raise CommandError(f"{args.name} is a delay system; Lyapunov spectra of those: not yet")
    start = time.perf_counter()
    y0 = system.default_ic(np.float64 if args.x64 else None)
    spectrum = np.asarray(systems.lyapunov_spectrum(system, y0=y0, t1=args.t1))
    elapsed = time.perf_counter() - start
    print(f"{args.name} Lyapunov spectrum: {np.array2string(spectrum, precision=4)}")
    print(f"Kaplan-Yorke dimension: {float(systems.kaplan_yorke_dimension(spectrum)):.4f}")
    print(f"({elapsed:.1f} s, compilation included)")
    info = system.info()
    if info.lyapunov_spectrum:
        print(f"dysts estimate: {np.array2string(np.array(info.lyapunov_spectrum), precision=4)}")
    if system.published is not None:
        published = np.array2string(np.array(system.published.lyapunov_spectrum), precision=4)
        print(f"published: {published} ({system.published.source}; for its parameters)")
    return 0


def _simulate_pde(args) -> int:
    import jax
    import numpy as np

    from . import io
    from .spectral import problem, solve

    spec = problem(args.name, quick=args.quick, seed=args.seed)
    kwargs = spec.solve_kwargs()
    for key in ("dt", "method", "saveat"):
        if getattr(args, key) is not None:
            kwargs[key] = getattr(args, key)
    t1 = spec.t1 if args.t1 is None else args.t1
    u0 = (
        spec.u0.astype(np.complex128 if np.iscomplexobj(spec.u0) else np.float64)
        if args.x64
        else spec.u0
    )
    start = time.perf_counter()
    try:
        solution = solve(spec.pde, spec.grid, u0, t1, throw=False, progress=args.progress, **kwargs)
        solution = jax.block_until_ready(solution)
    except ValueError as error:
        raise CommandError(str(error)) from None
    elapsed = time.perf_counter() - start
    stats = solution.stats
    out = args.out or Path(f"{args.name}.npz")
    io.save(
        out,
        {"ts": solution.ts, "ys": solution.ys, "u0": u0, "length": np.array(spec.grid.length)},
        problem=args.name, pde=type(spec.pde).__name__, method=str(kwargs["method"]),
        dt=float(kwargs["dt"]), num_steps=int(stats.num_steps), blew_up=bool(stats.blew_up),
        blowup_time=float(stats.blowup_time), seed=args.seed,
    )  # fmt: skip
    written = [str(out)]
    if not args.no_plot:
        figure = args.plot or Path(f"{args.name}.png")
        _plot_solution(spec, solution, figure)
        written.append(str(figure))
    print(
        f"{args.name}: {int(stats.num_steps)} steps to t = {t1:g} in {elapsed:.1f} s "
        f"(compilation included); wrote {', '.join(written)}"
    )
    if bool(stats.blew_up):
        print(
            f"jaxdyn: error: the state blew up (became non-finite) at t = "
            f"{float(stats.blowup_time):.6g}; try a smaller --dt",
            file=sys.stderr,
        )
        return EXIT_BLOWUP
    return 0


def _plot_solution(spec, solution, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from . import plot

    ys = np.asarray(solution.ys)
    fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
    title = f"{spec.name}: {spec.description}"
    if spec.grid.ndim == 1:
        part = "abs" if np.iscomplexobj(ys) else "real"
        plot.space_time(solution.ts, ys, spec.grid, part=part, ax=ax, title=title)
    else:
        last = ys[-1] if spec.pde.n_fields == 1 else ys[-1, 0]
        t = float(solution.ts[-1])
        plot.field(last, spec.grid, ax=ax, title=f"{spec.name} at t = {t:g}")
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _tour(args) -> int:
    from ._tour import run_tour

    folder = run_tour(args.out)
    print(f"tour written to {folder.resolve()} (figures and summary.json)")
    return 0


def _check_positive(args, *names) -> None:
    for name in names:
        value = getattr(args, name)
        if value is not None and not value > 0:
            raise CommandError(f"--{name} must be positive, got {value}")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.x64:
        import jax

        jax.config.update("jax_enable_x64", True)  # the CLI owns its process; a library never does
    handlers = {"list": _list, "simulate": _simulate, "lyapunov": _lyapunov, "tour": _tour}
    try:
        return handlers[args.command](args)
    except CommandError as error:
        print(f"jaxdyn: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("jaxdyn: interrupted", file=sys.stderr)
        return 130
    except OSError as error:
        print(f"jaxdyn: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
