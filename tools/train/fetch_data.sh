#!/usr/bin/env bash
# Fetches the training text from Debian packages (apt-get download + dpkg -x, nothing is
# installed) and normalises it into tools/train/data/*.txt. Idempotent. See DATA.md.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
data="$here/data"
py=/usr/bin/python3
mkdir -p "$data/debs" "$data/root"
cd "$data/debs"
pkgs=(bible-kjv-text bible-kjv fortunes fortunes-min)
missing=()
for p in "${pkgs[@]}"; do ls "${p}"_*.deb >/dev/null 2>&1 || missing+=("$p"); done
if (( ${#missing[@]} )); then
  apt-get download "${missing[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true
fi
for p in "${pkgs[@]}"; do dpkg -x "$(ls "${p}"_*.deb | head -1)" "$data/root"; done
ls -l "$data"/debs/*.deb
# KJV: the bible-kjv program decodes its compressed data file; one verse per line.
"$data/root/usr/bin/bible" -p "$data/root/usr/lib" -l100000 "Gen1:1-Rev22:21" > "$data/kjv_raw.txt"
"$py" "$here/prepare_data.py" --root "$data/root" --kjv-raw "$data/kjv_raw.txt" --out "$data"
# licences, for DATA.md
for p in bible-kjv-text bible-kjv fortunes fortunes-min; do
  cp "$data/root/usr/share/doc/$p/copyright" "$data/copyright.$p"
done
sha256sum "$data"/*.txt
wc -c "$data"/*.txt
