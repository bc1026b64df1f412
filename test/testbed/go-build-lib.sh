# Sourced by build-binaries.sh and build-node-binaries.sh: the pinned versions,
# the cache layout, and how a consumer module of k8s.io/kubernetes is written,
# so both builds agree on them (one place to bump Kubernetes).
# shellcheck shell=bash

K8S_VERSION="${AFP_K8S_VERSION:-v1.35.4}"
TESTBED_CACHE="${AFP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/af-provisioner}/testbed"

# write_k8s_module <dir> <cmd>...: a module requiring k8s.io/kubernetes, each
# staging module pointed at its published v0.X.Y tag, as the project documents
# for consumers, with a tools.go importing k8s.io/kubernetes/cmd/<cmd>.
write_k8s_module() {
  local dir="$1"
  shift
  local minor="${K8S_VERSION#v1.}" k8s_mod
  k8s_mod=$(go mod download -json "k8s.io/kubernetes@${K8S_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  mkdir -p "$dir"
  {
    echo "module afp.dev/testbed-k8s"
    echo
    echo "go 1.25.0"
    echo
    echo "require k8s.io/kubernetes ${K8S_VERSION}"
    echo
    echo "replace ("
    sed -n 's#^\s*\(k8s\.io/[a-z0-9-]*\) => \./staging/src/.*#\t\1 => \1 '"v0.${minor}"'#p' "$k8s_mod"
    echo ")"
  } > "$dir/go.mod"
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    for cmd in "$@"; do printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$cmd"; done
    printf ')\n'
  } > "$dir/tools.go"
  (cd "$dir" && go mod tidy -e >/dev/null 2>&1 || true)
  (cd "$dir" && go get "k8s.io/kubernetes@${K8S_VERSION}" >/dev/null)
}

# k8s_ldflags: what `kubectl version` and the API server's /version report.
k8s_ldflags() {
  local minor="${K8S_VERSION#v1.}" flags="-s -w" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X ${pkg}.gitVersion=${K8S_VERSION} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor%%.*} -X ${pkg}.gitTreeState=clean"
  done
  echo "$flags"
}
