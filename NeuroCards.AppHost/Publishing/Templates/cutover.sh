#!/usr/bin/env bash
# The move from the previous (Python) NeuroCards, on the server, with the services' own settings: sellers with their
# balance, completed payments and finished videos, read from the old database (read-only).
# Usage: cutover.sh 'postgresql://user:password@host:5432/database' [--dry-run]     (the old DATABASE_URL)
# Stop the old bot and workers first (see the README's cutover checklist); it refuses while old jobs are unfinished.
set -euo pipefail
old="${1:?usage: cutover.sh OLD_DATABASE_URL [--dry-run]}"
shift
exec systemd-run --quiet --pipe --wait --collect --property=EnvironmentFile=/etc/neurocards/neurocards.env \
  --property=User=neurocards --property=WorkingDirectory=/opt/neurocards/current/NeuroCards.Bot \
  /opt/neurocards/current/NeuroCards.Bot/NeuroCards.Bot cutover --from "$old" "$@"
