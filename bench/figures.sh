#!/usr/bin/env bash
# The README's performance figures, in one command: the queue against its peers (one process, one PostgreSQL cluster,
# interleaved rounds), then the service-level latencies and footprints with the real bot and worker as processes.
#   bash bench/figures.sh            (ROUNDS=1 for a quicker, noisier run)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dotnet build NeuroCards.sln -c Release -nologo -v quiet
echo "== the queue (bench/NeuroCards.QueueBench)"
dotnet run -c Release --no-build --project bench/NeuroCards.QueueBench -- "${ROUNDS:-3}" 20000
echo "== the services (bench/NeuroCards.Latency)"
dotnet run -c Release --no-build --project bench/NeuroCards.Latency -- 30 500 200 200
