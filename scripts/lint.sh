#!/usr/bin/env bash
# swift format lint over Sources/, Tests/ and Package.swift with the repository's .swift-format
# (4-space indentation, lines up to 120 columns). Prints every finding and their count; exits
# non-zero when there is one. Not yet a CI step (scripts/test.sh): the tree has findings left
# that only a mass reformat would clear (see docs/ARCHITECTURE.md, "Habits").
#   scripts/lint.sh            every file
#   scripts/lint.sh FILE...    only these files (e.g. the ones a change touches)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -gt 0 ]]; then
    files=("$@")
else
    mapfile -t files < <(git ls-files 'Sources/*.swift' 'Tests/*.swift' 'Package.swift')
fi
out=$(swift format lint --configuration .swift-format --parallel "${files[@]}" 2>&1 || true)
count=$(grep -c ': warning: \|: error: ' <<<"$out" || true)
if [[ -n "$out" ]]; then echo "$out"; fi
echo "lint: $count finding(s) in ${#files[@]} file(s)" >&2
[[ "$count" -eq 0 ]]
