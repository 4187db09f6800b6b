#!/usr/bin/env bash
# Cold start of the whole system under the real Aspire AppHost: from `dotnet run` to every resource healthy,
# and the memory the Aspire machinery (AppHost with its in-process dashboard, DCP) takes once everything runs.
# Usage: bash bench/apphost-start.sh [runs]   (builds first; the first run creates the cluster, later runs reuse it)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
state="$(mktemp -d /tmp/nc-start-XXXXXX)"
chmod 755 "$state"
dotnet build NeuroCards.AppHost -c Release -v q -nologo >/dev/null
resources=(postgres neurocards blobs telegram bot worker)
for run in $(seq 1 "$runs"); do
  log="$state/run-$run.log"
  start=$(date +%s.%N)
  env 'Logging__LogLevel__Aspire.Hosting.Health=Debug' \
    dotnet run --project NeuroCards.AppHost -c Release --no-build -- --state-dir "$state/data" >"$log" 2>&1 &
  pid=$!
  ready=0
  for _ in $(seq 1 600); do
    ready=0
    for r in "${resources[@]}"; do grep -q "Resource '$r' is ready" "$log" && ready=$((ready + 1)); done
    [ "$ready" -eq "${#resources[@]}" ] && break
    sleep 0.1
  done
  end=$(date +%s.%N)
  apphost=$(pgrep -f "NeuroCards.AppHost --state-dir $state/data" | head -n 1 || true)
  rss_apphost=$(ps -o rss= -p "$apphost" 2>/dev/null | tr -d ' ' || echo 0)
  rss_dcp=$(ps -o rss= -C dcp 2>/dev/null | awk '{s+=$1} END {print s+0}')
  # Aspire runs each project through `dotnet run`: a launcher process per service instance.
  rss_launchers=$(ps -eo rss=,args= | awk '/dotnet run --project .*NeuroCards\.(Bot|Worker|TelegramEmulator)/ {s+=$1} END {print s+0}')
  rss_services=$(ps -eo rss=,args= | awk '/bin\/Release\/net10.0\/NeuroCards\.(Bot|Worker|TelegramEmulator)$/ {s+=$1} END {print s+0}')
  printf 'run %d: %d/%d resources healthy in %.1f s | Aspire: AppHost+dashboard %d MB, DCP %d MB, dotnet-run launchers %d MB | our services %d MB\n' \
    "$run" "$ready" "${#resources[@]}" "$(awk "BEGIN {print $end - $start}")" $((rss_apphost / 1024)) $((rss_dcp / 1024)) $((rss_launchers / 1024)) $((rss_services / 1024))
  # SIGTERM (what Ctrl+C does in a terminal; a background job here ignores SIGINT): every resource stops, PostgreSQL cleanly.
  kill -TERM "$apphost" 2>/dev/null || kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  while pgrep -f "state-dir $state/data" >/dev/null || pgrep -x dcp >/dev/null; do sleep 0.5; done
  sleep 2
done
rm -rf "$state" 2>/dev/null || true
