#!/usr/bin/env bash
# Measures Nabla against TorchSharp in alternating processes on one machine: PASSES rounds of the TorchSharp peer
# (bench/torchsharp.sh) then the Nabla runner, over the same workload keys, and prints for each key the median of the
# pass medians, their range, and the ratio Nabla / TorchSharp (below 1: Nabla takes less time).
#   bash bench/alternate.sh PASSES KEY-PREFIX...     e.g. bash bench/alternate.sh 3 matmul mlp tanhsum
# Each pass's outputs are kept in bench/alternate-out/ (gitignored). The Nabla runner still merges its last pass
# into bench/RESULTS.md and the peer into bench/torchsharp-results.json, as when run alone.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
passes="${1:?usage: bash bench/alternate.sh PASSES KEY-PREFIX...}"; shift
[ "$#" -gt 0 ] || set -- all
out="$root/bench/alternate-out"
rm -rf "$out" && mkdir -p "$out"

dotnet build -c Release -nologo -v q "$root/bench/Nabla.Bench" > /dev/null
for i in $(seq 1 "$passes"); do
    echo "pass $i/$passes: TorchSharp"
    cp "$root/bench/torchsharp-results.json" "$out/torchsharp-$i-before.json" 2> /dev/null || echo '{"results": {}}' > "$out/torchsharp-$i-before.json"
    bash "$root/bench/torchsharp.sh" "$@" > "$out/torchsharp-$i.txt"
    cp "$root/bench/torchsharp-results.json" "$out/torchsharp-$i.json"
    echo "pass $i/$passes: Nabla"
    dotnet "$root/bench/Nabla.Bench/bin/Release/net10.0/Nabla.Bench.dll" "$@" > "$out/nabla-$i.txt"
    cp "$root/bench/RESULTS.md" "$out/nabla-$i.md"
done

python3 - "$out" "$passes" <<'PY'
import json, re, statistics, sys
out, passes = sys.argv[1], int(sys.argv[2])
units = {"µs": 1e-6, "ms": 1e-3, "s": 1.0}
def seconds(text):
    value, unit = text.split()
    return float(value) * units[unit]
nabla, torch = {}, {}
for i in range(1, passes + 1):
    # A pass only reports the keys it ran: rows of the RESULTS.md copy whose key appears in that pass's output file.
    ran = open(f"{out}/nabla-{i}.txt", encoding="utf-8").read()
    for line in open(f"{out}/nabla-{i}.md", encoding="utf-8"):
        m = re.match(r"\| `([^`]+)` \| ([^|]+) \| ([^|]+) \|", line)
        if m and m.group(2).strip() in ran: nabla.setdefault(m.group(1), []).append(seconds(m.group(3)))
    # The peer merges into its file: the keys this pass ran are those whose entry changed.
    before = json.load(open(f"{out}/torchsharp-{i}-before.json", encoding="utf-8"))["results"]
    for key, r in json.load(open(f"{out}/torchsharp-{i}.json", encoding="utf-8"))["results"].items():
        if before.get(key) != r: torch.setdefault(key, []).append(r["median_s"])
def show(xs):
    m = statistics.median(xs)
    scale, unit = (1e6, "µs") if m < 1e-3 else (1e3, "ms") if m < 1 else (1, "s")
    return f"{m*scale:.2f} {unit} [{min(xs)*scale:.2f}–{max(xs)*scale:.2f}]"
print(f"| key | Nabla (median of {passes} pass medians [range]) | TorchSharp | Nabla / TorchSharp |")
print("|---|---|---|---|")
for key, xs in nabla.items():
    ts = torch.get(key, [])
    ratio = f"{statistics.median(xs) / statistics.median(ts):.2f}×" if ts else ""
    print(f"| `{key}` | {show(xs)} | {show(ts) if ts else ''} | {ratio} |")
PY
