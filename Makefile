# Set-up and everyday commands. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
SAMPLES = samples/suzhou-2018.txt samples/draft-2021.txt

# Exact versions for CI (pip-compile of the test extra; `make lock` refreshes them): one file per
# side of Python 3.13, where durable-rules is not installed and numpy has moved on.
LOCK := requirements/ci$(shell $(PYTHON) -c 'import sys; print("-3.13" if sys.version_info >= (3, 13) else "")' 2>/dev/null).txt

.PHONY: demo lint test test-3.13 test-lowest print-py313 bench fuzz schema clean tools lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Stamp files: reinstall only when pyproject.toml or the lock changes. The demo takes the tool's
# dependencies at the lock's versions; the tests install the whole lock as it is, then the tool
# alone.
$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install -q -c $(LOCK) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install -q -r $(LOCK)
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@ $(VENV)/.installed

# Check the bundled samples; findings (exit status 1) are the point of the demo, not a failure.
# Then what reviewers and offices take away, in out/: the draft with its findings marked (HTML),
# a correction notice (.docx), the fixed text, and a screening of the samples and fixtures.
demo: $(VENV)/.installed
	@for f in $(SAMPLES); do $(BIN)/compliance check $$f; test $$? -le 1 || exit 1; echo; done
	@mkdir -p out
	@$(BIN)/compliance check --format html -o out/draft-2021.html samples/draft-2021.txt; test $$? -le 1
	@$(BIN)/compliance notice samples/draft-2021.txt --from 苏州市人民政府办公室 --to 苏州市自然资源和规划局 \
	  --deadline 2099-12-31 --number 苏府办〔2022〕5号 -o out/整改通知.docx
	@$(BIN)/compliance fix samples/suzhou-2018.txt -o out/suzhou-2018.fixed.txt
	@mkdir -p out/submissions && cp $(SAMPLES) tests/fixtures/report_*.txt out/submissions/
	@$(BIN)/compliance screen out/submissions -o out/screen -j 2; test $$? -le 1
	@echo "demo: open out/draft-2021.html and out/screen/summary.html in a browser; out/整改通知.docx in Word, WPS or LibreOffice"

# House rules (pyproject.toml [tool.ruff], [tool.mypy], [tool.importlinter]): lint, formatting,
# types and the import contracts between the pipeline's packages.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: $(VENV)/.installed-test lint tools
	$(BIN)/python -m pytest -q

# The same suite on Python 3.13, in a venv of its own: durable-rules does not run there, so the
# Python rules engine does it all (and the comparisons with durable-rules skip, saying so).
# PY313: the newest 3.13 pyenv has, else python3.13 on the PATH; or give it.
PY313 ?= $(or $(lastword $(sort $(wildcard $(shell pyenv root 2>/dev/null)/versions/3.13*/bin/python3.13))),$(shell command -v python3.13 2>/dev/null))
test-3.13:
	@test -n "$(PY313)" || { echo "make test-3.13: no Python 3.13 here (pyenv install 3.13, or make test-3.13 PY313=/path/to/python3.13)" >&2; exit 2; }
	$(MAKE) test PYTHON=$(PY313) VENV=.venv-3.13

print-py313:
	@echo $(PY313)

# Programs the tests drive, from Debian: headless Chromium and CJK fonts for the HTML report's
# browser tests (tests/render/test_html_browser.py; Playwright's own browser download is not
# reachable from CI), and LibreOffice Writer to open the correction notice (.docx → PDF in
# tests/render/test_notice.py). Root runs apt-get itself; anyone else through sudo. Each is
# installed on its own; where one cannot be, the tests that need it skip, saying so.
APT = $$([ "$$(id -u)" = 0 ] || echo sudo) env DEBIAN_FRONTEND=noninteractive apt-get
WRITER = dpkg-query -W -f '$${Status}\n' libreoffice-writer libreoffice-writer-nogui 2>/dev/null | grep -q 'ok installed'
tools:
	@command -v chromium >/dev/null && $(WRITER) || $(APT) update -q >/dev/null || true
	@command -v chromium >/dev/null || $(APT) install -y -q chromium fonts-noto-cjk >/dev/null \
	  || echo "make tools: could not install chromium; the browser tests will be skipped" >&2
	@$(WRITER) || $(APT) install -y -q --no-install-recommends libreoffice-writer-nogui >/dev/null \
	  || echo "make tools: could not install LibreOffice; the notice conversion test will be skipped" >&2

# Refresh the lock files from pyproject.toml: the newest versions its bounds allow, for this
# Python and, where one is installed, for Python 3.13 (`make lock PY313=` skips that).
lock: $(BIN)/python
	$(BIN)/python -m pip install -q pip-tools
	env CUSTOM_COMPILE_COMMAND="make lock" \
	  $(BIN)/pip-compile --quiet --upgrade --extra test --strip-extras --newline lf \
	  --no-emit-index-url --no-emit-find-links --no-emit-trusted-host -o $(LOCK) pyproject.toml
	@if [ -n "$(PY313)" ] && [ "$(LOCK)" != requirements/ci-3.13.txt ]; then \
	  $(MAKE) --no-print-directory lock PYTHON=$(PY313) VENV=.venv-3.13 PY313=; fi

# The suite (less the slow tests; or LOWEST_TESTS) with the lowest versions pyproject.toml's
# bounds allow (uv's lowest-direct resolution), in .venv-lowest: the bounds' check. On Python
# 3.11 or 3.12 (the lowest numpy has no build for 3.13).
LOWEST_TESTS ?= -m "not slow"
test-lowest:
	@$(MAKE) --no-print-directory .venv-lowest/bin/python VENV=.venv-lowest
	.venv-lowest/bin/python -m pip install -q uv
	sh -c \
	  '.venv-lowest/bin/uv pip compile -q --resolution lowest-direct --extra test --python .venv-lowest/bin/python \
	  pyproject.toml -o .venv-lowest/lowest.txt && VIRTUAL_ENV=.venv-lowest .venv-lowest/bin/uv pip install -q -r .venv-lowest/lowest.txt \
	  && VIRTUAL_ENV=.venv-lowest .venv-lowest/bin/uv pip install -q --no-deps -e .'
	.venv-lowest/bin/python -m pytest -q $(LOWEST_TESTS)

# The fuzz tests at length (they run briefly in `make test`): new seeds until FUZZ_MINUTES are up.
FUZZ_MINUTES ?= 10
fuzz: $(VENV)/.installed-test
	$(BIN)/python tests/fuzz/run.py --minutes $(FUZZ_MINUTES)

bench: $(VENV)/.installed-test
	$(BIN)/python -m pytest benchmarks --benchmark-enable --benchmark-columns=median,iqr,rounds -q

# Regenerate the shipped JSON Schema after changing compliance/models/findings.py.
schema: $(VENV)/.installed
	$(BIN)/python -m compliance.render.schema

clean:
	rm -rf $(VENV) .venv-3.13 .venv-lowest build dist .pytest_cache .benchmarks
