#!/usr/bin/env bash
# Publish a new release, switch to it, and roll back if the bot does not come back healthy.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="${REPO:-$(cd "$here/.." && pwd)}"
previous="$(readlink -f /opt/neurocards/current)"
release="/opt/neurocards/releases/$(date +%Y%m%d%H%M%S)"
dotnet publish "$repo/NeuroCards.Bot/NeuroCards.Bot.csproj" -c Release -o "$release/NeuroCards.Bot"
dotnet publish "$repo/NeuroCards.Worker/NeuroCards.Worker.csproj" -c Release -o "$release/NeuroCards.Worker"
ln -sfn "$release" /opt/neurocards/current
systemctl restart neurocards-bot 'neurocards-worker@*'
for _ in $(seq 1 30); do
  if curl -fsS http://127.0.0.1:8080/health >/dev/null; then echo "updated to $release"; exit 0; fi
  sleep 2
done
echo "the new release is not healthy: rolling back to $previous" >&2
ln -sfn "$previous" /opt/neurocards/current
systemctl restart neurocards-bot 'neurocards-worker@*'
exit 1
