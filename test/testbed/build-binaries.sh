#!/usr/bin/env bash
# Builds the test bed's Kubernetes, etcd and kwok binaries from their Go modules,
# once per version set, into a cache outside the repository.
# Usage: build-binaries.sh            -> prints the bin directory on its last line
set -euo pipefail

. "$(dirname "$0")/go-build-lib.sh"
ETCD_VERSION="${AFP_ETCD_VERSION:-v3.6.16}"
KWOK_VERSION="${AFP_KWOK_VERSION:-v0.8.0}"

key="k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}"
out="$TESTBED_CACHE/$key"
bin="$out/bin"
want=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok)

complete() { for b in "${want[@]}"; do [ -x "$bin/$b" ] || return 1; done; }
if complete; then echo "$bin"; exit 0; fi

command -v go >/dev/null || { echo "build-binaries: Go is required to build the test bed (https://go.dev/dl)" >&2; exit 1; }
mkdir -p "$out"
# One builder at a time: parallel test runs wait instead of building twice.
exec 9>"$out/.lock"
flock 9
if complete; then echo "$bin"; exit 0; fi

started=$(date +%s)
work="$out/src"
rm -rf "$work" "$bin.tmp"
mkdir -p "$work" "$bin.tmp"
export GOFLAGS="-mod=mod" GOTOOLCHAIN=local CGO_ENABLED=0

write_k8s_module "$work" kube-apiserver kube-controller-manager kube-scheduler kubectl
ver_flags=$(k8s_ldflags)
for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  echo "build-binaries: building $cmd ${K8S_VERSION}" >&2
  (cd "$work" && go build -trimpath -ldflags "$ver_flags" -o "$bin.tmp/$cmd" "k8s.io/kubernetes/cmd/$cmd")
done

# etcd and kwok: each in a consumer module of its own, so their replace
# directives (meant for their own repositories) do not apply.
build_main() { # name module version package
  local dir="$work/$1"
  mkdir -p "$dir"
  printf 'module afp.dev/testbed-%s\n\ngo 1.25.0\n' "$1" > "$dir/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$4" > "$dir/tools.go"
  echo "build-binaries: building $1 $3" >&2
  (cd "$dir" && go get "$2@$3" >/dev/null && go mod tidy -e >/dev/null 2>&1; go build -trimpath -ldflags "-s -w" -o "$bin.tmp/$1" "$4")
}
build_main etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" go.etcd.io/etcd/server/v3
build_main kwok sigs.k8s.io/kwok "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok

rm -rf "$bin"
mv "$bin.tmp" "$bin"
rm -rf "$work"
# bench/testbed.ts reports this as the cold build time.
printf '{"seconds": %d, "finishedAt": "%s", "key": "%s", "cpus": %d}\n' \
  "$(( $(date +%s) - started ))" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$key" "$(nproc)" > "$out/build-time.json"
echo "$bin"
