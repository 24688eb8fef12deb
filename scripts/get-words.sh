#!/usr/bin/env bash
# Rebuilds data/words/ from Debian's wamerican package (SCOWL's American English word list, 2020.12.07-2):
# words.txt keeps the entries made only of the letters a-z (no capitals, no apostrophes), one a line;
# COPYRIGHT is the package's copyright file, which the licence asks to travel with the list.
# Needs apt-get and dpkg-deb (Debian or Ubuntu); no root: the package is downloaded, not installed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/data/words"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || { echo "get-words.sh: apt-get and dpkg-deb are needed" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q wamerican >/dev/null)
dpkg-deb -x "$work"/wamerican_*.deb "$work/pkg"
list="$work/pkg/usr/share/dict/american-english"
[[ -s "$list" ]] || { echo "get-words.sh: $list is missing from the package" >&2; exit 1; }
mkdir -p "$dest"
LC_ALL=C grep -E '^[a-z]+$' "$list" > "$dest/words.txt.tmp" && mv "$dest/words.txt.tmp" "$dest/words.txt"
cp "$work/pkg/usr/share/doc/wamerican/copyright" "$dest/COPYRIGHT.tmp" && mv "$dest/COPYRIGHT.tmp" "$dest/COPYRIGHT"
echo "$(wc -l < "$dest/words.txt") words in $dest/words.txt (from $(basename "$work"/wamerican_*.deb))"
