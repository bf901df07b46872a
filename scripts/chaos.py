#!/usr/bin/env python3
"""The chaos run: the hub as separate processes (core, the five adapters, the API) on a broker and a
PostgreSQL database of the run's own, the simulator doing business against it, while processes are
killed (SIGKILL) and restarted at random moments — once two cores at the same time — and the broker is
paused (SIGSTOP) for longer than a consumer session. Afterwards the hub is left to settle and
scripts/chaos_check.py (independent of the hub's code) checks what it left behind.

  scripts/chaos [--duration 300] [--seed N]        (make test runs a short form: --duration 60)
Environment: LUBEHUB_BINARY (default .build/debug/lubehub), LUBEHUB_TEST_POSTGRES (a server to make the
run's database on; else one of the run's own), LUBEHUB_CHAOS_BROKER_PORT (27092), LUBEHUB_CHAOS_PG_PORT (26432),
LUBEHUB_CHAOS_API_PORT (18110). The ports are below the kernel's ephemeral range (32768 and up): a client probing a port
there before its server listens may be given that very port as its own, and the server then cannot bind it.
"""
import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
LUBEHUB = os.environ.get("LUBEHUB_BINARY", os.path.join(ROOT, ".build", "debug", "lubehub"))
ADAPTERS = ["carrier", "erp", "abs", "dealer", "anticounterfeit"]


def say(text):
    print("[chaos %s] %s" % (time.strftime("%H:%M:%S"), text), flush=True)


class Process:
    """One hub process, restartable; its output goes to a log file of its own."""

    def __init__(self, name, argv, work):
        self.name, self.argv, self.work = name, argv, work
        self.popen = None
        self.starts = 0

    def start(self):
        self.starts += 1
        log = open(os.path.join(self.work, "%s.log" % self.name), "ab")
        self.popen = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)

    def alive(self):
        return self.popen is not None and self.popen.poll() is None

    def kill9(self):
        if self.alive():
            self.popen.send_signal(signal.SIGKILL)
            self.popen.wait()

    def stop(self):
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=60)
            except subprocess.TimeoutExpired:
                say("%s did not stop within 60 s of SIGTERM: killed" % self.name)
                self.kill9()


def psql(url, query):
    done = subprocess.run(["psql", url, "-At", "-c", query], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit("psql failed (exit %d) on %r: %s" % (done.returncode, query, done.stderr.strip()))
    return done.stdout.strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=300, help="seconds of business under chaos")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--orders-per-second", type=float, default=15)
    parser.add_argument("--keep", action="store_true", help="leave the broker, the database and the logs for a look afterwards")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    broker_port = os.environ.get("LUBEHUB_CHAOS_BROKER_PORT", "27092")
    api_port = os.environ.get("LUBEHUB_CHAOS_API_PORT", "18110")
    bootstrap = "127.0.0.1:%s" % broker_port
    work = tempfile.mkdtemp(prefix="lubehub-chaos-")
    say("seed %d, %d s of business, logs in %s" % (args.seed, args.duration, work))
    if not os.access(LUBEHUB, os.X_OK):
        say("%s is missing: build it first (swift build)" % LUBEHUB)
        return 2

    broker_env = dict(os.environ, LUBEHUB_BROKER_PORT=broker_port)
    subprocess.run([os.path.join(ROOT, "scripts", "broker"), "start"], env=broker_env, check=True)
    with open(os.path.join(ROOT, ".cache", "broker", "tansu-%s.pid" % broker_port)) as f:
        broker_pid = int(f.read().strip())

    own_postgres = "LUBEHUB_TEST_POSTGRES" not in os.environ
    pg_env = dict(os.environ, LUBEHUB_PG_PORT=os.environ.get("LUBEHUB_CHAOS_PG_PORT", "26432"))
    if own_postgres:
        subprocess.run([os.path.join(ROOT, "scripts", "postgres"), "start"], env=pg_env, check=True)
        server = subprocess.run([os.path.join(ROOT, "scripts", "postgres"), "url"], env=pg_env, check=True, capture_output=True, text=True).stdout.strip()
    else:
        server = os.environ["LUBEHUB_TEST_POSTGRES"]
    database_name = "chaos_%d" % time.time_ns()
    psql(server, "CREATE DATABASE %s" % database_name)
    database = server.rsplit("/", 1)[0] + "/" + database_name

    config = os.path.join(work, "config.yaml")
    with open(config, "w") as f:
        # fixMaxSpeedKmh 0: the simulated trucks drive --time-scale times faster than the clock.
        f.write("kafka:\n  bootstrap: [\"%s\"]\n  startLocalBroker: false\ncore:\n  database: %s\n  fixMaxSpeedKmh: 0\nmetrics:\n  intervalSeconds: 0\n"
                "api:\n  host: 127.0.0.1\n  port: %s\n  secretFile: %s/api-secret\n" % (bootstrap, database, api_port, work))
    subprocess.run([LUBEHUB, "topics", "apply", "--bootstrap", bootstrap], check=True, stdout=subprocess.DEVNULL)

    # --fix-max-speed-kmh 0: the simulated trucks drive --time-scale times faster than the clock.
    core = lambda n: Process("core-%d" % n, [LUBEHUB, "core", "--bootstrap", bootstrap, "--database", database, "--fix-max-speed-kmh", "0"], work)
    processes = {"core": core(1), "api": Process("api", [LUBEHUB, "api", "--config", config], work)}
    for adapter in ADAPTERS:
        processes["adapter " + adapter] = Process("adapter-" + adapter, [LUBEHUB, "adapter", adapter, "--bootstrap", bootstrap], work)
    for process in processes.values():
        process.start()
    kills = {}

    def kill(name, process):
        process.kill9()
        kills["kill -9 " + name] = kills.get("kill -9 " + name, 0) + 1

    orders_log = os.path.join(work, "orders.jsonl")
    simulator = subprocess.Popen([LUBEHUB, "simulate", "--config", config, "--seed", str(args.seed % 1000 + 1), "--tier1", "120", "--tier2", "240",
                                  "--materials", "150", "--duration", "%ds" % args.duration, "--orders-per-second", str(args.orders_per_second),
                                  "--vehicles", "120", "--time-scale", "900", "--service-records-per-second", "5", "--scans-per-second", "3",
                                  "--orders-log", orders_log],
                                 stdout=open(os.path.join(work, "simulate.log"), "wb"), stderr=subprocess.STDOUT, cwd=ROOT)
    # The business starts once the hub holds the company; the chaos starts with it.
    deadline = time.monotonic() + 600
    while not os.path.exists(orders_log) or os.path.getsize(orders_log) == 0:
        if simulator.poll() is not None or time.monotonic() > deadline:
            say("the simulator ended before any order was answered (see %s/simulate.log)" % work)
            return 1
        time.sleep(0.5)
    say("business under way: killing and restarting at random")
    started = time.monotonic()
    two_cores_at = started + args.duration * 0.3
    pause_at = started + args.duration * 0.6
    next_kill = started + rng.uniform(2, 6)
    restarts = []
    while simulator.poll() is None:
        now = time.monotonic()
        for due, name in [r for r in restarts if r[0] <= now]:
            processes[name].start()
            restarts.remove((due, name))
        if two_cores_at and now >= two_cores_at:
            two_cores_at = None
            say("a second core on the same database and group, for 10 s")
            second = core(2)
            second.start()
            kills["two cores at once"] = 1
            time.sleep(10)
            victim = rng.choice(["first", "second"])
            if victim == "second":
                kill("core", second)
            else:
                kill("core", processes["core"])
                processes["core"] = second
            say("killed the %s core; the other goes on" % victim)
        elif pause_at and now >= pause_at:
            pause_at = None
            seconds = 9
            say("pausing the broker (SIGSTOP) for %d s, longer than the 6 s session timeout" % seconds)
            os.kill(broker_pid, signal.SIGSTOP)
            time.sleep(seconds)
            os.kill(broker_pid, signal.SIGCONT)
            kills["broker paused"] = 1
        elif now >= next_kill:
            name = rng.choice([n for n, p in processes.items() if p.alive()] or ["core"])
            kill(name, processes[name])
            restarts.append((now + rng.uniform(0.3, 2.5), name))
            next_kill = now + rng.uniform(2, 6)
        time.sleep(0.1)
    for due, name in restarts:
        processes[name].start()
    if simulator.returncode != 0:
        say("the simulator failed (exit %d); its log:" % simulator.returncode)
        sys.stdout.write(open(os.path.join(work, "simulate.log"), errors="replace").read()[-3000:])
        return 1
    say("business over: %s; letting the hub settle" % ", ".join("%s %d" % kv for kv in sorted(kills.items())))
    for process in processes.values():
        if not process.alive():
            process.start()
    settle(database)
    for process in processes.values():
        process.stop()
    check = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "chaos_check.py"), "--bootstrap", bootstrap, "--database", database,
                            "--orders-log", orders_log, "--kills", json.dumps(kills)])
    if args.keep:
        say("kept: broker %s, database %s, logs %s; the check again: %s %s --bootstrap %s --database %s --orders-log %s"
            % (bootstrap, database, work, sys.executable, os.path.join(ROOT, "scripts", "chaos_check.py"), bootstrap, database, orders_log))
        return check.returncode
    subprocess.run([os.path.join(ROOT, "scripts", "broker"), "stop"], env=broker_env)
    if own_postgres:
        subprocess.run([os.path.join(ROOT, "scripts", "postgres"), "stop"], env=pg_env)
    else:
        # The processes are stopped, but PostgreSQL may not yet have noticed that a killed one's connection is gone
        # ("database is being accessed by other users"): FORCE ends such leftovers.
        psql(server, "DROP DATABASE IF EXISTS %s WITH (FORCE)" % database_name)
    if check.returncode == 0:
        subprocess.run(["rm", "-rf", work])
    else:
        say("logs kept in %s" % work)
    return check.returncode


def settle(database, quiet_seconds=10, timeout=300):
    """Waits until the core has nothing left to do: every outbox row sent and nothing applied for quiet_seconds."""
    deadline = time.monotonic() + timeout
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        state = psql(database, "SELECT (SELECT COUNT(*) FROM applied_events), (SELECT COUNT(*) FROM outbox WHERE sent_at_ms IS NULL), "
                               "(SELECT COUNT(*) FROM vehicle_position_history)")
        if state != last:
            last, since = state, time.monotonic()
        elif state.split("|")[1] == "0" and time.monotonic() - since >= quiet_seconds:
            return
        time.sleep(1)
    say("the hub did not settle within %d s (applied, unsent, fixes: %s)" % (timeout, last))


if __name__ == "__main__":
    sys.exit(main())
