#!/usr/bin/env bash
# Builds what a real container node of the test bed runs beside Debian's
# containerd: kubelet and kube-proxy (the same k8s.io/kubernetes module as the
# control plane), CoreDNS and local-path-provisioner, from their Go modules,
# once per version set, into a cache of its own beside build-binaries.sh's (so
# adding these never invalidates that one; both share Go's build cache).
# Usage: build-node-binaries.sh       -> prints the bin directory on its last line
set -euo pipefail

. "$(dirname "$0")/go-build-lib.sh"
COREDNS_VERSION="${AFP_COREDNS_VERSION:-v1.15.0}"
LOCAL_PATH_VERSION="${AFP_LOCAL_PATH_VERSION:-v0.0.30}"

key="node_k8s-${K8S_VERSION}_coredns-${COREDNS_VERSION}_local-path-${LOCAL_PATH_VERSION}"
out="$TESTBED_CACHE/$key"
bin="$out/bin"
want=(kubelet kube-proxy coredns local-path-provisioner)

complete() { for b in "${want[@]}"; do [ -x "$bin/$b" ] || return 1; done; }
if complete; then echo "$bin"; exit 0; fi

command -v go >/dev/null || { echo "build-node-binaries: Go is required to build the test bed (https://go.dev/dl)" >&2; exit 1; }
mkdir -p "$out"
# One builder at a time: parallel test runs wait instead of building twice.
exec 9>"$out/.lock"
flock 9
if complete; then echo "$bin"; exit 0; fi

started=$(date +%s)
work="$out/src"
rm -rf "$work" "$bin.tmp"
mkdir -p "$work" "$bin.tmp"
export GOTOOLCHAIN=local CGO_ENABLED=0
times=()
timed() { # name command...
  local t0
  t0=$(date +%s)
  echo "build-node-binaries: building $1" >&2
  "${@:2}"
  times+=("\"$1\": $(( $(date +%s) - t0 ))")
}

GOFLAGS="-mod=mod" write_k8s_module "$work/k8s" kubelet kube-proxy
ver_flags=$(k8s_ldflags)
for cmd in kubelet kube-proxy; do
  timed "$cmd" bash -c 'cd "$1" && GOFLAGS=-mod=mod go build -trimpath -ldflags "$2" -o "$3" "k8s.io/kubernetes/cmd/$4"' \
    _ "$work/k8s" "$ver_flags" "$bin.tmp/$cmd" "$cmd"
done

# CoreDNS and local-path-provisioner have no replace directives: `go install
# module@version` builds each with exactly the dependencies its release pins.
timed coredns env GOBIN="$bin.tmp" go install -trimpath -ldflags "-s -w" "github.com/coredns/coredns@${COREDNS_VERSION}"
timed local-path-provisioner env GOBIN="$bin.tmp" go install -trimpath -ldflags "-s -w" \
  "github.com/rancher/local-path-provisioner@${LOCAL_PATH_VERSION}"

rm -rf "$bin"
mv "$bin.tmp" "$bin"
rm -rf "$work"
# bench/ reports this as the cold build time of the real nodes' programs.
printf '{"seconds": %d, "perBinary": {%s}, "finishedAt": "%s", "key": "%s", "cpus": %d}\n' \
  "$(( $(date +%s) - started ))" "$(IFS=,; echo "${times[*]}")" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$key" "$(nproc)" > "$out/build-time.json"
echo "$bin"
