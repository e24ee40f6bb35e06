#!/usr/bin/env bash
# Makes a Node.js of the project's major version available without touching the
# system: if the `node` on PATH is too old, the official Node.js build published on
# the npm registry (package node-<os>-<arch>) is installed into a cache directory.
# Prints the directory to put first on PATH.
set -euo pipefail

want_major=22
want_version=${AIRUNWAY_NODE_VERSION:-22.23.3}

if command -v node >/dev/null 2>&1; then
  have=$(node -p 'process.versions.node' 2>/dev/null || echo 0)
  if [[ ${have%%.*} -ge $want_major ]]; then
    dirname "$(command -v node)"
    exit 0
  fi
fi

case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) echo "unsupported OS $(uname -s)" >&2; exit 1 ;; esac
case "$(uname -m)" in x86_64|amd64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) echo "unsupported CPU $(uname -m)" >&2; exit 1 ;; esac

cache_root=${AIRUNWAY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/airunway}
prefix="$cache_root/node/$want_version-$os-$arch"
bin="$prefix/node_modules/node-$os-$arch/bin"
if [[ ! -x "$bin/node" ]]; then
  echo "airunway: installing Node.js $want_version into $prefix …" >&2
  mkdir -p "$prefix"
  # The platform package ships the binary itself; no install script runs.
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error \
    "node-$os-$arch@$want_version" >&2
fi
"$bin/node" --version >/dev/null
echo "$bin"
