#!/usr/bin/env bash
# Installs the Debian packages kchat needs (only those missing) and builds it.
#   scripts/setup.sh            runtime + build packages, release build
#   scripts/setup.sh --test     also the packages the test suite uses (kcat, tmux, docker-compose to
#                               check docker-compose.yml, venv), debug build
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libncurses-dev librdkafka-dev libsqlite3-dev pkg-config)
mode=run
if [[ "${1:-}" == "--test" ]]; then
    mode=test
    packages+=(kcat tmux docker-compose)
    python3 -m venv --help >/dev/null 2>&1 || packages+=(python3-venv)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    # No recommends: docker-compose would otherwise bring a whole Docker engine.
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH (Swift 6 toolchain required)" >&2; exit 1; }
if [[ $mode == run ]]; then
    swift build -c release --product kchat >&2
else
    swift build --build-tests >&2
fi
