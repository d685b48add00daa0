# The two set-up commands of the README: `make run` and `make test`. Each installs what is missing first.
SWIFT ?= swift
BIN := .build/debug/klonopin-guide

.PHONY: run test build check bench clean deps test-deps

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

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

clean:
	rm -rf .build
