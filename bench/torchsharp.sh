#!/usr/bin/env bash
# Runs the TorchSharp peer benchmark (bench/Nabla.Bench.TorchSharp): the Nabla.Bench workloads in libtorch on this
# machine, printed and merged into bench/torchsharp-results.json. Arguments pass through: none or `all` runs every
# workload, otherwise key prefixes (matmul, mlp, lenet, ref, tanhsum, chain).
#
# Why the private runtime: TorchSharp's native bindings (libLibTorchSharp.so) need GLIBCXX_3.4.32, newer than the
# libstdc++ (and glibc) of Debian 12. When the system's libstdc++ is too old, this script downloads Debian trixie's
# libc6, libstdc++6 and libgcc-s1 with apt-get using a private sources list and private state folders (the system's
# apt configuration is never touched), unpacks them into bench/.torchsharp-runtime (gitignored, reused), and runs a
# copy of the benchmark's apphost whose ELF interpreter is patched to that folder's dynamic loader.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$root/bench/Nabla.Bench.TorchSharp"
runtime="$root/bench/.torchsharp-runtime"
multiarch=x86_64-linux-gnu
libs="$runtime/root/usr/lib/$multiarch"

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# True when the system's libstdc++ already provides what libLibTorchSharp.so needs.
system_libstdcxx_is_new_enough() {
    local lib
    lib="$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }')"
    [ -n "$lib" ] && [ "$(grep -c GLIBCXX_3.4.32 "$lib" || true)" -gt 0 ]
}

# The Debian mirror this system's apt already uses: the first URIs: line of the deb822 sources, else the first deb line.
system_mirror() {
    local uri=""
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        uri="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)"
    fi
    if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
        uri="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { print $i; exit } }' /etc/apt/sources.list)"
    fi
    [ -n "$uri" ] || { echo "torchsharp.sh: no Debian mirror found in the system's apt sources" >&2; exit 1; }
    echo "$uri"
}

# Downloads and unpacks trixie's libc6, libstdc++6 and libgcc-s1 into $runtime/root, unless already there.
prepare_runtime() {
    if [ -x "$libs/ld-linux-x86-64.so.2" ] && [ -f "$libs/libstdc++.so.6" ]; then return; fi
    [ "$(dpkg --print-architecture)" = amd64 ] || { echo "torchsharp.sh: the private runtime is prepared for amd64 only" >&2; exit 1; }
    local work="$runtime.partial"
    rm -rf "$work"
    mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/debs" "$work/root"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(system_mirror) trixie main" > "$work/apt/sources.list"
    local apt=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
               -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache" -o APT::Sandbox::User=root)
    apt-get "${apt[@]}" -qq update
    (cd "$work/debs" && apt-get "${apt[@]}" -qq download libc6 libstdc++6 libgcc-s1)
    for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
    rm -rf "$work/apt" "$work/debs" "$runtime"
    mv "$work" "$runtime"
}

command -v patchelf > /dev/null || { sudo_if_needed apt-get -qq update && sudo_if_needed apt-get install -y -qq patchelf; }

dotnet build -c Release -nologo -v q "$project"
bin="$project/bin/Release/net10.0"
app="$bin/Nabla.Bench.TorchSharp"

if system_libstdcxx_is_new_enough; then
    exec "$app" "$@"
fi

prepare_runtime
patched="$bin/Nabla.Bench.TorchSharp.private-runtime"
cp "$app" "$patched"
patchelf --set-interpreter "$libs/ld-linux-x86-64.so.2" "$patched"
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
LD_LIBRARY_PATH="$libs" DOTNET_ROOT="${DOTNET_ROOT:-$dotnet_root}" exec "$patched" "$@"
