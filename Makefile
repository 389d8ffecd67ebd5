# Two commands on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test index lint bench clean browser screenshots

run: index
	$(PY) -m bot serve

test: $(STAMP) browser
	$(PY) -m ruff check bot tests
	$(PY) -m pytest

# Browser tests drive Debian's Chromium; install it where we can (root with apt-get),
# otherwise those tests skip and say why.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1; } || \
	  echo "note: Chromium could not be installed; the browser tests will be skipped"

# The README's pictures (docs/screenshot.png, docs/report.png), taken by the browser tests, which
# otherwise write them to a temporary folder so that `make test` leaves the work tree as it found it.
screenshots: $(STAMP) browser
	@command -v chromium >/dev/null 2>&1 || { echo "screenshots need Chromium: run make browser as root"; exit 1; }
	QABOT_SCREENSHOTS=docs $(PY) -m pytest -q tests/web/test_browser.py

index: $(STAMP)
	$(PY) -m bot index

lint: $(STAMP)
	$(PY) -m ruff check bot tests

bench: $(STAMP)
	$(PY) -m bot bench perf --out runs/perf.json

# torch first, pinned to the CPU build pip finds on local disk, so that no
# dependency can pull a CUDA build; then everything else within constraints.txt.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,milvus,ray]'
	$(PY) -c "import torch, sys; v = torch.__version__; print('torch', v); sys.exit(0 if '+cpu' in v or not torch.version.cuda else 'a CUDA build of torch was installed')"
	touch $(STAMP)

# index/README.md is tracked; everything else in index/ is built.
clean:
	rm -rf $(VENV)
	[ ! -d index ] || find index -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
