#!/usr/bin/env bash
# Debian packages the tests need: Chromium for the e2e specs, fonts for legible
# screenshots, what the test bed's real container nodes run on (containerd,
# runc, the CNI plugins, iptables and conntrack for kube-proxy, iproute2 for the
# nodes' network namespaces, util-linux for nsenter/unshare/flock, busybox-static
# for the nodes' helper and test image), what its images are built with
# (mmdebstrap, gcc and libc6-dev for the static pause), and the registry mirror
# the real nodes pull them from (docker-registry, distribution 2.8; skopeo fills it).
# Installs only what is missing; needs root where it installs.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
for pkg in fonts-dejavu-core fonts-noto-core containerd runc containernetworking-plugins iptables conntrack iproute2 util-linux busybox-static mmdebstrap gcc libc6-dev docker-registry skopeo; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
# ipset: kube-router, the real nodes' NetworkPolicy enforcer, keeps its policies' pod sets in it.
dpkg -s ipset >/dev/null 2>&1 || need+=(ipset)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing Debian packages: ${need[*]}. Install them (apt-get install ${need[*]}) and run again." >&2
  exit 1
fi
echo "Installing ${need[*]}…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
