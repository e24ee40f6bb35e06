#!/usr/bin/env bash
# Runs a command with the project's toolchain in place: Node.js 22+ first on PATH
# (installed into a cache if the system's is older) and node_modules in sync with
# package-lock.json. Every root npm script goes through here, so a fresh clone
# needs nothing but `npm test` or `npm start`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

node_bin=$("$root/scripts/ensure-node.sh")
export PATH="$node_bin:$root/node_modules/.bin:$PATH"
# Turborepo would otherwise print a telemetry notice on a first run.
export TURBO_TELEMETRY_DISABLED=1

lock="$root/package-lock.json" installed="$root/node_modules/.package-lock.json"
if [[ ! -f "$installed" || "$lock" -nt "$installed" ]]; then
  echo "airunway: installing dependencies (npm ci) …" >&2
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

exec "$@"
