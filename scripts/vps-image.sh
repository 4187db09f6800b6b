#!/usr/bin/env bash
# A bare Debian 12 "VPS" for the deploy test: debootstrap once into a cache outside the repository (as a provider's
# image would be: systemd, sshd, curl; nothing of ours). Prints the image folder. Needs root and debootstrap.
# Usage: scripts/vps-image.sh [CACHE_DIR]   (default /var/cache/neurocards-vps)
set -euo pipefail
cache="${1:-${NEUROCARDS_VPS_CACHE:-/var/cache/neurocards-vps}}"
image="$cache/debian12"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
if [ ! -f "$image/.complete" ]; then
  rm -rf "$image.partial"
  mkdir -p "$cache"
  debootstrap --variant=minbase \
    --include=systemd,systemd-sysv,dbus,openssh-server,iproute2,ca-certificates,curl,openssl,procps,less \
    bookworm "$image.partial" "$mirror" >&2
  # A provider's image: security updates from the same mirror host, root logs in with a key only.
  cat > "$image.partial/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
SOURCES
  printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$image.partial/etc/hosts"
  echo 'PermitRootLogin prohibit-password' > "$image.partial/etc/ssh/sshd_config.d/root.conf"
  # Host keys are made on the VPS's first boot (as a provider's image does), not shared by every copy of the image.
  rm -f "$image.partial"/etc/ssh/ssh_host_*
  mkdir -p "$image.partial/etc/systemd/system/ssh.service.d"
  printf '[Service]\nExecStartPre=\nExecStartPre=/usr/bin/ssh-keygen -A\nExecStartPre=/usr/sbin/sshd -t\n' > "$image.partial/etc/systemd/system/ssh.service.d/host-keys.conf"
  chroot "$image.partial" systemctl enable systemd-networkd ssh >&2
  rm -rf "$image.partial/var/cache/apt/archives/"*.deb "$image.partial/var/lib/apt/lists/"*
  touch "$image.partial/.complete"
  mv "$image.partial" "$image"
fi
echo "$image"
