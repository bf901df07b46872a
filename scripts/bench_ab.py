#!/usr/bin/env python3
"""Same-run A/B of two builds of LubeHub on the benchmarks, interleaved (see scripts/bench-ab).

Each round runs every benchmark on A, then on B (the next round B first: ABBA, so a drift of the
machine over the run falls on both sides alike). Every run gets a fresh broker: the local broker keeps
everything in memory, and each run leaves hundreds of thousands of messages on it that slow the next
(measured: the carrier adapter from 162,000 to 74,000 msg/s over three runs on one broker). Each benchmark prints one JSON object (`--json`);
per figure the median of the rounds is compared, B against A, and a figure B makes worse by more
than the threshold is marked. Whether higher or lower is better is read off the figure's unit.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Units where more is better; the others are costs (time, CPU, memory) where less is.
HIGHER_IS_BETTER = ("/s",)
# Counts that describe a run rather than judge it.
NEUTRAL_UNITS = ("orders", "messages", "events", "bytes")
NEUTRAL_FIGURES = ("machine_cores",)


def say(text):
    print("[bench-ab %s] %s" % (time.strftime("%H:%M:%S"), text), file=sys.stderr, flush=True)


def fresh_broker(bootstrap):
    """Stops the benchmarks' broker and starts a new, empty one."""
    environment = dict(os.environ, LUBEHUB_BROKER_PORT=bootstrap.rsplit(":", 1)[1])
    for action in ("stop", "start"):
        subprocess.run([os.path.join(ROOT, "scripts", "broker"), action], env=environment, check=action == "start",
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_bench(side, name, args, bootstrap):
    """One benchmark on one build, on a fresh broker; its JSON report."""
    fresh_broker(bootstrap)
    bench = side["bench"]
    environment = dict(os.environ)
    if name == "orders":
        command = [os.path.join(ROOT, "scripts", "bench-orders")] + args + ["--json"]
        environment["LUBEHUB_BINARY"] = side["hub"]
        environment["LUBEHUB_BENCH_COMMAND"] = " ".join(bench)
    else:
        command = bench + name.split() + args + ["--json", "--bootstrap", bootstrap]
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit("%s on %s failed (%d):\n%s" % (name, side["label"], result.returncode, result.stderr[-3000:]))
    line = [l for l in result.stdout.splitlines() if l.startswith("{")][-1]
    say("%s on %s: %.0f s" % (name, side["label"], time.monotonic() - started))
    return json.loads(line)


def better_direction(figure, unit):
    if figure in NEUTRAL_FIGURES or unit in NEUTRAL_UNITS:
        return 0
    return 1 if unit.endswith(HIGHER_IS_BETTER) else -1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--a", required=True, help="build A: the directory of its release binaries")
    parser.add_argument("--b", required=True, help="build B: the directory of its release binaries")
    # Even: each side runs first as often as second. The second run of a pair is measurably slower here (an A/B of
    # 5f056e8 against db46f61, 3 rounds: hub CPU per order 9.14 → 10.73 ms with A first, 9.52 → 9.78 with B first),
    # so an odd count tilts the medians against the side that ran second more often.
    parser.add_argument("--rounds", type=int, default=4, help="rounds of ABBA; even, so that neither side runs first more often")
    parser.add_argument("--bootstrap", default="127.0.0.1:29092")
    parser.add_argument("--threshold", type=float, default=5.0, help="percent worse that is marked")
    parser.add_argument("--only", default="", help="comma-separated benchmarks (default: all)")
    parser.add_argument("--json", help="write every run's report and the comparison here")
    args = parser.parse_args()
    if args.rounds < 2 or args.rounds % 2:
        parser.error("--rounds must be even (2, 4, …): each side first as often as second")

    def side(label, directory):
        bench = os.path.join(directory, "lubehub-bench")
        # A build from before lubehub-bench existed has its benchmarks under `lubehub bench`.
        command = [bench] if os.path.exists(bench) else [os.path.join(directory, "lubehub"), "bench"]
        return {"label": label, "hub": os.path.join(directory, "lubehub"), "bench": command}

    sides = [side("A", args.a), side("B", args.b)]
    benches = [
        ("kafka", []),
        ("ingest", []),
        ("adapter carrier", []),
        ("orders", ["--rate", "40", "--duration", "60s", "--tier1", "300", "--tier2", "0", "--materials", "300"]),
    ]
    if args.only:
        wanted = set(args.only.split(","))
        benches = [b for b in benches if b[0] in wanted]
    reports = {(b[0], s["label"]): [] for b in benches for s in sides}
    for round_index in range(args.rounds):
        order = sides if round_index % 2 == 0 else list(reversed(sides))
        for name, bench_args in benches:
            for current in order:
                reports[(name, current["label"])].append(run_bench(current, name, bench_args, args.bootstrap))

    comparison = []
    worse = []
    for name, _ in benches:
        a_runs, b_runs = reports[(name, "A")], reports[(name, "B")]
        figures = [f for f in a_runs[0]["results"] if all(f in r["results"] for r in a_runs + b_runs)]
        for figure in figures:
            unit = a_runs[0]["results"][figure]["unit"]
            a = statistics.median(r["results"][figure]["value"] for r in a_runs)
            b = statistics.median(r["results"][figure]["value"] for r in b_runs)
            direction = better_direction(figure, unit)
            change = (b - a) / a * 100 if a else 0.0
            marked = direction != 0 and a != 0 and direction * change < -args.threshold
            comparison.append({"bench": name, "figure": figure, "unit": unit, "a": a, "b": b, "change_percent": round(change, 1),
                               "better": {1: "higher", -1: "lower", 0: "-"}[direction], "worse_than_threshold": marked,
                               "a_runs": [r["results"][figure]["value"] for r in a_runs],
                               "b_runs": [r["results"][figure]["value"] for r in b_runs]})
            if marked:
                worse.append(comparison[-1])

    # The ratios each bench reports against its own baseline in the same run (our consumer, the
    # Kafka round trip): the broker's own ups and downs cancel out of them.
    for name, _ in benches:
        a_runs, b_runs = reports[(name, "A")], reports[(name, "B")]
        for ratio in [r for r in a_runs[0]["ratios"] if all(r in run["ratios"] for run in a_runs + b_runs)]:
            a = statistics.median(run["ratios"][ratio] for run in a_runs)
            b = statistics.median(run["ratios"][ratio] for run in b_runs)
            direction = -1 if ("p99" in ratio or "cores" in ratio) else 1
            change = (b - a) / a * 100 if a else 0.0
            marked = a != 0 and direction * change < -args.threshold
            comparison.append({"bench": name, "figure": "ratio " + ratio, "unit": "", "a": a, "b": b, "change_percent": round(change, 1),
                               "better": "lower" if direction < 0 else "higher", "worse_than_threshold": marked,
                               "a_runs": [run["ratios"][ratio] for run in a_runs], "b_runs": [run["ratios"][ratio] for run in b_runs]})
            if marked:
                worse.append(comparison[-1])

    print("%-18s %-34s %12s %12s %8s  %s" % ("bench", "figure (median)", "A", "B", "B vs A", "better"))
    for row in comparison:
        spread = "  A %s–%s, B %s–%s" % (min(row["a_runs"]), max(row["a_runs"]), min(row["b_runs"]), max(row["b_runs"]))
        print("%-18s %-34s %12.3f %12.3f %7.1f%%  %-6s%s%s" % (row["bench"], row["figure"], row["a"], row["b"], row["change_percent"], row["better"],
                                                              "  <-- worse by more than %.0f%%" % args.threshold if row["worse_than_threshold"] else "", spread))
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"rounds": args.rounds, "comparison": comparison,
                       "reports": {"%s|%s" % key: value for key, value in reports.items()}}, out, indent=1)
    print("\n%d figure(s) worse by more than %.0f%%" % (len(worse), args.threshold))


if __name__ == "__main__":
    main()
