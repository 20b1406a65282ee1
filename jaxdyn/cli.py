"""The `jaxdyn` command: list, simulate, lyapunov, invariants, bench, forecast-bench, tour."""

import argparse
import sys
import time
from pathlib import Path

from . import _cli_invariants
from ._cli_common import EXIT_BAD_INPUT, CommandError, check_positive, system_by_name
from ._cli_simulate import SYSTEM_METHODS, simulate

# The names of `jaxdyn.forecasting.MODELS`, listed here so that `--help` never imports JAX
# (tests/test_cli.py checks the two agree).
FORECAST_MODELS = (
    "mean", "persistence", "parroting", "linear", "nvar", "esn", "plrnn", "neural_ode",
)  # fmt: skip
# --quick leaves out the models that train by gradient descent on every series
QUICK_FORECAST_MODELS = FORECAST_MODELS[:6]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jaxdyn",
        description="Differentiable scientific computing in JAX: simulate PDEs, tour the library.",
    )
    parser.add_argument("--x64", action="store_true", help="compute in float64 (CPU/GPU)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    # --x64 is accepted before or after the command (`jaxdyn simulate NAME --x64` too).
    x64 = argparse.ArgumentParser(add_help=False)
    x64.add_argument(
        "--x64", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )

    listing = commands.add_parser("list", help="list what can be simulated", parents=[x64])
    listing.add_argument("category", nargs="?", default="pdes", help="pdes (default) or systems")

    simulate = commands.add_parser(
        "simulate", help="run a named problem, save .npz and .png", parents=[x64]
    )
    simulate.add_argument("name", help="a name from `jaxdyn list` or `jaxdyn list systems`")
    simulate.add_argument("--t1", type=float, help="final time (default: the problem's)")
    simulate.add_argument(
        "--dt", type=float, help="time step: PDEs and delay systems (default: the problem's)"
    )
    simulate.add_argument(
        "--method",
        help="PDEs: ETDRK1-4 or IFRK4 (default ETDRK4); ODE systems: a diffrax solver, "
        f"one of {', '.join(SYSTEM_METHODS)} (default Dopri8)",
    )
    simulate.add_argument("--rtol", type=float, help="ODE systems: relative tolerance")
    simulate.add_argument("--saveat", type=int, help="number of snapshots")
    simulate.add_argument("--quick", action="store_true", help="PDEs: small grid and short span")
    simulate.add_argument("--seed", type=int, help="PDEs: seed of random initial states (0)")
    simulate.add_argument("--out", type=Path, help="result file (default NAME.npz)")
    simulate.add_argument("--plot", type=Path, help="figure file (default NAME.png)")
    simulate.add_argument("--no-plot", action="store_true", help="skip the figure")
    simulate.add_argument("--progress", action="store_true", help="show progress on stderr")
    simulate.add_argument(
        "--chunks", type=int, help="save the run after each of this many chunks (default 1)"
    )
    simulate.add_argument(
        "--resume", action="store_true", help="continue the interrupted run in --out"
    )

    lyapunov = commands.add_parser(
        "lyapunov", help="Lyapunov spectrum of a chaotic system", parents=[x64]
    )
    lyapunov.add_argument("name", help="a name from `jaxdyn list systems`")
    lyapunov.add_argument("--t1", type=float, help="averaging time (default 1000 periods)")

    _cli_invariants.add_parser(commands, [x64])

    bench = commands.add_parser("bench", help="time the hot kernels on this device", parents=[x64])
    bench.add_argument(
        "--suite", default="all", help="spectral, systems, implicit, nn, tangent, or all (default)"
    )
    bench.add_argument("--quick", action="store_true", help="small sizes: about a minute on CPU")
    bench.add_argument("--json", type=Path, help="also write the results to this JSON file")

    forecast = commands.add_parser(
        "forecast-bench", help="the forecasting benchmarks over the catalog", parents=[x64]
    )
    forecast.add_argument(
        "--protocol", choices=("A", "B"), default="A",
        help="A: dysts 2021, sMAPE of 200 points from 1000 (default); B: zero-shot, valid "
        "prediction time from a 512-point context, 20 initial conditions",
    )  # fmt: skip
    forecast.add_argument("--systems", help="comma-separated catalog names (default: all)")
    forecast.add_argument(
        "--models",
        help=f"comma-separated, some of {', '.join(FORECAST_MODELS)} (default: all; with "
        f"--quick: {', '.join(QUICK_FORECAST_MODELS)})",
    )  # fmt: skip
    forecast.add_argument("--initial-conditions", type=int, help="per system (default: A 1, B 20)")
    forecast.add_argument(
        "--quick", action="store_true",
        help="10 systems, 3 initial conditions, the models that do not train by gradient "
        "descent: minutes on CPU",
    )  # fmt: skip
    forecast.add_argument("--seed", type=int, default=0, help="PRNG seed (default 0)")
    forecast.add_argument(
        "--json", type=Path,
        help="write every run and the summary here as they finish; an interrupted run resumes",
    )  # fmt: skip

    tour = commands.add_parser(
        "tour", help="a one-minute CPU tour: figures + summary.json", parents=[x64]
    )
    tour.add_argument("--out", type=Path, default=Path("jaxdyn-tour"), help="output folder")
    return parser


def _list(args) -> int:
    from ._index import PROBLEM_DESCRIPTIONS, system_descriptions

    if args.category == "pdes":
        for name, description in PROBLEM_DESCRIPTIONS.items():
            print(f"{name:30s} {description}")
    elif args.category == "systems":
        for name, description in system_descriptions().items():
            print(f"{name:30s} {description}")
    else:
        raise CommandError(f"unknown category {args.category!r}; expected one of: pdes, systems")
    return 0


def _lyapunov(args) -> int:
    import numpy as np

    from . import systems

    check_positive(args, "t1")
    system = system_by_name(args.name)
    if isinstance(system, systems.AbstractDelaySystem):
        raise CommandError(f"{args.name} is a delay system; Lyapunov spectra of those: not yet")
    start = time.perf_counter()
    y0 = system.default_ic(np.float64 if args.x64 else None)
    spectrum = np.asarray(systems.lyapunov_spectrum(system, y0=y0, t1=args.t1).exponents)
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


def _bench(args) -> int:
    import json

    import jax

    from . import bench

    names = list(bench.SUITES) if args.suite == "all" else args.suite.split(",")
    unknown = [name for name in names if name not in bench.SUITES]
    if unknown:
        choices = ", ".join([*bench.SUITES, "all"])
        raise CommandError(f"unknown suite {', '.join(unknown)}; expected one of: {choices}")
    if args.json is not None and args.json.is_dir():
        raise CommandError(f"--json {args.json} is a folder; expected a file name")
    device = jax.devices()[0]
    print(f"jaxdyn bench on {device.device_kind} ({device.platform}), jax {jax.__version__}")
    results = bench.run_suites(names, quick=args.quick)
    print(bench.format_table(results))
    if args.json is not None:
        record = {"device": f"{device.platform}: {device.device_kind}", "jax": jax.__version__}
        record["results"] = results
        from .io import write_text_atomic

        write_text_atomic(args.json, json.dumps(record, indent=1) + "\n")
        print(f"wrote {args.json}")
    return 0


def _tour(args) -> int:
    from ._tour import run_tour

    folder = run_tour(args.out)
    print(f"tour written to {folder.resolve()} (figures and summary.json)")
    return 0


def _forecast_bench(args) -> int:

    import jax

    from . import forecasting

    default = QUICK_FORECAST_MODELS if args.quick else FORECAST_MODELS
    models = list(default) if args.models is None else [m for m in args.models.split(",") if m]
    unknown = [m for m in models if m not in FORECAST_MODELS]
    if unknown or not models:
        raise CommandError(f"unknown model(s) {unknown}; expected some of {FORECAST_MODELS}")
    systems = None if args.systems is None else [n for n in args.systems.split(",") if n]
    if args.quick and systems is None:
        systems = list(forecasting._benchmark.QUICK_SYSTEMS)
    check_positive(args, "initial_conditions")
    default_ic = 3 if args.quick else (1 if args.protocol == "A" else 20)
    n_ic = args.initial_conditions or default_ic
    if args.json is not None and args.json.is_dir():
        raise CommandError(f"--json {args.json} is a folder; expected a file name")
    protocol = forecasting.protocol_a if args.protocol == "A" else forecasting.protocol_b
    try:
        result = protocol(
            systems, models, key=jax.random.PRNGKey(args.seed), n_initial_conditions=n_ic,
            path=args.json, progress=True,
        )  # fmt: skip
    except ValueError as error:
        raise CommandError(str(error)) from error
    metric = "smape" if args.protocol == "A" else "vpt"
    print(forecasting.format_summary(result["summary"], metric))
    if result["skipped"]:
        print(f"skipped {len(result['skipped'])} system(s): " + "; ".join(
            f"{name} ({reason})" for name, reason in result["skipped"].items()))  # fmt: skip
    if args.json is not None:
        print(f"runs saved in {args.json}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.x64:
        import jax

        jax.config.update("jax_enable_x64", True)  # the CLI owns its process; a library never does
    handlers = {
        "list": _list,
        "simulate": simulate,
        "lyapunov": _lyapunov,
        "invariants": _cli_invariants.invariants,
        "bench": _bench,
        "forecast-bench": _forecast_bench,
        "tour": _tour,
    }
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
