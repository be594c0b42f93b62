#!/usr/bin/env bash
# Fails on an integer conversion that traps on overflow (`Int16(x)`, `Int(x)`, ...) in Sources/
# unless the line says why it cannot: `exactly:`/`clamping:`/`truncatingIfNeeded:`/`bitPattern:`,
# or a trailing `// safe: <why>` comment. A trapping conversion of a value from the wire, JSON,
# disk or a user is a way to take kchat down, so each one is a decision, written where it is made.
# Literal arguments (`Int32(-1)`) and failable conversions from text (`Int(string)`, which return
# nil) are written with `// safe:` too when the argument is a name: the check reads text, not types.
set -euo pipefail
cd "$(dirname "$0")/.."
found=$(grep -rnE '\b(U?Int(8|16|32|64)?)\((-?[a-zA-Z_][^)]*)\)' Sources --include='*.swift' \
    | grep -vE 'exactly:|clamping:|truncatingIfNeeded:|bitPattern:|ascii:|// safe: ' || true)
if [[ -n "$found" ]]; then
    echo "check-conversions: integer conversions that trap on overflow, with no decision written down:" >&2
    echo "$found" >&2
    echo "check-conversions: use exactly:/clamping: (or throw a clear error), or add '// safe: <why>'." >&2
    exit 1
fi
echo "check-conversions: no unchecked integer conversion in Sources/" >&2
