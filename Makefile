# Set-up and everyday commands. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
SAMPLES = samples/suzhou-2018.txt samples/draft-2021.txt

.PHONY: demo test bench schema clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

# Check the bundled samples; findings (exit status 1) are the point of the demo, not a failure.
demo: $(VENV)/.installed
	@for f in $(SAMPLES); do $(BIN)/compliance check $$f; test $$? -le 1 || exit 1; echo; done

test: $(VENV)/.installed-test browser
	$(BIN)/python -m pytest -q

# Headless Chromium (and CJK fonts for its screenshots) for tests/render/test_html_browser.py,
# from Debian: Playwright's own browser download is not reachable from CI. Root runs apt-get
# itself; anyone else through sudo. Where neither can install, the browser tests skip, saying so.
browser:
	@command -v chromium >/dev/null || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk; } \
	  || echo "make browser: could not install chromium; the browser tests will be skipped" >&2

bench: $(VENV)/.installed-test
	$(BIN)/python -m pytest benchmarks --benchmark-enable --benchmark-columns=median,iqr,rounds -q

# Regenerate the shipped JSON Schema after changing compliance/models/findings.py.
schema: $(VENV)/.installed
	$(BIN)/python -m compliance.render.schema

clean:
	rm -rf $(VENV) build dist .pytest_cache .benchmarks
