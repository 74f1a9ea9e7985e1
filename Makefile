# toolgym: `make demo` and `make test` each set everything up on a fresh Debian/Ubuntu machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Host tools the sandboxes run (the local backend uses the host's userland) and the shipped
# tasks need; bubblewrap is the sandbox itself.
HOST_PACKAGES := bubblewrap git jq make gcc libc6-dev zip unzip bc file xz-utils procps python3 python3-venv

.PHONY: setup host-packages demo test lint bench clean

setup: host-packages $(VENV)/.installed

host-packages:
	@missing=""; for p in $(HOST_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing host packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "toolgym needs these Debian/Ubuntu packages:$$missing"; \
	    echo "run: sudo apt-get install -y$$missing   (then re-run make)"; exit 1; \
	  fi; \
	fi

# torch is pinned: 2.13.0 is a CPU build here; an unpinned torch would pull a multi-GB CUDA build.
TORCH := torch==2.13.0

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q '$(TORCH)'
	$(BIN)/pip install -q -e '.[dev,hf,train]'
	@touch $@

demo: setup
	$(BIN)/toolgym eval --tasks shell --agent oracle --out runs/demo -j 2
	@echo "Trajectories: runs/demo/trajectories.jsonl (re-running resumes)."
	@echo "A real model: $(BIN)/toolgym eval --tasks shell --agent hf --model PATH --out runs/hf -j 16"
	@echo "          or: $(BIN)/toolgym eval --tasks shell --agent openai --base-url URL --model NAME --out runs/api"
	@echo "Gate tasks (oracle 1, null 0): $(BIN)/toolgym check tasks/shell"

test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python bench/shell_latency.py
	$(BIN)/python bench/eval_throughput.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache runs
