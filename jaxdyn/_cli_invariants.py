"""`jaxdyn invariants`: the catalog's invariants, computed here, against dysts's estimates."""

import json
import math
import time
from pathlib import Path

from ._cli_common import CommandError, check_positive, system_by_name


def add_parser(commands, parents) -> None:
    parser = commands.add_parser(
        "invariants",
        help="Lyapunov spectra, dimensions and periods of catalog systems, against dysts's",
        parents=parents,
    )
    parser.add_argument("names", nargs="*", help="catalog names (default: all)")
    parser.add_argument(
        "--write", type=Path, metavar="FILE",
        help="add each result to this JSON file as it is computed; systems already in it are "
        "kept (an interrupted run resumes). The shipped file: jaxdyn/systems/data/invariants.json",
    )  # fmt: skip
    parser.add_argument(
        "--shipped", action="store_true", help="show the shipped values, computing nothing"
    )
    parser.add_argument("--json", action="store_true", help="print JSON records, not a table")
    parser.add_argument(
        "--differences", type=float, metavar="FRACTION",
        help="only the systems whose λ₁ differs from dysts's by more than FRACTION, as Markdown",
    )  # fmt: skip
    parser.add_argument("--initial-conditions", type=int, default=4, help="per system (4)")
    parser.add_argument("--periods", type=float, default=300.0, help="averaging periods (300)")
    parser.add_argument("--seed", type=int, default=0, help="PRNG seed of the initial conditions")


def invariants(args) -> int:
    import jax

    from . import systems

    check_positive(args, "initial_conditions", "periods")
    if args.differences is not None and not args.differences > 0:
        raise CommandError(f"--differences must be positive, got {args.differences}")
    names = args.names or systems.names()
    for name in names:
        system_by_name(name)  # an unknown name: the one-line error with the closest names
    if args.shipped:
        if args.write is not None:
            raise CommandError("--shipped computes nothing: it cannot be combined with --write")
        records = {n: r for n in names if (r := systems.get(n).info().computed) is not None}
        return _show(records, args)
    settings = {
        "n_initial_conditions": args.initial_conditions,
        "n_periods": args.periods,
        "seed": args.seed,
    }
    store = _load(args.write, settings)
    records = {}
    for i, name in enumerate(names):
        known = store["systems"].get(name) if store else None
        if known is not None and "error" not in known:
            records[name] = systems.ComputedInvariants.from_json(known)
            continue
        start = time.perf_counter()
        try:
            records[name] = systems.compute_invariants(
                name, key=_key(args.seed, name), n_initial_conditions=args.initial_conditions,
                n_periods=args.periods,
            )  # fmt: skip
            entry = records[name].to_json()
            line = f"λ₁ = {records[name].maximum_lyapunov:.4g}"
        except Exception as error:  # noqa: BLE001 - one system's failure is recorded, not fatal
            entry = {"error": f"{type(error).__name__}: {error}"[:400]}
            line = entry["error"]
        print(f"[{i + 1}/{len(names)}] {name}: {line} ({time.perf_counter() - start:.0f} s)",
              flush=True)  # fmt: skip
        if store is not None:
            store["systems"][name] = entry
            _save(args.write, store)
        # Each system compiles its own programs, never used again: a catalog run would
        # otherwise hold them all (measured: out of memory at 24 GiB after 80 systems).
        jax.clear_caches()
    failed = [n for n in names if n not in records]
    if failed:
        print(f"{len(failed)} system(s) failed: {', '.join(failed)}")
    return _show(records, args)


def _key(seed: int, name: str):
    """Each system's own key: the same seed and name give the same initial conditions, whatever
    else is in the run."""
    import zlib

    import jax

    return jax.random.fold_in(jax.random.PRNGKey(seed), zlib.crc32(name.encode()) % 2**31)


def _load(path, settings):
    if path is None:
        return None
    import jax

    from ._version import __version__
    from .io import resumable_record

    precision = str(jax.numpy.result_type(float))  # float64 under --x64, else float32
    identity = {"precision": precision, "settings": settings}
    fresh = {"jaxdyn": __version__, "jax": jax.__version__, "device": str(jax.devices()[0]),
             "systems": {}}  # fmt: skip
    try:
        return resumable_record(path, identity, fresh)
    except ValueError as error:
        raise CommandError(f"--write {error}") from None


def _save(path, store) -> None:
    from .io import write_text_atomic

    store["systems"] = dict(sorted(store["systems"].items()))
    write_text_atomic(path, json.dumps(store, indent=1) + "\n")


def _show(records, args) -> int:
    from . import systems

    rows = []
    for name, ours in records.items():
        system = systems.get(name)
        dysts = system.info().maximum_lyapunov
        difference = _relative(ours.maximum_lyapunov, dysts)
        if args.differences is not None and not difference > args.differences:
            continue
        published = system.published
        rows.append((name, ours, dysts, difference, published))
    if args.json:
        print(json.dumps({name: ours.to_json() for name, ours, *_ in rows}, indent=1))
    elif args.differences is not None:
        print(differences_table(rows))
    else:
        print(_table(rows))
    return 0


def _relative(ours: float, theirs: float | None) -> float:
    """|ours − theirs| / |ours| (inf when theirs is unknown or ours is zero)."""
    if theirs is None or ours == 0:
        return math.inf
    return abs(ours - theirs) / abs(ours)


def _table(rows) -> str:
    lines = [
        f"{'system':26s} {'λ₁ jaxdyn':>18s} {'λ₁ dysts':>9s} {'D_KY':>6s} {'D₂':>5s} "
        f"{'period':>8s} {'Σλ − ⟨tr Df⟩':>13s}"
    ]
    for name, ours, dysts, _, _ in rows:
        lam = f"{ours.maximum_lyapunov:.4f} ± {ours.lyapunov_spread[0]:.4f}"
        mismatch = "-" if ours.mean_trace is None else f"{ours.trace_mismatch:.1e}"
        dysts_text = "-" if dysts is None else f"{dysts:.4f}"
        lines.append(
            f"{name:26s} {lam:>18s} {dysts_text:>9s} {ours.kaplan_yorke_dimension:6.3f} "
            f"{ours.correlation_dimension:5.2f} {ours.dominant_period:8.3g} {mismatch:>13s}"
        )
    return "\n".join(lines)


def differences_table(rows) -> str:
    """The Markdown table of the systems whose λ₁ differs from dysts's (rows as `_show`'s)."""
    lines = [
        "| system | λ₁ jaxdyn (± spread) | λ₁ dysts | difference | published λ₁ |",
        "|---|---|---|---|---|",
    ]
    for name, ours, dysts, difference, published in rows:
        source = "" if published is None else (
            f"{published.lyapunov_spectrum[0]:.4g} ({published.source})"
        )  # fmt: skip
        dysts_text = "-" if dysts is None else f"{dysts:.4g}"
        lines.append(
            f"| {name} | {ours.maximum_lyapunov:.4g} ± {ours.lyapunov_spread[0]:.1g} | "
            f"{dysts_text} | {difference:.0%} | {source} |"
        )
    return "\n".join(lines)
