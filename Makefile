# The README's two commands live here: `make demo` and `make test`.
# CMake does the real work; this file installs dependencies and drives it.

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
SAN_BUILD ?= build-asan
CMAKE ?= cmake

.PHONY: all deps build demo test test-plain test-asan fuzz bench clean format

all: build

deps:
	@bash scripts/install-deps

build: deps
	@$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@$(CMAKE) --build $(BUILD) -j $(JOBS)

demo: build
	@rm -rf demo
	./$(BUILD)/waras --db demo/waras.db demo --dir demo --seed 42
	@bash scripts/demo-accounts ./$(BUILD)/waras demo

test-plain: build
	@cd $(BUILD) && bash $(CURDIR)/tests/pg/ctest.sh --output-on-failure -j $(JOBS)

test-asan: deps
	@CC=clang $(CMAKE) -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DWARAS_SANITIZE=ON -DWARAS_FUZZ=ON >/dev/null
	@$(CMAKE) --build $(SAN_BUILD) -j $(JOBS)
	@cd $(SAN_BUILD) && bash $(CURDIR)/tests/pg/ctest.sh --output-on-failure -j $(JOBS)

# Plain build first, then everything again under ASan+UBSan (with fuzz smoke runs).
# The last line printed is ctest's summary of the sanitizer run.
test: test-plain test-asan

bench: build
	@bash bench/ics.sh

clean:
	rm -rf $(BUILD) $(SAN_BUILD) demo

format:
	clang-format -i $$(git ls-files '*.c' '*.h')
