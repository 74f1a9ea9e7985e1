#!/usr/bin/env bash
# GPU checks on a bare machine (no toolgym install, no network): bench/device_checks.sh PHASE...
# Expects, in the checkout's root, .whl/ (cp312 wheels of what the image lacks: gymnasium,
# farama-notifications, pexpect, ptyprocess, pydantic, pydantic-core, annotated-types,
# typing-inspection, bm25s, PyStemmer, trl, datasets, dill, multiprocess, fsspec, transformers)
# and .bwrap/bwrap (Debian's binary: apt-get download bubblewrap; dpkg-deb -x).
#   setup   install the wheels + bwrap, link the toolgym namespace, gate one shell task
#   gen64   bench/gen_throughput.py at batch 64     gen256  the same at batch 256
#   learn   examples/learn_shell.py (LEARN_SET: extra --set overrides; LEARN_LIMIT: seconds)
# DEADLINE (seconds from start) bounds every phase; results and logs go to $OUT.
set -u
cd "$(dirname "$0")/.."
export PYTHONUNBUFFERED=1 TRL_EXPERIMENTAL_SILENCE=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
export PATH=/tmp/bwbin:$PATH PYTHONPATH=/tmp/site:$PWD
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
PY=${PY:-python3}
t0=$(date +%s)
stamp() { echo "=== [$(( $(date +%s) - t0 )) s] $*"; }
DEADLINE=${DEADLINE:-100000}  # seconds after start by which every phase must have ended
limit() { local left=$(( DEADLINE - ($(date +%s) - t0) )); echo $(( $1 < left ? $1 : left )); }

setup() {
  if [ ! -f /tmp/site/.done ] && [ -d .whl ]; then
    $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || return 1
    touch /tmp/site/.done
  fi
  if [ -x .bwrap/bwrap ] && ! command -v bwrap >/dev/null; then
    mkdir -p /tmp/bwbin && cp .bwrap/bwrap /tmp/bwbin/ && chmod 755 /tmp/bwbin/bwrap
  fi
  for d in envs agents trainers; do [ -e toolgym/$d ] || ln -s ../$d toolgym/$d; done
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
  nproc; uname -r
  $PY -c "import torch, transformers, trl, datasets, pyarrow, fsspec, gymnasium, pydantic; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), 'transformers', transformers.__version__, 'trl', trl.__version__, 'datasets', datasets.__version__, 'pyarrow', pyarrow.__version__)" || return 1
  bwrap --version || return 1
  $PY -c "from toolgym.cli import main; main()" check tasks/shell/api-latency-percentiles || return 1
}

gen() {
  local seconds; seconds=$(limit "${GEN_LIMIT:-240}")
  [ "$seconds" -ge 90 ] || { echo "skip gen$1: ${seconds} s left"; return; }
  timeout "$seconds" $PY bench/gen_throughput.py --batch "$1" ${GEN_ARGS:-} --json "$OUT/gen$1.json" 2>&1 | tee "$OUT/gen$1.log" | grep -v Warning
}

learn() {
  local seconds; seconds=$(limit "${LEARN_LIMIT:-300}")
  # shellcheck disable=SC2086
  timeout "$seconds" $PY examples/learn_shell.py --out /tmp/learn ${LEARN_SET:-} 2>&1 | tee "$OUT/learn.log" | grep -E "learn_shell|Error|error|Traceback|pass_at_1|reward_mean" | tail -40
  cp /tmp/learn/results.json "$OUT/learn_results.json" 2>/dev/null
  cp /tmp/learn/curve.png "$OUT/learn_curve.png" 2>/dev/null
  true
}

for phase in "$@"; do
  stamp "$phase"
  case $phase in
    setup) setup || { stamp "setup FAILED"; exit 1; } ;;
    gen64) gen 64 ;;
    gen256) gen 256 ;;
    learn) learn ;;
    *) echo "unknown phase $phase"; exit 2 ;;
  esac
done
stamp done
