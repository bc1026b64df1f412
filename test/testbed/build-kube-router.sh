#!/usr/bin/env bash
# Builds kube-router, the real nodes' NetworkPolicy enforcer (run firewall-only
# beside the bridge CNI and kube-proxy), from its Go module, once per version,
# into a cache of its own beside build-node-binaries.sh's: adding it rebuilds
# nothing else, and both share Go's build cache.
# Usage: build-kube-router.sh       -> prints the bin directory on its last line
set -euo pipefail

. "$(dirname "$0")/go-build-lib.sh"
KUBE_ROUTER_VERSION="${AFP_KUBE_ROUTER_VERSION:-v2.1.0}"

key="kube-router-${KUBE_ROUTER_VERSION}"
out="$TESTBED_CACHE/$key"
bin="$out/bin"

if [ -x "$bin/kube-router" ]; then echo "$bin"; exit 0; fi

command -v go >/dev/null || { echo "build-kube-router: Go is required to build the test bed (https://go.dev/dl)" >&2; exit 1; }
mkdir -p "$out"
# One builder at a time: parallel test runs wait instead of building twice.
exec 9>"$out/.lock"
flock 9
if [ -x "$bin/kube-router" ]; then echo "$bin"; exit 0; fi

started=$(date +%s)
rm -rf "$bin.tmp"
mkdir -p "$bin.tmp"
echo "build-kube-router: building kube-router ${KUBE_ROUTER_VERSION}" >&2
# The module has no replace directives: `go install module@version` builds it
# with exactly the dependencies its release pins.
GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN="$bin.tmp" go install -trimpath \
  -ldflags "-s -w -X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=${KUBE_ROUTER_VERSION}" \
  "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router@${KUBE_ROUTER_VERSION}"
rm -rf "$bin"
mv "$bin.tmp" "$bin"
printf '{"seconds": %d, "finishedAt": "%s", "key": "%s", "cpus": %d}\n' \
  "$(( $(date +%s) - started ))" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$key" "$(nproc)" > "$out/build-time.json"
echo "$bin"
