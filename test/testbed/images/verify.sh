#!/usr/bin/env bash
# Shows that each built image runs its software the way the templates deploy
# it: imports the archives into a throwaway containerd (its own root, state and
# socket under /tmp, removed afterwards), then runs every image with a
# read-only root, a tmpfs /tmp and the non-root uid the templates use, each
# container in its own network namespace holding only loopback:
# hub + proxy route /hub/health, a Dask scheduler + worker compute, MinIO
# serves S3 to boto3 and s3fs from the notebook image.
# Usage: verify.sh [images-dir] [image...]   (images-dir defaults to build.sh's)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=${1:-}
[ -n "$dir" ] || dir=$("$here/build.sh" | tail -1)
shift || true
only=("$@")
command -v containerd >/dev/null && command -v ctr >/dev/null || {
  echo "verify: containerd and ctr are needed (apt-get install containerd)" >&2
  exit 1
}

tmp=$(mktemp -d /tmp/afp-images-verify.XXXX)
sock="$tmp/containerd.sock"
cat > "$tmp/config.toml" << EOF
version = 2
root = "$tmp/root"
state = "$tmp/state"
[grpc]
  address = "$sock"
EOF
containerd --config "$tmp/config.toml" > "$tmp/containerd.log" 2>&1 &
ctrd=$!
C=(ctr -a "$sock" -n afp-verify)
cleanup() {
  local id
  for id in $("${C[@]}" tasks ls -q 2>/dev/null); do "${C[@]}" tasks kill -s KILL "$id" > /dev/null 2>&1 || true; done
  sleep 1
  for id in $("${C[@]}" containers ls -q 2>/dev/null); do
    "${C[@]}" tasks delete -f "$id" > /dev/null 2>&1 || true
    "${C[@]}" containers delete "$id" > /dev/null 2>&1 || true
  done
  kill "$ctrd" 2> /dev/null && wait "$ctrd" 2> /dev/null || true
  grep -o " $tmp/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2> /dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
for _ in $(seq 50); do [ -S "$sock" ] && "${C[@]}" version > /dev/null 2>&1 && break; sleep 0.2; done

ref_of() { sed -n "s|^ *\"\([^\"]*\)\": \"$1-[0-9a-f]*\.tar\".*|\1|p" "$dir/images.json"; }
wants() { [ ${#only[@]} -eq 0 ] || [[ " ${only[*]} " == *" $1 "* ]]; }
failures=0
check() { # <title> <command...>: runs it, reports ok/FAILED with its output
  local title=$1 output
  shift
  if output=$("$@" 2>&1); then
    echo "ok      $title: $(echo "$output" | tail -1)"
  else
    echo "FAILED  $title"
    echo "$output" | tail -20 | sed 's/^/        /'
    failures=$((failures + 1))
  fi
}
# run <image> <name> <args for ctr run...> -- <command...>: read-only root, tmpfs /tmp, its own netns.
# Images that, like upstream's, name no user are run through chroot --userspec with the templates' uid.
run() {
  local ref=$1 name=$2
  shift 2
  local opts=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  timeout 180 "${C[@]}" run --rm --read-only --mount type=tmpfs,src=tmpfs,dst=/tmp,options=rw:mode=1777 "${opts[@]}" "$ref" "$name" "$@"
}
start() { # like run, detached; prints the task's pid for --with-ns
  local ref=$1 name=$2
  shift 2
  local opts=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  "${C[@]}" run -d --read-only --mount type=tmpfs,src=tmpfs,dst=/tmp,options=rw:mode=1777 "${opts[@]}" "$ref" "$name" "$@" > /dev/null
  "${C[@]}" tasks ls | awk -v n="$name" '$1 == n { print $2 }'
}
stop() { "${C[@]}" tasks kill -s KILL "$1" > /dev/null 2>&1 || true; sleep 0.5; "${C[@]}" tasks delete -f "$1" > /dev/null 2>&1 || true; "${C[@]}" containers delete "$1" > /dev/null 2>&1 || true; }

for name in pause hub proxy dask dask-notebook singleuser minio; do
  wants "$name" || continue
  ref=$(ref_of "$name")
  [ -n "$ref" ] || { echo "skipped $name: not in $dir/images.json"; continue; }
  check "$name: import as $ref" bash -c "'${C[0]}' -a '$sock' -n afp-verify images import '$dir/$(sed -n "s|^ *\"$ref\": \"\(.*\)\".*|\1|p" "$dir/images.json")' > /dev/null && '${C[0]}' -a '$sock' -n afp-verify images ls -q | grep -qx '$ref' && echo '$ref'"
done
REF() { ref_of "$1"; }

if wants pause && [ -n "$(REF pause)" ]; then
  check "pause: runs and stops on SIGTERM" bash -c "
    pid=\$('${C[0]}' -a '$sock' -n afp-verify run -d '$(REF pause)' pause-check > /dev/null && '${C[0]}' -a '$sock' -n afp-verify tasks ls | awk '\$1==\"pause-check\"{print \$2}')
    sleep 1; '${C[0]}' -a '$sock' -n afp-verify tasks kill -s TERM pause-check; sleep 1
    '${C[0]}' -a '$sock' -n afp-verify tasks ls | grep pause-check"
  stop pause-check
fi

if wants hub && [ -n "$(REF hub)" ]; then
  check "hub: jupyterhub, kubespawner, GenericOAuthenticator, minio's MinioAdmin import (uid 1000)" run "$(REF hub)" hub-versions -- \
    sh -c 'test "$(id -u)" = 1000 && python -c "import kubespawner, oauthenticator.generic, jupyterhub; from minio import MinioAdmin; print(\"jupyterhub\", jupyterhub.__version__, \"kubespawner\", kubespawner.__version__)"'
fi
if wants proxy && [ -n "$(REF proxy)" ]; then
  check "proxy: configurable-http-proxy --version (uid 65534)" run "$(REF proxy)" proxy-version -- \
    sh -c 'test "$(id -u)" = 65534 && configurable-http-proxy --version'
fi
if wants hub && wants proxy && [ -n "$(REF hub)" ] && [ -n "$(REF proxy)" ]; then
  # The template's proxy and hub, side by side on loopback: the hub registers with the proxy's API and
  # answers /hub/health through the proxy's public port.
  proxy_pid=$(start "$(REF proxy)" proxy-hub-check --env CONFIGPROXY_AUTH_TOKEN=verify-token -- \
    configurable-http-proxy --ip= --api-ip= --api-port=8001 --port=8000 \
    --default-target=http://127.0.0.1:8081 --error-target=http://127.0.0.1:8081/hub/error)
  config='import os
c = get_config()
c.JupyterHub.hub_bind_url = "http://:8081"
c.JupyterHub.hub_connect_url = os.environ["AFP_HUB_CONNECT_URL"]
c.ConfigurableHTTPProxy.api_url = os.environ["AFP_PROXY_API_URL"]
c.ConfigurableHTTPProxy.should_start = False
c.JupyterHub.cleanup_servers = False
c.JupyterHub.db_url = "sqlite:////tmp/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "/tmp/jupyterhub_cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ["AFP_HUB_PASSWORD"]
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "kubespawner.KubeSpawner"'
  check "hub + proxy: the hub starts, registers its route, and answers /hub/health through the proxy" \
    run "$(REF hub)" hub-check --with-ns "network:/proc/$proxy_pid/ns/net" --env CONFIGPROXY_AUTH_TOKEN=verify-token \
    --env AFP_HUB_CONNECT_URL=http://127.0.0.1:8081 --env AFP_PROXY_API_URL=http://127.0.0.1:8001 \
    --env AFP_HUB_PASSWORD=verify --env POD_NAMESPACE=verify -- bash -c "
      printf '%s\n' '$config' > /tmp/jupyterhub_config.py
      jupyterhub --config /tmp/jupyterhub_config.py --upgrade-db > /tmp/hub.log 2>&1 &
      for i in \$(seq 60); do
        python -c 'import json, urllib.request as u
assert u.urlopen(\"http://127.0.0.1:8000/hub/health\").status == 200
routes = json.load(u.urlopen(u.Request(\"http://127.0.0.1:8001/api/routes\", headers={\"Authorization\": \"token verify-token\"})))
assert routes[\"/\"].get(\"hub\") is True, routes
print(\"/hub/health 200 through the proxy; the hub added its route:\", routes[\"/\"])' 2>/dev/null && exit 0
        sleep 1
      done
      tail -20 /tmp/hub.log; exit 1"
  stop proxy-hub-check
fi

if wants dask && [ -n "$(REF dask)" ]; then
  check "dask: dask-scheduler + dask-worker as the template runs them (uid 1000) compute" \
    run "$(REF dask)" dask-check -- tini -g -- chroot --userspec=1000:1000 / bash -c '
      cd /tmp
      dask-scheduler --port=8786 --dashboard-address=:8787 > /tmp/scheduler.log 2>&1 &
      dask-worker tcp://127.0.0.1:8786 --nthreads 1 --memory-limit 1000000000 --dashboard-address=:8788 > /tmp/worker.log 2>&1 &
      python - << "EOF"
import time, urllib.request
from distributed import Client
for _ in range(60):
    try:
        assert urllib.request.urlopen("http://127.0.0.1:8787/health").read() == b"ok"
        assert urllib.request.urlopen("http://127.0.0.1:8788/health").read() == b"ok"
        break
    except Exception:
        time.sleep(1)
c = Client("tcp://127.0.0.1:8786", timeout=30)
c.wait_for_workers(1, timeout=30)
import dask, dask.array as da
total = da.ones((1000, 1000), chunks=100).sum().compute()
assert total == 1_000_000, total
# The notebook image pickles graphs naming cytoolz: the scheduler and workers need it (README, "cytoolz on both sides").
import cytoolz
print("dask", dask.__version__, "workers", len(c.scheduler_info()["workers"]), "sum", int(total), "cytoolz", cytoolz.__version__)
EOF'
fi

notebook_check='import dask, distributed, jupyterhub, jupyterlab, s3fs, boto3
print("dask", dask.__version__, "distributed", distributed.__version__, "jupyterhub", jupyterhub.__version__, "jupyterlab", jupyterlab.__version__, "s3fs", s3fs.__version__, "boto3", boto3.__version__)'
if wants dask-notebook && [ -n "$(REF dask-notebook)" ]; then
  check "dask-notebook: jupyterhub-singleuser, JupyterLab, Dask, s3fs, boto3 (uid 1000, gid 100)" \
    run "$(REF dask-notebook)" notebook-versions -- bash -c "test \"\$(id -u):\$(id -g)\" = 1000:100 && jupyterhub-singleuser --version > /dev/null && python -c '$notebook_check'"
fi
if wants singleuser && [ -n "$(REF singleuser)" ]; then
  check "singleuser: jupyterhub-singleuser and JupyterLab (uid 1000)" \
    run "$(REF singleuser)" singleuser-versions -- bash -c 'test "$(id -u)" = 1000 && echo "jupyterhub-singleuser $(jupyterhub-singleuser --version), jupyter lab $(jupyter lab --version)"'
fi

if wants minio && [ -n "$(REF minio)" ]; then
  check "minio: minio --version" run "$(REF minio)" minio-version -- sh -c 'minio --version | head -1'
  minio_pid=$(start "$(REF minio)" minio-check --mount type=tmpfs,src=tmpfs,dst=/export,options=rw:mode=0777 \
    --env MINIO_ROOT_USER=verifyuser --env MINIO_ROOT_PASSWORD=verify-secret-key -- \
    chroot --userspec=1000:1000 / minio server /export --address :9000 --console-address :9001)
  if [ -n "$(REF dask-notebook)" ]; then
    # An S3 round trip from the notebook image, as a user's notebook would make it.
    check "minio (uid 1000) serves S3: boto3 and s3fs from dask-notebook write and read an object" \
      run "$(REF dask-notebook)" minio-client --with-ns "network:/proc/$minio_pid/ns/net" -- python -c '
import time, urllib.request, boto3, s3fs
for _ in range(60):
    try:
        if urllib.request.urlopen("http://127.0.0.1:9000/minio/health/ready").status == 200: break
    except Exception: time.sleep(1)
s3 = boto3.client("s3", endpoint_url="http://127.0.0.1:9000", aws_access_key_id="verifyuser", aws_secret_access_key="verify-secret-key", region_name="us-east-1")
s3.create_bucket(Bucket="verify")
s3.put_object(Bucket="verify", Key="hello.txt", Body=b"hello from boto3")
fs = s3fs.S3FileSystem(key="verifyuser", secret="verify-secret-key", client_kwargs={"endpoint_url": "http://127.0.0.1:9000"})
got = fs.cat("verify/hello.txt")
assert got == b"hello from boto3", got
console = urllib.request.urlopen("http://127.0.0.1:9001/").status
print("put with boto3, read with s3fs:", got.decode(), "; console", console)'
  fi
  stop minio-check
fi

[ "$failures" = 0 ] && echo "all checks passed" || { echo "$failures check(s) failed"; exit 1; }
