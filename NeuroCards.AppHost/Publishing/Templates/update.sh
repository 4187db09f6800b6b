#!/usr/bin/env bash
# Activates a release: a backup first (when there is a database to keep), the release next to the old ones, the bot
# (which applies migrations) and the workers restarted, both checked; back to the previous release if they do not come
# up. Keeps the last 3 releases. deploy.sh runs it; by hand: update.sh FOLDER [NAME] (FOLDER holding NeuroCards.Bot/ and
# NeuroCards.Worker/).
set -euo pipefail
# shellcheck source=common.sh
. /opt/neurocards/bin/common.sh
source_dir="${1:?usage: update.sh RELEASE_FOLDER [NAME]}"
name="${2:-$(date -u +%Y%m%d%H%M%S)}"
releases=/opt/neurocards/releases
previous=""
if [ -L /opt/neurocards/current ]; then previous="$(readlink -f /opt/neurocards/current)"; fi

if [ -n "$previous" ]; then
  echo "backing up before the update"
  /opt/neurocards/bin/backup.sh >/dev/null
fi
rm -rf "${releases:?}/$name"
cp -a "$source_dir" "$releases/$name"
chown -R root:root "$releases/$name" && chmod -R go-w "$releases/$name"
ln -sfn "$releases/$name" /opt/neurocards/current.new && mv -T /opt/neurocards/current.new /opt/neurocards/current

restart() { local unit; for unit in $(units); do systemctl restart "$unit"; done; }
started="$(date +%s)"
restart
if wait_healthy 60; then
  echo "release $name is live"
  # The newest three stay (the live one among them); older ones go.
  ls -1d "$releases"/*/ | sed 's|/$||' | sort | head -n -3 | while read -r old; do
    [ "$old" = "$(readlink -f /opt/neurocards/current)" ] || rm -rf "$old"
  done
  exit 0
fi

echo "release $name did not come up healthy:" >&2
# What the services themselves said (not systemd about them).
for unit in $(units); do journalctl "_SYSTEMD_UNIT=$unit.service" --since "@$started" -n 8 --no-pager -o cat >&2 || true; done
if [ -z "$previous" ]; then echo "no previous release to go back to" >&2; exit 1; fi
echo "rolling back to $(basename "$previous")" >&2
ln -sfn "$previous" /opt/neurocards/current.new && mv -T /opt/neurocards/current.new /opt/neurocards/current
restart
rm -rf "${releases:?}/$name"
if wait_healthy 60; then echo "rolled back: $(basename "$previous") is live" >&2; else echo "the previous release is not healthy either: see status.sh" >&2; fi
exit 1
