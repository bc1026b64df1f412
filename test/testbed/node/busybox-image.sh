#!/usr/bin/env bash
# A tiny image for the real nodes' own chores and for tests: Debian's static
# busybox (sh, httpd, wget, nslookup, nc, mkdir, …) as one layer, written as a
# docker-archive that `ctr images import` takes. local-path-provisioner runs
# its helper pods from it; the realnode tests run their probes and servers in it.
# Cached by busybox's Debian version.
# Usage: busybox-image.sh   -> prints "<archive path> <image reference>" on its last line
set -euo pipefail
. "$(dirname "$0")/../go-build-lib.sh"

busybox=/bin/busybox
version=$(dpkg-query -W -f '${Version}' busybox-static 2>/dev/null) || {
  echo "busybox-image: Debian's busybox-static is missing; run scripts/ensure-system-deps.sh" >&2
  exit 1
}
tag=$(printf '%s' "$version" | tr -c 'A-Za-z0-9_.-' '_')
ref="localhost/afp-testbed/busybox:${tag}"
out="$TESTBED_CACHE/images/busybox-${tag}"
archive="$out/busybox.tar"
if [ -s "$archive" ]; then echo "$archive $ref"; exit 0; fi

mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
if [ -s "$archive" ]; then echo "$archive $ref"; exit 0; fi
work=$(mktemp -d "$out/work.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/var/www"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"; done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$work/layer.tar" .
layer=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
mkdir "$work/image" "$work/image/$layer"
mv "$work/layer.tar" "$work/image/$layer/layer.tar"
printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
  "$layer" > "$work/config.json"
config=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$work/image/$config.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' "$config" "$ref" "$layer" > "$work/image/manifest.json"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/image" -cf "$archive.tmp" .
mv "$archive.tmp" "$archive"
echo "$archive $ref"
