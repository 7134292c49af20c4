#!/usr/bin/env bash
# Formats the repository's code in place with the two formatters the build checks:
#   Java (every module's src/main and src/test): Spotless with google-java-format, AOSP style
#     (pom.xml; `mvn verify` runs spotless:check and fails on an unformatted file);
#   Python (python/, scripts/, examples/): ruff format (ruff.toml; scripts/test.sh runs
#     `ruff format --check` next to `ruff check`).
#   scripts/format.sh            format everything
#   scripts/format.sh --check    only check, change nothing (exit 1 if a file would change)
# Maven runs offline when MAVEN_OFFLINE=1 (the plugin and google-java-format already in ~/.m2).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn_flags=(-q -B -ntp)
[ -n "${MAVEN_OFFLINE:-}" ] && mvn_flags+=(-o)
if [ "${1:-}" = "--check" ]; then
  mvn "${mvn_flags[@]}" spotless:check
  python3 -m ruff format --check python scripts examples
else
  mvn "${mvn_flags[@]}" spotless:apply
  python3 -m ruff format python scripts examples
fi
