#!/usr/bin/env bash
# Fetches the seeds' sample photographs from Debian packages (no network beyond apt):
#   camera.png (python3-skimage), china.jpg and flower.jpg (python3-sklearn; seed 001 loads them with
#   sklearn.datasets.load_sample_image). They are not committed; this copies them into DIR.
# Usage: tools/sample-images.sh [DIR]     (default: samples/, which git ignores)
set -euo pipefail
dest="${1:-samples}"
mkdir -p "$dest"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download python3-skimage python3-sklearn >/dev/null 2>&1) \
  || { echo "sample-images: 'apt-get download python3-skimage python3-sklearn' failed (run 'apt-get update' first?)" >&2; exit 1; }
for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$tmp/x"; done
for f in skimage/data/camera.png sklearn/datasets/images/china.jpg sklearn/datasets/images/flower.jpg; do
  src="$(find "$tmp/x" -path "*/$f" -print -quit)"
  [ -n "$src" ] || { echo "sample-images: $f not found in the packages" >&2; exit 1; }
  cp "$src" "$dest/"
  echo "$dest/$(basename "$f")"
done
