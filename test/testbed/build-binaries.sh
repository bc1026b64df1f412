#!/usr/bin/env bash
# Builds the test bed's Kubernetes, etcd and kwok binaries from their Go modules,
# once per version set, into a cache outside the repository.
# Usage: build-binaries.sh            -> prints the bin directory on its last line
set -euo pipefail

K8S_VERSION="${AFP_K8S_VERSION:-v1.35.4}"
ETCD_VERSION="${AFP_ETCD_VERSION:-v3.6.16}"
KWOK_VERSION="${AFP_KWOK_VERSION:-v0.8.0}"

key="k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}"
cache_root="${AFP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/af-provisioner}"
out="$cache_root/testbed/$key"
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

# Kubernetes: consume k8s.io/kubernetes as a module, pointing each staging
# module at its published v0.X.Y tag, as the project documents for consumers.
minor="${K8S_VERSION#v1.}"
staging_version="v0.${minor}"
k8s_mod=$(go mod download -json "k8s.io/kubernetes@${K8S_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
{
  echo "module afp.dev/testbed-k8s"
  echo
  echo "go 1.25.0"
  echo
  echo "require k8s.io/kubernetes ${K8S_VERSION}"
  echo
  echo "replace ("
  sed -n 's#^\s*\(k8s\.io/[a-z0-9-]*\) => \./staging/src/.*#\t\1 => \1 '"${staging_version}"'#p' "$k8s_mod"
  echo ")"
} > "$work/go.mod"
cat > "$work/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
ver_flags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ver_flags+=" -X ${pkg}.gitVersion=${K8S_VERSION} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor%%.*} -X ${pkg}.gitTreeState=clean"
done
(cd "$work" && go mod tidy -e >/dev/null 2>&1 || true)
(cd "$work" && go get "k8s.io/kubernetes@${K8S_VERSION}" >/dev/null)
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
