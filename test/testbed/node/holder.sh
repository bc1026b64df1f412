#!/bin/sh
# The first process of a real node, started with `ip netns exec <node netns>`:
# that gives it a mount namespace of its own (a slave of the host's) with /sys
# showing the node's interfaces. It puts back the cgroup hierarchies (ip netns
# exec hides them), puts a private tmpfs over the runtime folders containerd
# shares with any system containerd, then waits. containerd, the kubelet and
# kube-proxy join its namespaces (nsenter), so every mount they make (image
# layers, volumes, pod network namespaces) stays inside and vanishes with them.
set -eu
mount -t tmpfs -o mode=755 cgroup /sys/fs/cgroup
while read -r _ path fstype options _; do
  case "$fstype" in
    cgroup)
      mkdir -p "$path"
      # the controller options only (rw, relatime… are the mount's, not the hierarchy's)
      mount -t cgroup -o "$(echo "$options" | tr , '\n' | grep -v -E '^(rw|ro|relatime|nosuid|nodev|noexec)$' | paste -sd,)" cgroup "$path"
      ;;
    cgroup2) mkdir -p "$path" && mount -t cgroup2 cgroup2 "$path" ;;
  esac
done < /proc/1/mounts
mkdir -p /run/netns /run/containerd /var/run/netns
mount -t tmpfs -o mode=755 netns /run/netns
mount -t tmpfs -o mode=711 containerd /run/containerd
echo ready
exec sleep infinity
