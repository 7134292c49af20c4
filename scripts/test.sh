#!/usr/bin/env bash
# The test command of README.md: builds every module and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp verify
