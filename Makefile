# gdviz: set up, build, serve, test and benchmark.
#
#   make serve   install what is missing, build the page, serve it on http://127.0.0.1:$(PORT)
#   make test    install what is missing, run every test (native, wasm in Chromium, end-to-end, the
#                page in Firefox and WebKit, the Python package with pytest and its widget in JupyterLab)
#   make dist    the self-contained static site in dist/, to copy to any web server and sub-path
#   make bench   step throughput (criterion), the page (frame intervals in headless Chromium, also at a
#                4× slower CPU) and the mini-batch kernel side by side (JavaScript, wasm, simd128)
#   make trace   where a frame's time goes at a 4× slower CPU
#
# Every setup step checks first and does nothing when its tool is already there.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PORT ?= 8000
WASM_TARGET := wasm32-unknown-unknown
# Cargo honours CARGO_TARGET_DIR; so does the path of the built module.
WASM_FILE := $(or $(CARGO_TARGET_DIR),target)/$(WASM_TARGET)/release/gdviz.wasm
PKG_DIR := www/pkg
CHROMIUM := /usr/bin/chromium
CHROMEDRIVER ?= /usr/bin/chromedriver
FONT := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
NPM_STAMP := node_modules/.gdviz-npm-ci

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate pinned in Cargo.toml
# (`wasm-bindgen = "=0.2.130"` or `wasm-bindgen = { version = "=0.2.130", ... }`).
WASM_BINDGEN_VERSION := $(shell sed -nE 's/^wasm-bindgen[[:space:]]*=[^"]*"=?([0-9]+\.[0-9]+\.[0-9]+)".*/\1/p' Cargo.toml | head -n 1)

# apt-get needs root: use sudo only when not root already.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# `cargo install` puts wasm-bindgen and wasm-bindgen-test-runner here.
export PATH := $(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER

.PHONY: help setup setup-rust setup-wasm-bindgen setup-browser setup-browsers setup-fonts setup-node setup-npm setup-python test-browsers \
        wasm dist serve test test-native test-wasm test-e2e test-torch fuzz soak bench bench-step bench-tuning bench-page bench-batch bench-import bench-lighthouse trace clean-pkg
.PHONY: widget setup-notebook test-notebook
.PHONY: python test-python

help:
	@echo "make serve   set up, build and serve the page on http://127.0.0.1:$(PORT) (PORT=... to change)"
	@echo "make test    set up and run every test: native, wasm in headless Chromium, end-to-end, Firefox and WebKit, the Python package and its Jupyter widget"
	@echo "make test-torch  the exported PyTorch scripts against the core (installs torch into .venv, about 3 GB; not part of make test)"
	@echo "make test-notebook  gdviz.Explorer in a real JupyterLab, offline (installs jupyterlab and anywidget into .venv)"
	@echo "make python  the Python package gdviz (python/, PyO3 through maturin) into .venv; make test-python runs its pytest suite"
	@echo "make fuzz    the session (1e6 random operations), the CSV reader (1e6 files), links and lessons (2,000 each) fuzzed; a short run is part of make test"
	@echo "make soak    six runs at speed 1000 on 1e6 points for 10 minutes, memory and frame interval sampled"
	@echo "make bench   criterion benchmarks (step, tuning), the page benchmark (also at a 4x slower CPU), the mini-batch kernel and the import in headless Chromium, and Lighthouse on dist/"
	@echo "make trace   where a frame's time goes at a 4x slower CPU (SCENARIO=a|b|c|e|lesson)"
	@echo "make setup   install whatever is missing (wasm32 target, wasm-bindgen $(WASM_BINDGEN_VERSION), chromium, npm packages)"
	@echo "make wasm    build the WebAssembly module into $(PKG_DIR)/"
	@echo "make dist    the static site in dist/ (wasm-opt from npm binaryen): copy it to any web server, any sub-path"

# ---------------------------------------------------------------------------------------------
# Setup: each step installs only what is missing.

setup: setup-rust setup-wasm-bindgen setup-browser setup-fonts setup-npm

setup-rust:
	@command -v cargo >/dev/null || { echo "setup: cargo not found; install Rust with rustup (https://rustup.rs) first" >&2; exit 1; }
	@if rustup target list --installed | grep -qx '$(WASM_TARGET)'; then \
	  echo "setup: Rust target $(WASM_TARGET) present"; \
	else \
	  echo "setup: adding Rust target $(WASM_TARGET)"; \
	  rustup target add $(WASM_TARGET); \
	fi

setup-wasm-bindgen: setup-rust
	@test -n "$(WASM_BINDGEN_VERSION)" || { echo "setup: cannot read the wasm-bindgen version pinned in Cargo.toml" >&2; exit 1; }
	@have="$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}' || true)"; \
	if [ "$$have" = "$(WASM_BINDGEN_VERSION)" ] && command -v wasm-bindgen-test-runner >/dev/null; then \
	  echo "setup: wasm-bindgen CLI $$have present"; \
	else \
	  echo "setup: installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (found: $${have:-none}); this takes a few minutes"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; \
	fi

setup-browser:
	@if [ -x $(CHROMIUM) ] && [ -x $(CHROMEDRIVER) ]; then \
	  echo "setup: chromium and chromedriver present"; \
	else \
	  echo "setup: installing Debian's chromium and chromium-driver"; \
	  $(SUDO) apt-get update; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; \
	fi

# Firefox and WebKit for tests/browsers/: Debian's firefox-esr, webkit2gtk-driver (WebKitGTK's
# WebKitWebDriver and MiniBrowser) and xvfb (MiniBrowser has no headless mode), and geckodriver
# built from crates.io (about 5 minutes the first time; its build directory is kept out of the
# repository). Nothing here downloads a browser or a driver binary of its own.
GECKODRIVER := $(HOME)/.cargo/bin/geckodriver
GECKODRIVER_VERSION := 0.37.1
GECKODRIVER_TARGET_DIR := $(HOME)/.cache/gdviz-geckodriver-target

setup-browsers:
	@missing=""; \
	[ -x /usr/bin/firefox-esr ] || missing="$$missing firefox-esr"; \
	[ -x /usr/bin/WebKitWebDriver ] || missing="$$missing webkit2gtk-driver"; \
	[ -x /usr/bin/Xvfb ] || missing="$$missing xvfb"; \
	if [ -z "$$missing" ]; then \
	  echo "setup: firefox-esr, webkit2gtk-driver and xvfb present"; \
	else \
	  echo "setup: installing Debian's$$missing"; \
	  $(SUDO) apt-get update; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi
	@if [ -x $(GECKODRIVER) ]; then \
	  echo "setup: geckodriver present"; \
	else \
	  echo "setup: building geckodriver $(GECKODRIVER_VERSION) (cargo install, about 5 minutes)"; \
	  CARGO_TARGET_DIR=$(GECKODRIVER_TARGET_DIR) cargo install geckodriver --version $(GECKODRIVER_VERSION) --locked; \
	fi

# The native plots (`gdviz plot`, tests/render.rs) draw their text with a TrueType font; the
# page's Chinese (screenshots in headless Chromium) needs a CJK font.
setup-fonts:
	@missing=""; \
	[ -f $(FONT) ] || missing="$$missing fonts-dejavu-core"; \
	[ -f $(CJK_FONT) ] || missing="$$missing fonts-wqy-microhei"; \
	if [ -z "$$missing" ]; then \
	  echo "setup: fonts present"; \
	else \
	  echo "setup: installing Debian's$$missing"; \
	  $(SUDO) apt-get update; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi

setup-node:
	@if command -v npm >/dev/null && command -v python3 >/dev/null; then \
	  echo "setup: node $$(node --version), npm $$(npm --version 2>/dev/null) and python3 present"; \
	else \
	  echo "setup: installing node, npm and python3 from Debian"; \
	  $(SUDO) apt-get update; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm python3; \
	fi

setup-npm: setup-node $(NPM_STAMP)
	@echo "setup: npm packages present"

# The Python that tests/scripts.rs runs the exported NumPy scripts with: a virtual environment in
# .venv (git-ignored) with numpy. `make test-torch` adds torch to it.
VENV := .venv
VENV_PYTHON := $(VENV)/bin/python

setup-python: setup-node
	@if [ -x $(VENV_PYTHON) ] && $(VENV_PYTHON) -c 'import numpy' 2>/dev/null; then \
	  echo "setup: python venv $(VENV) with numpy $$($(VENV_PYTHON) -c 'import numpy; print(numpy.__version__)') present"; \
	else \
	  echo "setup: creating the python venv $(VENV) with numpy"; \
	  [ -x $(VENV_PYTHON) ] || python3 -m venv $(VENV) || { \
	    echo "setup: python3 -m venv failed: installing Debian's python3-venv"; rm -rf $(VENV); \
	    $(SUDO) apt-get update; $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv; \
	    python3 -m venv $(VENV); }; \
	  $(VENV)/bin/pip install --quiet numpy; \
	fi

# Reinstalled when node_modules is missing or older than the lock file. Playwright drives
# Debian's chromium: never download a browser.
$(NPM_STAMP): package-lock.json package.json
	@echo "setup: npm ci"
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	@touch $@

# ---------------------------------------------------------------------------------------------
# Build and serve

wasm: setup-rust setup-wasm-bindgen
	cargo build --release --target $(WASM_TARGET) --lib
	wasm-bindgen --target web --out-dir $(PKG_DIR) $(WASM_FILE)

# The static site: index.html, the page's modules and styles, the module through npm binaryen's
# wasm-opt (scripts/dist.mjs). Needs no browser, so no apt-get: it builds on a bare CI runner.
dist: setup-npm wasm
	node scripts/dist.mjs

# The Jupyter widget's front end (gdviz.Explorer): dist/'s page and module inlined into the ESM
# python/gdviz/static/widget.js, and the table of its settings, python/gdviz/static/settings.json
# (scripts/widget.mjs; git-ignored). `make python` builds it before installing the package.
widget: dist
	node scripts/widget.mjs

# The Python package gdviz (python/: the core through PyO3, built by maturin from PyPI in pip's
# build environment) installed into .venv, as `pip install ./python` does; python/ is a member of
# the Cargo workspace, so the core compiles once into target/ for it and the command line. It is
# reinstalled only when a source changed (the stamp): a Rust source, the package's files, or the
# content of the widget's front end (rewritten by each `make widget`, so compared by checksum).
PYTHON_STAMP := $(VENV)/.gdviz-python-installed
PYTHON_STATIC_SUM := $(VENV)/.gdviz-python-static.sum
PYTHON_SOURCES := Cargo.toml Cargo.lock $(shell find src python/src python/gdviz python/Cargo.toml python/pyproject.toml python/README.md \
                    -type f -not -name '*.pyc' -not -path 'python/gdviz/static/*' 2>/dev/null)

python: $(PYTHON_STAMP)

$(PYTHON_STAMP): $(PYTHON_SOURCES) $(PYTHON_STATIC_SUM) | setup-python widget
	$(VENV)/bin/pip install --quiet ./python
	@touch $@

$(PYTHON_STATIC_SUM): FORCE | setup-python widget
	@sum="$$(cat python/gdviz/static/* 2>/dev/null | sha256sum)"; \
	[ "$$(cat $@ 2>/dev/null)" = "$$sum" ] || echo "$$sum" > $@

FORCE:

serve: setup wasm
	@echo
	@echo "gdviz: serving http://127.0.0.1:$(PORT)/  (Ctrl-C stops; PORT=... changes the port)"
	@echo
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory .

clean-pkg:
	rm -rf $(PKG_DIR)

# ---------------------------------------------------------------------------------------------
# Tests. `make test` runs every suite even when one fails, prints each runner's own summary,
# then a line per suite, and exits non-zero if any failed.

test: setup setup-browsers setup-python
	@failed=""; passed=0; \
	echo; echo "==> native tests: cargo test"; \
	if $(MAKE) --no-print-directory test-native; then passed=$$((passed + 1)); else failed="$$failed native"; fi; \
	echo; echo "==> wasm boundary tests in headless Chromium"; \
	if $(MAKE) --no-print-directory test-wasm; then passed=$$((passed + 1)); else failed="$$failed wasm"; fi; \
	echo; echo "==> build the page and its static site"; \
	if $(MAKE) --no-print-directory wasm dist; then \
	  echo; echo "==> end-to-end tests: Playwright on Debian's chromium"; \
	  if $(MAKE) --no-print-directory test-e2e; then passed=$$((passed + 1)); else failed="$$failed e2e"; fi; \
	  echo; echo "==> the same page in Firefox and WebKit over WebDriver"; \
	  if $(MAKE) --no-print-directory test-browsers; then passed=$$((passed + 1)); else failed="$$failed browsers"; fi; \
	  echo; echo "==> the Python package: pytest against the command line and scikit-learn"; \
	  if $(MAKE) --no-print-directory test-python; then passed=$$((passed + 1)); else failed="$$failed python"; fi; \
	  echo; echo "==> gdviz.Explorer in a real JupyterLab, offline"; \
	  if $(MAKE) --no-print-directory test-notebook; then passed=$$((passed + 1)); else failed="$$failed notebook"; fi; \
	else \
	  failed="$$failed page-build(e2e, browsers, python and notebook not run)"; \
	fi; \
	echo; \
	if [ -z "$$failed" ]; then \
	  echo "make test: all $$passed suites passed (native, wasm, e2e, browsers, python, notebook)"; \
	else \
	  echo "make test: FAILED:$$failed" >&2; exit 1; \
	fi

test-native: setup-python
	cargo test

# The exported PyTorch scripts against the core (tests/scripts.rs, its ignored tests): torch
# installed into .venv when missing (about 3 GB with its CUDA libraries, ~2 minutes; it runs on
# the CPU). Not part of `make test`.
test-torch: setup-python
	@if $(VENV_PYTHON) -c 'import torch' 2>/dev/null; then \
	  echo "setup: torch $$($(VENV_PYTHON) -c 'import torch; print(torch.__version__)') present"; \
	else \
	  echo "setup: installing torch into $(VENV) (about 3 GB, ~2 minutes)"; \
	  $(VENV)/bin/pip install --quiet torch; \
	fi
	cargo test --test scripts -- --ignored --nocapture

# JupyterLab, anywidget and pandas into .venv, for the widget and its test (only what is missing).
setup-notebook: setup-python
	@missing=""; \
	for module in jupyterlab anywidget pandas; do \
	  $(VENV_PYTHON) -c "import $$module" 2>/dev/null || missing="$$missing $$module"; \
	done; \
	if [ -z "$$missing" ]; then \
	  echo "setup: jupyterlab, anywidget and pandas present in $(VENV)"; \
	else \
	  echo "setup: installing$$missing into $(VENV)"; \
	  $(VENV)/bin/pip install --quiet $$missing; \
	fi

# gdviz.Explorer end to end in a real JupyterLab started by the test, offline, driven by Playwright
# on Debian's chromium (tests/notebook/; the gdviz CLI gives the preset's points).
test-notebook: python setup-notebook setup-browser setup-npm
	cargo build --release --bin gdviz
	GDVIZ_CLI=$(or $(CARGO_TARGET_DIR),target)/release/gdviz npx --no-install playwright test -c tests/notebook/playwright.config.js

# The Python package's tests (python/tests/, pytest): pytest, scikit-learn and pandas installed
# into .venv when missing (test-only), the command line built to compare the JSON with.
test-python: python
	@missing=""; \
	for pair in pytest:pytest scikit-learn:sklearn pandas:pandas; do \
	  $(VENV_PYTHON) -c "import $${pair#*:}" 2>/dev/null || missing="$$missing $${pair%%:*}"; \
	done; \
	if [ -z "$$missing" ]; then \
	  echo "setup: pytest, scikit-learn and pandas present in $(VENV)"; \
	else \
	  echo "setup: installing$$missing into $(VENV)"; \
	  $(VENV)/bin/pip install --quiet $$missing; \
	fi
	cargo build --release --bin gdviz
	GDVIZ_CLI=$(or $(CARGO_TARGET_DIR),target)/release/gdviz $(VENV_PYTHON) -m pytest python/tests

test-wasm: setup-rust setup-wasm-bindgen setup-browser
	cargo test --target $(WASM_TARGET) --test wasm_boundary

test-e2e: setup-npm
	npx --no-install playwright test

# Firefox and WebKit (Safari's engine) over WebDriver: tests/browsers/ (node's test runner).
test-browsers: setup-browsers setup-npm wasm
	SE_OFFLINE=true GECKODRIVER=$(GECKODRIVER) node --test tests/browsers/

# ---------------------------------------------------------------------------------------------
# Benchmarks

# The session driven by 1e6 random operations (every setter with any f64, edits, data of other
# widths, runs): no panic, every refusal named and changing nothing, every number finite; the
# CSV reader on 1e6 arbitrary and mutated files; the page's link reader on 2,000 arbitrary and
# mutated links (fast-check, in headless Chromium).
fuzz: wasm setup-npm setup-browser
	GDVIZ_FUZZ_OPERATIONS=$${GDVIZ_FUZZ_OPERATIONS:-1000000} cargo test --release --test session_fuzz --test csv_fuzz -- --nocapture
	GDVIZ_LINK_FUZZ_RUNS=$${GDVIZ_LINK_FUZZ_RUNS:-2000} npx --no-install playwright test tests/e2e/link-fuzz.spec.js --reporter=list
	GDVIZ_LESSON_FUZZ_RUNS=$${GDVIZ_LESSON_FUZZ_RUNS:-2000} npx --no-install playwright test tests/e2e/lesson-fuzz.spec.js --reporter=list

# Six runs at speed 1000 on 1e6 points for 10 minutes: memory, heap and frame interval sampled.
soak: wasm setup-npm setup-browser
	node scripts/soak.mjs

bench: bench-step bench-tuning bench-page bench-batch bench-import bench-lighthouse

bench-step:
	cargo bench --bench step

# The stability map at 200 × 200 for d = 1, 3 and 10 features (criterion); the range test's
# frames on a million points are in the page benchmark, scenario (r).
bench-tuning:
	cargo bench --bench tuning

bench-page: setup wasm
	node scripts/bench-page.mjs

# Where a frame's time goes at a 4× slower CPU (SCENARIO=a|b|c|e|lesson).
trace: setup wasm
	node scripts/trace-page.mjs --scenario $${SCENARIO:-a}

# The mini-batch kernel in headless Chromium: plain JavaScript, a scalar module and the simd128
# module, side by side (benches/batch.html). Each module is built into its own target and
# package directory (git-ignored); the simd128 one is the page's build (.cargo/config.toml).
BENCH_SCALAR_TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)/scalar

bench-batch: setup wasm
	wasm-bindgen --target web --out-dir benches/pkg-simd $(WASM_FILE)
	RUSTFLAGS="-C target-feature=-simd128" CARGO_TARGET_DIR=$(BENCH_SCALAR_TARGET_DIR) \
	  cargo build --release --target $(WASM_TARGET) --lib
	wasm-bindgen --target web --out-dir benches/pkg-scalar $(BENCH_SCALAR_TARGET_DIR)/$(WASM_TARGET)/release/gdviz.wasm
	node scripts/bench-batch.mjs

bench-import: setup wasm
	cargo build --release --bin gdviz
	node scripts/bench-import.mjs

# Lighthouse 12.2.3 (its 13 needs Node 22) on dist/ served compressed, three runs a profile. It is
# not one of the page's dependencies: installed, pinned, into .cache/lighthouse when missing.
LIGHTHOUSE_DIR := .cache/lighthouse

bench-lighthouse: setup-browser dist
	@[ -f $(LIGHTHOUSE_DIR)/node_modules/lighthouse/package.json ] || \
	  npm install --silent --no-audit --no-fund --prefix $(LIGHTHOUSE_DIR) lighthouse@12.2.3
	node scripts/bench-lighthouse.mjs
