# LubeHub — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
# The tests get a broker of their own, so a broker you run for the hub on 9092 is left alone.
TEST_BROKER_PORT ?= 19092
TEST_PG_PORT ?= 15432
# The tests' build keeps line tables (file and line in a crash's backtrace) but not the full debug info: a
# cold `swift build --build-tests` took 862 s here with them, 1,013 s with the full info (the same day, back to
# back). `swift test` outside make builds with its own flags: pass the same ones to reuse this build.
# The test phases run `swift test --skip-build` on that one build: SwiftPM 6.3 writes Hummingbird's trait defines
# (-DConfigurationSupport -DFullFoundation) in an order of a hash seeded afresh in every invocation, so each
# `swift build` or `swift test` saw a changed command line about half the time and rebuilt Hummingbird's modules and
# the test binary (once more, ~40 s, in each of this machine's three fresh-clone CI runs before this change).
TEST_SWIFT_FLAGS ?= -Xswiftc -gline-tables-only

.PHONY: bootstrap build release serve demo test fuzz chaos bench-kafka bench-ingest bench-adapter bench-codec bench-orders bench-admin bench-pages bench-analytics bench-engagement bench-gateway bench-books bench-forecast broker-start broker-stop clean

bootstrap:
	@scripts/bootstrap

build: bootstrap
	swift build

release: bootstrap
	swift build -c release

## make serve: the hub on the embedded defaults (the local broker, data/hub.sqlite) until Ctrl-C.
serve: release
	.build/release/lubehub serve

## make demo: the hub (lubehub serve) and a simulated company doing business on it for 120 s: a summary,
## the API's URLs and curl commands with a dealer's token; the hub runs on until Ctrl-C.
demo: release
	@scripts/demo $(DEMO_ARGS)

## make test: bootstrap, start a broker and a PostgreSQL server for the tests, run every test in phases, each
## announced with the seconds since the first began (the fault tests, which measure time, alone; the rest; the
## crash tests, which run lubehub processes and kill them; schemathesis against a live lubehub serve's
## /openapi.json; the JT/T 808 gateway against a Python terminal; the console in headless Chromium (Selenium); the
## figures end to end; the short chaos run and its checker; the fuzzers, 10 s each from an unoptimised build),
## stop both, exit with the tests' status.
test: bootstrap
	swift build --build-tests $(TEST_SWIFT_FLAGS)
	@LUBEHUB_BROKER_PORT=$(TEST_BROKER_PORT) scripts/broker start
	@LUBEHUB_PG_PORT=$(TEST_PG_PORT) scripts/postgres start
	@status=0; started=$$(date +%s); \
	  took() { echo "== ($$(( $$(date +%s) - started )) s since the tests began) $$*"; }; \
	  export LUBEHUB_TEST_BOOTSTRAP=127.0.0.1:$(TEST_BROKER_PORT); \
	  export LUBEHUB_TEST_POSTGRES=$$(LUBEHUB_PG_PORT=$(TEST_PG_PORT) scripts/postgres url); \
	  took "the fault tests (librdkafka's mock cluster: timeouts, a moving coordinator), alone: they measure time"; \
	  swift test --skip-build --filter 'KafkaTests.FaultTests' || status=$$?; \
	  took "the rest but the crash tests"; \
	  swift test --skip-build --skip 'KafkaTests.FaultTests|CoreCrashTests|CarrierAdapterCrashTests|AdapterKillTests' || status=$$?; \
	  took "the crash tests (lubehub processes killed and restarted), on their own so they do not starve the timing-sensitive ones"; \
	  swift test --skip-build --filter 'CoreCrashTests|CarrierAdapterCrashTests|AdapterKillTests' || status=$$?; \
	  took "property-based API tests: schemathesis against a live lubehub serve, 10 examples per operation (scripts/api-check)"; \
	  scripts/api-check 10 || status=$$?; \
	  took "the JT/T 808 gateway against an independent Python terminal over TCP, with the broker paused mid-stream (scripts/gateway-check)"; \
	  scripts/gateway-check || status=$$?; \
	  took "the console in a real browser: headless Chromium driven by Selenium (scripts/console-check)"; \
	  scripts/console-check || status=$$?; \
	  took "the figures end to end: 14 months of history through the topics, rebuilt, recomputed independently in Python, on screen (scripts/analytics-check)"; \
	  scripts/analytics-check || status=$$?; \
	  took "the chaos run, short: 60 s of business under kill -9, two cores, a paused broker; then the independent checker"; \
	  scripts/chaos --duration 60 || status=$$?; \
	  took "the decoders' fuzzers, short: 10 s each, built unoptimised (libFuzzer, AddressSanitizer, LeakSanitizer; make fuzz runs longer, optimised)"; \
	  scripts/fuzz --debug --seconds 10 || status=$$?; \
	  took "done"; \
	  LUBEHUB_BROKER_PORT=$(TEST_BROKER_PORT) scripts/broker stop; \
	  LUBEHUB_PG_PORT=$(TEST_PG_PORT) scripts/postgres stop; \
	  exit $$status

## make fuzz: the decoders' fuzzers (JT/T 808, IDoc, CSV, JSON + schema, the carrier, ABS and dealer mappings),
## FUZZ_SECONDS each (default 60), from the committed seed corpus; prints executions, crashes, hangs, leaks.
FUZZ_SECONDS ?= 60
fuzz: bootstrap
	scripts/fuzz --seconds $(FUZZ_SECONDS)

## make bench-analytics: the figures at the study's scale (5,000 dealers, 3 years) on SQLite and PostgreSQL vs. a plain GROUP BY,
## and the core's ingest with the figures kept and not, by its rules alone and through Kafka (JSON on stdout; over an hour).
bench-analytics: release
	@scripts/broker start
	@LUBEHUB_PG_PORT=$(TEST_PG_PORT) scripts/postgres start
	.build/release/lubehub-bench analytics --through-kafka --postgres "$$(LUBEHUB_PG_PORT=$(TEST_PG_PORT) scripts/postgres url)" --json

## make bench-engagement: one announcement to 55,000 dealers — the audience preview's p99, the last of 1,000 live streams, the inbox (JSON on stdout; a few minutes).
bench-engagement: release
	.build/release/lubehub-bench engagement --json

## make bench-gateway: 10,000 JT/T 808 terminals on loopback against a lubehub gateway jt808 process for 5 minutes, then a burst (JSON on stdout; about 7 minutes).
bench-gateway: release
	@scripts/broker start
	.build/release/lubehub-bench gateway --json

## make bench-books: a tier-1 dealer's monthly report over 100,000 book lines, on SQLite then PostgreSQL, vs. the same report from the lines (JSON on stdout; a few minutes).
bench-books: release
	@LUBEHUB_PG_PORT=$(TEST_PG_PORT) scripts/postgres start
	.build/release/lubehub-bench books --json
	.build/release/lubehub-bench books --postgres "$$(LUBEHUB_PG_PORT=$(TEST_PG_PORT) scripts/postgres url)" --json

## make bench-forecast: the demand forecast's backtest vs. the same month last year on three years of the simulator's history (5,000 dealers), by product line, and how long a full forecast takes (JSON on stdout; a few minutes).
bench-forecast: release
	.build/release/lubehub-bench forecast --json

## make bench-kafka: the Kafka library against rdkafka_performance on the local broker (JSON on stdout).
bench-kafka: release
	@scripts/broker start
	.build/release/lubehub-bench kafka --json

## make bench-ingest: the core applying positions vs. a plain consumer and the Python baseline (JSON on stdout).
bench-ingest: release
	@scripts/broker start
	.build/release/lubehub-bench ingest --json

## make bench-adapter: the carrier adapter (JT/T 808 -> positions, transactional) vs. a plain consumer (JSON on stdout).
bench-adapter: release
	@scripts/broker start
	.build/release/lubehub-bench adapter carrier --json

## make bench-codec: canonical events encoded, validated and decoded vs. Foundation's coders, no Kafka (JSON on stdout).
bench-codec: release
	.build/release/lubehub-bench codec --json

## make bench-orders: end-to-end order latency at 500 orders/s on a fresh hub of its own (JSON on stdout).
bench-orders: release
	@scripts/bench-orders --json

## make bench-admin: an administrator's permission-group change until the dealer sees it, vs. a Kafka round trip (JSON on stdout).
bench-admin: release
	@scripts/bench-hub admin --json

## make bench-pages: the console's page budget: server time p99 and bytes of the main pages vs. the JSON API's same read.
bench-pages: release
	@.build/release/lubehub-bench pages

## make chaos: the full chaos run (300 s of business under kill -9, two cores, a paused broker) and its checker.
chaos: build
	@LUBEHUB_PG_PORT=$(TEST_PG_PORT) scripts/postgres start
	@status=0; LUBEHUB_TEST_POSTGRES=$$(LUBEHUB_PG_PORT=$(TEST_PG_PORT) scripts/postgres url) scripts/chaos --duration 300 || status=$$?; \
	  LUBEHUB_PG_PORT=$(TEST_PG_PORT) scripts/postgres stop; exit $$status

broker-start:
	@scripts/broker start

broker-stop:
	@scripts/broker stop

clean:
	rm -rf .build
