#!/usr/bin/env bash
# Installs what Marina needs and is missing; a no-op when everything is there.
#   - Debian packages (apt-get, as root): the outside parts the components drive.
#   - npm dependencies (npm ci) when node_modules does not match package-lock.json.
#   - dist/ (the compiled CLI) when a source file is newer than the last build.
# Not root and packages missing: prints one line naming them and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(etcd-server containerd runc containernetworking-plugins iptables iproute2 busybox-static)

missing=()
for pkg in "${debian_packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "marina setup: missing Debian packages; install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "marina setup: installing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# npm install (from package-lock.json) when the installed tree was not made from these files.
# Not `npm ci`: npm 11 rejects lock files that omit other platforms' optional binaries.
manifest_hash() { cat package.json package-lock.json | sha256sum | cut -d' ' -f1; }
stamp=node_modules/.marina-manifest-hash
if [[ ! -f $stamp || $(cat "$stamp") != "$(manifest_hash)" ]]; then
  echo "marina setup: installing npm dependencies" >&2
  npm install --no-audit --no-fund --loglevel=error >&2
  manifest_hash >"$stamp"
fi

# Rebuild dist/ when any source is newer than the last build.
if [[ ! -f dist/.built ]] || [[ -n $(find api client apiserver controllers scheduler kubelet cli \
    -name '*.ts' -newer dist/.built -print -quit 2>/dev/null) ]]; then
  node scripts/build.mjs >&2
fi
