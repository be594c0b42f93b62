#!/usr/bin/env bash
# One command: install what is missing, build, and open kchat (it starts the embedded hub when no
# Kafka is configured). Arguments are passed to kchat.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .build/release/kchat "$@"
