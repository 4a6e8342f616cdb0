# Kehou — the README's commands. `make demo` and `make test` install what they need first.
SHELL := /bin/bash
BUILD ?= build
JOBS ?= $(shell nproc)
DEMO_DB ?= var/demo.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps deps-native deps-run build web demo test bench-http bench-select bench-allocate bench-timetable bench-daily bench-money bench-demo clean

all: build

deps:
	@scripts/install-deps

deps-native:
	@scripts/install-deps --no-web

# Only what builds and runs the platform: `make demo` on a fresh machine installs no PostgreSQL
# server, browser, clang or bench tools (`make test` and the benches install those first).
deps-run:
	@scripts/install-deps --run --no-web

$(BUILD)/build.ninja: CMakeLists.txt
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: deps-run $(BUILD)/build.ninja
	@ninja -C $(BUILD) -j $(JOBS) kehou
	@echo "built $(BUILD)/kehou"

# The pages: rebuilt only when web sources change.
WEB_SRC := $(shell find web -path web/node_modules -prune -o -path web/dist -prune -o -type f -print 2>/dev/null)
web/dist/index.html: $(WEB_SRC)
	@scripts/install-deps --run
	@cd web && npm run build --silent
	@touch web/dist/index.html

web: web/dist/index.html

demo: build web
	@scripts/demo $(BUILD)/kehou $(DEMO_DB) $(LISTEN)

test: deps build web
	@scripts/run-tests $(BUILD)

bench-http: deps-native build
	@bench/http.sh $(BUILD)/kehou

# Selection-night rush on SQLite, then on PostgreSQL (two servers; a throwaway but durable cluster,
# crashed once mid-rush, with pgbench run on it for scale: "pgbench_tps", "ratio_to_pgbench"), then
# an open-loop run at half the reference rate ("open_loop_rate", "open_loop_p99_ms": the latency a
# family sees, measured from each request's scheduled send time).
# Last line of each: {"bench":"select","db":...,"writes_per_s":N,...,"oversold":0,"lost":0}
bench-select: deps-native build
	@ninja -C $(BUILD) -j $(JOBS) kehou_bench_select
	@$(BUILD)/kehou_bench_select --kehou $(BUILD)/kehou --db sqlite $(BENCH_SELECT_ARGS)
	@KEHOU_PG_DURABLE=1 scripts/with-postgres $(BUILD)/kehou_bench_select --kehou $(BUILD)/kehou --db postgres $(BENCH_SELECT_ARGS)

# The dismissal peak (bench/daily/run.mjs): 60 teachers saving 300 rosters, 8 gate devices sending
# 2,400 swipes, 200 guardians polling, 100 announcing arrival; twice: the saves closed-loop
# (capacity: roster_saves_closed_per_s, roster_save_closed_p99_ms) then open-loop at the scenario's
# rate (10 real minutes compressed 60x: 30 saves/s, each timed from its scheduled send time:
# roster_save_p99_ms, status_p99_ms); then a dedicated ingest phase (8 devices, 24,000 swipes in
# batches of 50), then kill -9 mid-peak; median of BENCH_DAILY_RUNS (3) runs. PostgreSQL runs with
# pg_stat_statements loaded, so statements per request are reported.
# Last line of each: {"bench":"daily","db":...,"roster_save_p99_ms":N,"roster_rate_per_s":30,
# "roster_saves_closed_per_s":N,"roster_save_closed_p99_ms":N,"swipes_per_s":N,"ingest_swipes_per_s":N,
# "status_p99_ms":N,...,"lost":0}
BENCH_DAILY_RUNS ?= 3
bench-daily: deps-native build
	@node bench/daily/run.mjs --kehou $(BUILD)/kehou --db sqlite --runs $(BENCH_DAILY_RUNS)
	@KEHOU_PG_DURABLE=1 KEHOU_PG_OPTS="$${KEHOU_PG_OPTS:--c shared_preload_libraries=pg_stat_statements}" scripts/with-postgres node bench/daily/run.mjs --kehou $(BUILD)/kehou --db postgres --runs $(BENCH_DAILY_RUNS)

# make bench-money (issue 14 §6, bench/money/): the bill run of a 2,400-child school, 2,400 signed
# WeChat Pay callbacks (10 % duplicates, 1 % forged) at once through the real endpoint, and a
# 100-school county close (pay runs posted to the ledger + reconciliations). Last line:
# {"bench":"money","bill_run_s":X,"callbacks_per_s":N,"county_close_s":X,"ledger_imbalance_fen":0,...}
bench-money: build
	@ninja -C $(BUILD) -j $(JOBS) kehou_bench_money
	@$(BUILD)/kehou_bench_money $(BUILD)/kehou

# How long the demo county takes to build (bench/demo.sh), median of BENCH_DEMO_RUNS (3).
BENCH_DEMO_RUNS ?= 3
bench-demo: build
	@bench/demo.sh $(BUILD)/kehou $(BENCH_DEMO_RUNS)

bench-allocate: deps-native $(BUILD)/build.ninja
	@ninja -C $(BUILD) -j $(JOBS) kehou_bench_allocate
	@$(BUILD)/kehou_bench_allocate

# Our timetable solver against FET's fet-cl on generated instances, each feasible by construction,
# checked by an independent checker (bench/timetable/). TT_SIZES=200,400 (default 200,400,800),
# TT_VARIANTS=tight, TT_FET_SECONDS=120. Installs Debian's `fet` when missing (the bench only).
# Last line: {"bench":"timetable","instances":N,"kehou_solved":N,"fet_solved":N,...}
bench-timetable: deps-native $(BUILD)/build.ninja
	@ninja -C $(BUILD) -j $(JOBS) kehou
	@command -v fet-cl >/dev/null || { SUDO=; [[ $$(id -u) == 0 ]] || SUDO=sudo; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends fet >/dev/null; }
	@python3 bench/timetable/run.py --kehou $(BUILD)/kehou --work var/bench-timetable $(if $(BASELINE),--baseline $(BASELINE))

clean:
	rm -rf $(BUILD) build-asan web/dist
