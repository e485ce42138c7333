#!/bin/sh
# The build-runner image's entrypoint. Build scripts run in bubblewrap boxes, each with a /proc
# of its own (docs/adr/0004-script-sandbox.md); the kernel lets a box mount one only where a
# /proc without anything mounted over it is already visible, and bwrap writes the box's user
# namespace limit through /proc/sys. Docker hides parts of /proc under other mounts and makes
# /proc/sys read-only. Given CAP_SYS_ADMIN (docker-compose.yml), mount a fresh /proc over it for
# this container; boxes never see it (they get their own). Without the capability this fails
# quietly, and the runner's start check says what the container lacks.
mount -t proc -o nosuid,nodev,noexec proc /proc 2>/dev/null || true
exec "$@"
