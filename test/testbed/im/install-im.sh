#!/usr/bin/env bash
# Installs the real Infrastructure Manager (PyPI package "IM", pinned) into a
# virtualenv in the cache outside the repository, once per version.
# Usage: install-im.sh   -> prints the virtualenv's directory on its last line
set -euo pipefail

IM_VERSION="${AFP_IM_VERSION:-2.0.0}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_root="${AFP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/af-provisioner}"
venv="$cache_root/im-$IM_VERSION"
done_marker="$venv/.afp-installed"

if [ -f "$done_marker" ]; then echo "$venv"; exit 0; fi
command -v python3 >/dev/null || { echo "install-im: python3 (3.10 or newer, with venv) is required to run IM" >&2; exit 1; }
mkdir -p "$cache_root"
# One installer at a time: parallel test runs wait instead of installing twice.
exec 9>"$cache_root/im-$IM_VERSION.lock"
flock 9
if [ -f "$done_marker" ]; then echo "$venv"; exit 0; fi

started=$(date +%s)
rm -rf "$venv"
python3 -m venv "$venv" >&2
"$venv/bin/python" -m pip install --no-input --disable-pip-version-check --quiet \
  --constraint "$here/constraints.txt" "IM==$IM_VERSION" >&2
"$venv/bin/python" -m pip check >&2
installed=$("$venv/bin/python" -c 'import IM; print(IM.__version__)')
if [ "$installed" != "$IM_VERSION" ]; then
  echo "install-im: asked for IM $IM_VERSION, got $installed" >&2
  exit 1
fi
echo "install-im: IM $IM_VERSION installed in $(( $(date +%s) - started )) s" >&2
touch "$done_marker"
echo "$venv"
