#!/usr/bin/env bash
# Fills the bed's registry mirror (node/registry.ts) from image archives:
# each docker-archive is copied with skopeo to <address>/<reference>, so
# quay.io/minio/minio:TAG is served as <address>/quay.io/minio/minio:TAG, the
# path containerd's hosts.toml points quay.io at. What is already there is
# skipped, keyed by the archive's sha256 (recorded beside the registry's
# storage; the size and mtime spare re-hashing an unchanged archive). The
# storage is shared by every bed of the machine, hence the lock.
# Usage: registry-fill.sh <address host:port> <storage dir> <reference> <archive> [<reference> <archive>…]
# Prints one line per reference: "pushed <ref> <seconds>" or "present <ref>".
set -euo pipefail
address="$1"
storage="$2"
shift 2
marks="$storage/afp-pushed"
mkdir -p "$marks"
exec 9>"$storage/.fill.lock"
flock 9

while [ $# -ge 2 ]; do
  ref="$1"
  archive="$2"
  shift 2
  mark="$marks/$(printf '%s' "$ref" | tr -c 'A-Za-z0-9_.-' '_')"
  stat_now=$(stat -c '%s %Y' "$archive")
  hash=""
  if [ -s "$mark" ]; then
    read -r mark_hash mark_size mark_mtime < "$mark" || true
    if [ "$mark_size $mark_mtime" = "$stat_now" ]; then hash="$mark_hash"; fi
  fi
  [ -n "$hash" ] || hash=$(sha256sum "$archive" | cut -d' ' -f1)
  if [ -s "$mark" ] && [ "$(cut -d' ' -f1 "$mark")" = "$hash" ] &&
    skopeo inspect --raw --tls-verify=false "docker://$address/$ref" > /dev/null 2>&1; then
    echo "$hash $stat_now" > "$mark"
    echo "present $ref"
    continue
  fi
  began=$(date +%s.%N)
  # One archive may carry several tags (pause): name the one wanted.
  skopeo copy -q --retry-times 2 --dest-tls-verify=false "docker-archive:$archive:$ref" "docker://$address/$ref"
  echo "$hash $stat_now" > "$mark"
  echo "pushed $ref $(awk -v a="$began" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
done
