# The two set-up commands of the README: `make run` and `make test`. Each installs what is missing first.
SWIFT ?= swift
BIN := .build/debug/klonopin-guide
# Where eval and bench-speed build the release binary (`make eval BUILD_DIR=.build-eval` keeps .build untouched).
BUILD_DIR ?= .build

.PHONY: run test build check bench eval bench-speed clean deps test-deps

## Build and start the guide at a prompt (installs libedit-dev when missing).
run: deps
	@$(SWIFT) build --product klonopin-guide
	@$(BIN)

## Build everything and run every test (installs libedit-dev and tmux when missing).
test: test-deps
	$(SWIFT) build --build-tests
	$(BIN) check Content
	$(SWIFT) test --skip-build

build: deps
	$(SWIFT) build

check: build
	$(BIN) check Content

## Time to the first prompt against a Swift hello-world (release builds).
bench: deps
	bench/startup.sh

## Matching quality on bench/questions (dev and holdout) against a plain BM25 baseline (release build).
eval: deps
	$(SWIFT) build -c release --product klonopin-guide --scratch-path $(BUILD_DIR)
	python3 bench/eval.py --binary $(BUILD_DIR)/release/klonopin-guide

## Time a question (shipped bundle and generated bundles of 1k to 10k topics), load time and memory.
bench-speed: deps
	$(SWIFT) build -c release --product klonopin-guide --scratch-path $(BUILD_DIR)
	python3 bench/speed.py --binary $(BUILD_DIR)/release/klonopin-guide

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

clean:
	rm -rf .build
