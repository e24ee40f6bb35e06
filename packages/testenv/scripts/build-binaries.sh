#!/usr/bin/env bash
# Builds the control-plane binaries (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl, kwok, helm) from the pinned Go wrapper modules in ../tools.
#
# Output goes to a cache directory outside the repository, keyed by the Go version,
# this script and every wrapper's go.mod/go.sum, so a warm machine skips the build.
# Prints the bin directory on the last line of stdout.
#
# Environment:
#   AIRUNWAY_CACHE_DIR  cache root (default: $XDG_CACHE_HOME/airunway or ~/.cache/airunway)
#   TESTENV_BIN_DIR     use this directory as is and build nothing (pre-built binaries)
set -euo pipefail

if [[ -n "${TESTENV_BIN_DIR:-}" ]]; then
  echo "$TESTENV_BIN_DIR"
  exit 0
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$here/tools"
cache_root=${AIRUNWAY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/airunway}

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false"

# Versions are read from the wrapper modules, so go.mod is the one place they are pinned.
k8s_version=$(cd "$tools/k8s" && go list -m -f '{{.Version}}' k8s.io/kubernetes)
helm_version=$(cd "$tools/helm" && go list -m -f '{{.Version}}' helm.sh/helm/v4)

# Bump when a change to this script changes what it produces (flags, stamps, files).
recipe=1
key=$( { go version; echo "recipe=$recipe"; cat "$tools"/*/go.mod "$tools"/*/go.sum; } | sha256sum | cut -c1-16)
bin="$cache_root/testenv/$key/bin"
binaries=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok helm)

missing=()
for b in "${binaries[@]}"; do [[ -x "$bin/$b" ]] || missing+=("$b"); done
[[ -f "$bin/kwok-stages.yaml" ]] || missing+=(kwok-stages.yaml)
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "testenv: binaries are up to date in $bin" >&2
  echo "$bin"
  exit 0
fi

mkdir -p "$bin.partial"
log() { printf 'testenv: [%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
build() { # build <wrapper> <output-name> <package> [extra ldflags]
  local wrapper=$1 out=$2 pkg=$3 ldflags=${4:-}
  if [[ -x "$bin.partial/$out" ]]; then return; fi
  local start=$SECONDS
  log "building $out ($pkg) …"
  (cd "$tools/$wrapper" && go build -ldflags "-s -w $ldflags" -o "$bin.partial/$out.tmp" "$pkg")
  mv "$bin.partial/$out.tmp" "$bin.partial/$out"
  log "built $out in $((SECONDS - start)) s"
}

# Stamp the Kubernetes binaries the way upstream's hack/lib/version.sh does, so
# /version and `kubectl version` report the real release (Helm's kubeVersion checks need it).
minor=${k8s_version#v1.}; minor=${minor%%.*}
stamp=""
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  stamp+=" -X $p.gitVersion=$k8s_version -X $p.gitMajor=1 -X $p.gitMinor=$minor"
  stamp+=" -X $p.gitTreeState=clean -X $p.gitCommit=0000000000000000000000000000000000000000"
  stamp+=" -X $p.buildDate=1970-01-01T00:00:00Z"
done

total=$SECONDS
log "cache: $bin (Kubernetes $k8s_version, helm $helm_version)"
build etcd etcd go.etcd.io/etcd/server/v3
build kwok kwok sigs.k8s.io/kwok/cmd/kwok
build helm helm helm.sh/helm/v4/cmd/helm "-X helm.sh/helm/v4/internal/version.version=$helm_version"
for c in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  build k8s "$c" "k8s.io/kubernetes/cmd/$c" "$stamp"
done
# kwok has no built-in behaviour: its stages (node ready + heartbeat, pod ready,
# job complete, delete) ship as YAML in the pinned kwok module; take them from there.
kwok_dir=$(cd "$tools/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
for s in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
         pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
  cat "$kwok_dir/kustomize/stage/$s.yaml"; echo '---'
done > "$bin.partial/kwok-stages.yaml"

rm -rf "$bin"
mv "$bin.partial" "$bin"
log "all binaries built in $((SECONDS - total)) s"
echo "$bin"
