#!/usr/bin/env bash
# Installs Debian's nginx for the replica test (tests/.../ReplicasBehindNginxTest). Idempotent.
# The test runs nginx as the current user with its own prefix; the package's system service is not used.
set -euo pipefail
if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y nginx
fi
"$(command -v nginx || echo /usr/sbin/nginx)" -v
