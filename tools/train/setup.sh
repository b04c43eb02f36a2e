#!/usr/bin/env bash
# Installs Debian's torch, numpy, pytest and the pthread OpenBLAS (about 9x faster CPU matmuls
# than the reference BLAS) for the training tools. Idempotent. Run the tools with /usr/bin/python3.
set -euo pipefail
pkgs=(python3-torch python3-numpy python3-pytest libopenblas0-pthread)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi
/usr/bin/python3 -c 'import torch, numpy; print("torch", torch.__version__, "numpy", numpy.__version__)'
