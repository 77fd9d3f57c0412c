# Set-up and everyday commands. `make demo` and `make test` work on a fresh clone, and say what
# they do as they go: a line per step, how long it took, a summary of the time at the end and
# where the outputs are (scripts/step; Chinese, or English where LANG/LC_ALL asks for it).
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
SAMPLES = samples/suzhou-2018.txt samples/draft-2021.txt
STEP = bash scripts/step
export STEP_LOG = $(abspath $(VENV))/.steps
ifndef STEP_SINCE
export STEP_SINCE := $(shell date +%s)
endif

# Exact versions for CI (pip-compile of the test extra; `make lock` refreshes them): one file per
# side of Python 3.13, where durable-rules is not installed and numpy has moved on.
LOCK := requirements/ci$(shell $(PYTHON) -c 'import sys; print("-3.13" if sys.version_info >= (3, 13) else "")' 2>/dev/null).txt

.PHONY: demo lint test test-3.13 test-lowest print-py313 bench fuzz schema clean tools lock

$(BIN)/python:
	@$(STEP) "创建虚拟环境 $(VENV)（$(PYTHON)）|Creating the virtual environment $(VENV) ($(PYTHON))" $(PYTHON) -m venv $(VENV)
	@$(STEP) "升级 pip|Upgrading pip" $(BIN)/python -m pip install -q --upgrade pip

# Stamp files: reinstall only when pyproject.toml or the lock changes. The demo takes the tool's
# dependencies at the lock's versions; the tests install the whole lock as it is, then the tool
# alone.
$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	@$(STEP) "安装本工具及其依赖（版本取自 $(LOCK)）|Installing the tool and its dependencies (versions from $(LOCK))" \
	  $(BIN)/python -m pip install -q -c $(LOCK) -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) | $(BIN)/python
	@$(STEP) "安装测试所需的包（$(LOCK) 中的确切版本）|Installing what the tests need (the exact versions in $(LOCK))" \
	  $(BIN)/python -m pip install -q -r $(LOCK)
	@$(STEP) "安装本工具（可编辑模式，依赖已装好）|Installing the tool (editable; its dependencies are in)" \
	  $(BIN)/python -m pip install -q --no-deps -e .
	@touch $@ $(VENV)/.installed

# Check the bundled samples; findings (exit status 1) are the point of the demo, not a failure.
# Then what reviewers and offices take away, in out/: the draft with its findings marked (HTML),
# a correction notice (.docx), the fixed text, the draft as a reviewer hands it back (comments and
# tracked changes), two years of one issuer compared, and a screening of the samples and fixtures.
demo: $(VENV)/.installed
	@$(STEP) --talks "检查 samples/ 中的两份样例报告|Checking the two sample reports in samples/" \
	  sh -c 'for f in $(SAMPLES); do $(BIN)/compliance check $$f; test $$? -le 1 || exit 1; echo; done'
	@mkdir -p out
	@$(STEP) "标出问题的草稿 → out/draft-2021.html|The draft with its findings marked → out/draft-2021.html" \
	  sh -c '$(BIN)/compliance check --format html -o out/draft-2021.html samples/draft-2021.txt; test $$? -le 1'
	@$(STEP) "整改通知 → out/整改通知.docx|The correction notice → out/整改通知.docx" \
	  $(BIN)/compliance notice samples/draft-2021.txt --from 苏州市人民政府办公室 --to 苏州市自然资源和规划局 \
	  --deadline 2099-12-31 --number 苏府办〔2022〕5号 -o out/整改通知.docx
	@$(STEP) "修正稿 → out/suzhou-2018.fixed.txt|The fixed copy → out/suzhou-2018.fixed.txt" \
	  $(BIN)/compliance fix samples/suzhou-2018.txt -o out/suzhou-2018.fixed.txt
	@$(STEP) "审阅稿（批注和修订）→ out/draft-2021.审阅稿.docx|The review copy (comments and tracked changes) → out/draft-2021.审阅稿.docx" \
	  $(BIN)/compliance annotate samples/draft-2021.txt --author 苏州市政务公开办 -o out/draft-2021.审阅稿.docx
	@$(STEP) "洪泽区 2023 与 2024 年报告比对 → out/洪泽区-2023-2024.html|洪泽区's 2023 and 2024 reports compared → out/洪泽区-2023-2024.html" \
	  $(BIN)/compliance compare samples/hongze-2023.txt samples/hongze-2024.txt -o out/洪泽区-2023-2024.html
	@mkdir -p out/submissions && cp $(SAMPLES) samples/hongze-*.txt tests/fixtures/report_*.txt out/submissions/
	@$(STEP) --talks "批量筛查样例与测试用报告 → out/screen/|Screening the samples and test reports → out/screen/" \
	  sh -c '$(BIN)/compliance screen out/submissions -o out/screen -j 2; test $$? -le 1'
	@$(STEP) --summary "make demo 各步用时：|make demo, time per step:"
	@$(STEP) --say "输出在 out/：draft-2021.html、洪泽区-2023-2024.html 与 screen/summary.html 用浏览器打开，整改通知.docx 和 draft-2021.审阅稿.docx 用 Word、WPS 或 LibreOffice 打开，suzhou-2018.fixed.txt 是修正稿|Outputs in out/: open draft-2021.html, 洪泽区-2023-2024.html and screen/summary.html in a browser, 整改通知.docx and draft-2021.审阅稿.docx in Word, WPS or LibreOffice; suzhou-2018.fixed.txt is the fixed copy"

# House rules (pyproject.toml [tool.ruff], [tool.mypy], [tool.importlinter]): lint, formatting,
# types and the import contracts between the pipeline's packages.
lint: $(VENV)/.installed-test
	@$(STEP) "ruff check（代码规则）|ruff check (lint rules)" $(BIN)/ruff check .
	@$(STEP) "ruff format --check（格式）|ruff format --check (formatting)" $(BIN)/ruff format --check .
	@$(STEP) "mypy（类型）|mypy (types)" $(BIN)/mypy
	@$(STEP) "lint-imports（包之间的导入约定）|lint-imports (the import contracts between packages)" $(BIN)/lint-imports

test: $(VENV)/.installed-test lint tools
	@$(STEP) --talks "运行测试（pytest）|Running the tests (pytest)" $(BIN)/python -m pytest -q
	@$(STEP) --summary "make test 各步用时：|make test, time per step:"
	@$(STEP) --say "测试全部通过（$(BIN)/python）；不写任何文件到仓库，临时文件在 $${TMPDIR:-/tmp}/pytest-of-$$(id -un)/|All tests passed ($(BIN)/python); nothing written into the repository, temporary files in $${TMPDIR:-/tmp}/pytest-of-$$(id -un)/"

# The same suite on Python 3.13, in a venv of its own: durable-rules does not run there, so the
# Python rules engine does it all (and the comparisons with durable-rules skip, saying so).
# PY313: the newest 3.13 pyenv has, else python3.13 on the PATH; or give it.
PY313 ?= $(or $(lastword $(sort $(wildcard $(shell pyenv root 2>/dev/null)/versions/3.13*/bin/python3.13))),$(shell command -v python3.13 2>/dev/null))
test-3.13:
	@test -n "$(PY313)" || { echo "make test-3.13: no Python 3.13 here (pyenv install 3.13, or make test-3.13 PY313=/path/to/python3.13)" >&2; exit 2; }
	@$(STEP) --say "==> 在 Python 3.13（$(PY313)）上再运行一遍，虚拟环境 .venv-3.13|==> The same on Python 3.13 ($(PY313)), in .venv-3.13"
	@$(MAKE) --no-print-directory test PYTHON=$(PY313) VENV=.venv-3.13

print-py313:
	@echo $(PY313)

# Programs the tests drive, from Debian: Chromium and fonts for the browser tests, LibreOffice
# Writer for the notice's PDF test, the PostgreSQL server for the review workspace's (scripts/tools
# says which and why). Installed once: when they are there, it says so and runs no apt-get.
tools:
	@bash scripts/tools

# Refresh the lock files from pyproject.toml: the newest versions its bounds allow, for this
# Python and, where one is installed, for Python 3.13 (`make lock PY313=` skips that).
lock: $(BIN)/python
	@$(STEP) "安装 pip-tools|Installing pip-tools" $(BIN)/python -m pip install -q pip-tools
	@$(STEP) "pip-compile → $(LOCK)|pip-compile → $(LOCK)" env CUSTOM_COMPILE_COMMAND="make lock" \
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
	@$(STEP) "安装 uv|Installing uv" .venv-lowest/bin/python -m pip install -q uv
	@$(STEP) "安装各依赖允许的最低版本|Installing the lowest versions the bounds allow" sh -c \
	  '.venv-lowest/bin/uv pip compile -q --resolution lowest-direct --extra test --python .venv-lowest/bin/python \
	  pyproject.toml -o .venv-lowest/lowest.txt && VIRTUAL_ENV=.venv-lowest .venv-lowest/bin/uv pip install -q -r .venv-lowest/lowest.txt \
	  && VIRTUAL_ENV=.venv-lowest .venv-lowest/bin/uv pip install -q --no-deps -e .'
	@$(STEP) --talks "运行测试（最低版本，不含慢测试）|Running the tests (lowest versions, slow ones left out)" \
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
