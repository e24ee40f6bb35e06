#!/usr/bin/env bash
# Installs NVIDIA AI Configurator (PyPI: aiconfigurator) into a virtualenv in the product's
# cache, where the API looks for it when `aiconfigurator` is not on PATH:
#   ${AIRUNWAY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/airunway}/aiconfigurator/bin/aiconfigurator
# Pinned, and a no-op once that version is installed. Needs python3 (≥ 3.10) with venv and
# access to PyPI. Prints the executable's path.
set -euo pipefail

version=${AICONFIGURATOR_VERSION:-0.12.0}
cache=${AIRUNWAY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/airunway}
venv="$cache/aiconfigurator"
cli="$venv/bin/aiconfigurator"
stamp="$venv/.installed-$version"

if [[ -x "$cli" && -f "$stamp" ]]; then
  echo "$cli"
  exit 0
fi

python=${PYTHON:-python3}
command -v "$python" >/dev/null || { echo "install-aiconfigurator: $python not found" >&2; exit 1; }

echo "install-aiconfigurator: installing aiconfigurator==$version into $venv …" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "aiconfigurator==$version" >&2
"$cli" version >&2
touch "$stamp"
echo "$cli"
