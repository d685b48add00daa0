#!/usr/bin/env bash
# Installs what the guide needs on a fresh Debian/Ubuntu machine with Swift, only when it is missing.
#   scripts/install-deps.sh          libedit (to build and run the guide)
#   scripts/install-deps.sh --test   also tmux (the pseudo-terminal tests drive the real binary in tmux)
set -euo pipefail

packages=(libedit-dev pkg-config)
if [[ "${1:-}" == "--test" ]]; then
    packages+=(tmux)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
