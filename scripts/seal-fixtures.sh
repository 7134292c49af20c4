#!/usr/bin/env bash
# Seals every seed-style fixture (bundle-core/src/test/resources/fixtures/<set>/<recipe>) into a
# bundle under bundle-core/src/test/resources/sealed/, and records the digest Python computed for
# each in sealed/DIGESTS.txt (the Java tests check that Java computes the same).
set -euo pipefail
cd "$(dirname "$0")/.."
src=bundle-core/src/test/resources/fixtures
dst=bundle-core/src/test/resources/sealed
rm -rf "$dst" && mkdir -p "$dst"
: > "$dst/DIGESTS.txt"
for set_dir in "$src"/*/; do
  set_name=$(basename "$set_dir")
  for recipe_dir in "$set_dir"*/; do
    recipe=$(basename "$recipe_dir")
    python3 scripts/tabscore_export.py seal "$recipe_dir" "$dst/$set_name/$recipe" \
      --created-at 2026-11-22T00:00:00Z --snapshot-id "fixture-$set_name" --run-id "seal-$recipe" >/dev/null
    echo "$set_name/$recipe $(python3 scripts/tabscore_export.py digest "$dst/$set_name/$recipe")" >> "$dst/DIGESTS.txt"
  done
done
cat "$dst/DIGESTS.txt"
