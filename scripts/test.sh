#!/usr/bin/env bash
# Runs the whole test suite and prints "N passed, N failed" from the test results.
set -uo pipefail
cd "$(dirname "$0")/.."
# A fresh clone needs ffmpeg, PostgreSQL, PgBouncer, Chromium, Azurite…: installed once, skipped when present.
bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
rm -rf TestResults
dotnet test NeuroCards.sln -c Release --logger "trx;LogFileName=results.trx" --results-directory TestResults "$@"
rc=$?
trx=$(ls TestResults/*.trx 2>/dev/null | head -n 1)
if [ -z "$trx" ]; then
  echo "0 passed, 1 failed"
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx")
passed=$(echo "$counters" | sed -E 's/.* passed="([0-9]+)".*/\1/')
failed=$(echo "$counters" | sed -E 's/.* failed="([0-9]+)".*/\1/')
errors=$(echo "$counters" | sed -E 's/.* error="([0-9]+)".*/\1/')
total=$(echo "$counters" | sed -E 's/.* total="([0-9]+)".*/\1/')
executed=$(echo "$counters" | sed -E 's/.* executed="([0-9]+)".*/\1/')
# The runner's own errors (xunit v3 reports, e.g., foreground threads left running at the end) fail the run too; a
# failed test's own "[FAIL]" line is echoed there as well and is already counted.
run_errors=$(grep -A1 '<RunInfo [^>]*outcome="Error"' "$trx" | grep '<Text>' | grep -vc '\[FAIL\]')
failed=$((failed + errors + run_errors))
# A test that cannot run here (a tool missing) reports itself skipped, never passed.
[ $((total - executed)) -gt 0 ] && echo "$((total - executed)) skipped (see the test log for why)"
echo "${passed} passed, ${failed} failed"
if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ]; then exit 1; fi
