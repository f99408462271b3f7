#!/usr/bin/env bash
# One browser-test service (playwright.config.ts's webServer): `scripts/e2e-serve.sh FOLDER PORT RUN SCALE` serves the
# small demo county from an embedded database in FOLDER, on PORT.
#
# The demo county is loaded once per run (RUN names the run), into FOLDER's sibling `seeded`, and each service starts
# from a copy of that folder: loading it was most of a service's start (on this 2-core machine, under load: 88 s to
# ready with the load, 22 s on a folder that holds it), and the services start one after another. The first service
# to start loads it, holding a lock on `seeded.lock`, so that a second started at the same time waits for it rather
# than loading it too; one left by an earlier run (another day's county) is loaded afresh. The copy is taken while no
# process has the seeded folder open (one process per folder: `openehcp seed` has ended).
set -euo pipefail
cd "$(dirname "$0")/.."
folder=$1
port=$2
run=$3
scale=$4
base=$(dirname "$folder")
seeded="$base/seeded"
mkdir -p "$base"

exec 9>"$base/seeded.lock"
flock 9
if [ "$(cat "$base/seeded.run" 2>/dev/null)" != "$run" ]; then
  rm -rf "$seeded" "$base/seeded.run"
  DATA_DIR="$seeded" node bin/openehcp.js seed --demo --scale "$scale" >/dev/null
  echo "$run" >"$base/seeded.run"
fi
rm -rf "$folder"
cp -R "$seeded" "$folder"
flock -u 9
exec 9>&-

exec node bin/openehcp.js serve --demo --demo-scale "$scale" --port "$port"
