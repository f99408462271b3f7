#!/usr/bin/env bash
# The whole test suite, as the README's test command runs it:
#   lint and formatting, type check, build, unit and integration tests on the embedded database (PGlite),
#   the integration tests again on PostgreSQL when TEST_DATABASE_URL names a server (CI starts one), but those of
#   pages that only read (*.reads.int.test.ts: see below),
#   then the browser tests (Playwright with Debian's Chromium) with an axe accessibility check on every page.
# Prints one closing line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test: installing Debian's chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "test: the browser tests need Chromium at $chromium: install Debian's chromium package (or set CHROMIUM_PATH)" >&2
    exit 1
  fi
fi

mkdir -p reports
rm -f reports/*.json

# Each phase's time, printed as it ends ("== took 42s"), to see where CI's time goes.
phase_started=$SECONDS
took() {
  echo "== took $((SECONDS - phase_started))s"
  phase_started=$SECONDS
}

# Lint and formatting run beside the type check and the build: each is one process on one processor, and CI has two
# (on a shared 2-core machine: 274 s one after another, 225 s side by side). The lint's output is printed when it ends;
# a failure of any of them fails the run.
echo "== lint and formatting (beside the type check and the build)"
lint_output=$(mktemp)
npm run --silent lint >"$lint_output" 2>&1 &
lint=$!
trap 'kill "$lint" 2>/dev/null || true; rm -f "$lint_output"' EXIT
echo "== type check"
npm run --silent typecheck
took
echo "== build"
npm run --silent build
took
lint_status=0
wait "$lint" || lint_status=$?
cat "$lint_output"
echo "== lint and formatting: ended"
took
[ "$lint_status" -eq 0 ] || exit "$lint_status"

echo "== unit and integration tests (PGlite)"
# Without TEST_DATABASE_URL, even when CI has set it for the run below: this run is the embedded database's
# (tests of PostgreSQL alone, *.postgres.int.test.ts, run only below).
TEST_DATABASE_URL= npx vitest run --exclude '**/*.postgres.int.test.ts' --exclude '**/node_modules/**' --reporter=default --reporter=json --outputFile.json=reports/vitest-pglite.json
took

# What runs where. On PGlite (above): every test file. On PostgreSQL (here): every integration test (*.int.test.ts)
# but a web test of pages that only read (*.reads.int.test.ts), because what PostgreSQL can break that PGlite cannot is
# in the data layer, the services, the jobs and the commands (SQL on PostgreSQL 15 against PGlite's 17, locks,
# transactions, concurrency, roles, the server's encoding, the pg driver's errors): their tests all run here, as does
# every web test that writes (a form saved or refused half-way, a stale form, a session, a sign-in, an upload, a log
# of a failed write) or runs a query no other test runs here. A web test file is named *.reads.int.test.ts only when
# it writes nothing but the audit record of a read (an audit log's chain is tested here, src/services/auditChain) and
# its pages read through services that tests here read as well: what it checks is the page (wording, the periods it
# states, who may open it, what the public may see), which PGlite checks as well.
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "== integration tests (PostgreSQL)"
  npx vitest run int.test --exclude '**/*.reads.int.test.ts' --exclude '**/node_modules/**' \
    --reporter=default --reporter=json --outputFile.json=reports/vitest-postgres.json
else
  echo "== integration tests (PostgreSQL): not run, set TEST_DATABASE_URL to a PostgreSQL server to run them"
fi
took

echo "== browser tests with accessibility checks"
npx playwright test
took

node scripts/summary.mjs reports
