# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#
# A thin front for CMake so that a fresh Debian 12 machine needs two commands:
#   make run    install dependencies, build Release, start ringkv-server on ringkv.conf
#   make test   install dependencies, build, run every test, then the suite under ASan+UBSan
# Other targets: build, test-fast (one build, no sanitizers), test-asan, fuzz-smoke, fuzz,
# bench (micro-benchmarks), compare (side by side with redis-server, then hitratio), hitratio
# (cache hit ratios at the same maxmemory), instructions (callgrind instructions per operation
# against redis-server), snapshot-compare, snapshot-p99 (write p99 during BGSAVE with an open-loop
# C++ generator), scaling (1/2/4/8 workers; needs 16 cores), format, clean.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc)
CTEST_ARGS ?=
FUZZ_SECONDS ?= 15

CMAKE_GEN := -G Ninja
CTEST := ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

.PHONY: all deps build run test test-fast test-asan fuzz-smoke fuzz bench compare instructions \
        hitratio snapshot-compare snapshot-p99 scaling format clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/server/ringkv-server ringkv.conf

test-fast: build
	cd $(BUILD) && $(CTEST)

test-asan: deps
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug \
	  -DRINGKV_SANITIZE=address,undefined -DRINGKV_BUILD_BENCH=OFF
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $(CTEST)

# libFuzzer needs clang; each target runs for FUZZ_SECONDS from its seed corpus.
fuzz-smoke: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DRINGKV_FUZZ=ON -DRINGKV_BUILD_BENCH=OFF
	tests/fuzz/run_fuzzers.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

fuzz:
	$(MAKE) fuzz-smoke FUZZ_SECONDS=600

test: test-fast test-asan fuzz-smoke

bench: build
	cmake --build $(BUILD) -j $(JOBS) --target micro-bench
	bench/run_micro.sh $(BUILD)

compare: build
	bench/compare
	bench/hitratio --docs

hitratio: build
	bench/hitratio --docs

instructions: build
	bench/instructions.sh $(BUILD) 200000

snapshot-compare: build
	bench/snapshot_compare --docs

snapshot-p99: build
	bench/snapshot_p99 $(BUILD) 5

scaling: build
	bench/scaling --server $(BUILD)/server/ringkv-server \
	  --bench $(BUILD)/bench/ringkv_bench/ringkv-bench

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
