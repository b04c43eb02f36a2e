#!/usr/bin/env bash
# Installs Debian's chromium for the playground's browser test (server/.../PlaygroundTest drives it
# headless over the DevTools protocol; without it that test is skipped). Idempotent.
set -euo pipefail
if ! dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q "install ok installed"; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi
chromium --version
