#!/usr/bin/env bash
# cnn4j's GEMM beside OpenBLAS (through PyTorch 1.13's torch.mm) on the shapes the models' training steps
# call (cnn4j-bench/gemm_shapes.txt), in one run: the two alternate, ROUNDS times, and the table shows each
# side's median GFLOP/s, cnn4j's fraction of the FMA peak measured in the same run, and the ratio.
# Time only on an idle machine.
#
# usage: cnn4j-bench/gemm_peers.sh [ROUNDS=3] [REPS=5] [MIN_TIME=0.3]     (RAW=FILE keeps the JSON lines)
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/env.sh
cnn4j_select_jdk
rounds=${1:-3}; reps=${2:-5}; min_time=${3:-0.3}
shapes=cnn4j-bench/gemm_shapes.txt

./mvnw -q -B -DskipTests -pl cnn4j-bench -am package
export OPENBLAS_CORETYPE=SkylakeX
out=${RAW:-$(mktemp)}; : > "$out"
for r in $(seq "$rounds"); do
  java --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp cnn4j-bench/target/benchmarks.jar \
    org.cnn4j.bench.KernelReport shapes "$reps" "$min_time" "$shapes" 2>/dev/null | grep '^{' >> "$out"
  if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    /usr/bin/python3 cnn4j-bench/gemm_shapes.py "$shapes" "$reps" "$min_time" | grep '^{' >> "$out"
  else
    echo "gemm_peers.sh: no PyTorch for /usr/bin/python3 (apt-get install python3-torch): cnn4j only" >&2
  fi
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
peaks = [r for r in rows if "peak_all" in r]
peak = {1: statistics.median(r["peak_1"] for r in peaks), 2: statistics.median(r["peak_all"] for r in peaks)}
print(f"FMA peak (Java, median of {len(peaks)} runs): 1 thread {peak[1]:.1f} GFLOP/s, {peaks[0]['threads']} threads {peak[2]:.1f}")
keys = list(dict.fromkeys((r["model"], r["layer"], r["op"], r["m"], r["n"], r["k"]) for r in rows if "gflops" in r))
def med(lib, key):
    v = [r["gflops"] for r in rows if r["lib"] == lib and "gflops" in r and (r["model"], r["layer"], r["op"], r["m"], r["n"], r["k"]) == key]
    return statistics.median(v) if v else None
print(f"{'model':<15}{'layer.pass':<35}{'op':<4}{'m x n x k':>17}{'thr':>4}{'cnn4j':>9}{'% peak':>8}{'OpenBLAS':>10}{'ratio':>7}")
ratios = []
for key in keys:
    model, layer, op, m, n, k = key
    thr = next(r["threads"] for r in rows if r.get("layer") == layer and r.get("model") == model)
    c, o = med("cnn4j", key), med("openblas", key)
    ratio = c / o if c and o else None
    if ratio: ratios.append(ratio)
    flag = "" if ratio is None or ratio >= 0.75 else "  < 0.75"
    print(f"{model:<15}{layer:<35}{op:<4}{f'{m}x{n}x{k}':>17}{thr:>4}{c:>9.1f}{100 * c / peak[1 if thr == 1 else 2]:>7.0f}%"
          f"{o if o else float('nan'):>10.1f}{ratio if ratio else float('nan'):>7.2f}{flag}")
if ratios:
    print(f"cnn4j / OpenBLAS over {len(ratios)} shapes: median {statistics.median(ratios):.2f}, lowest {min(ratios):.2f}")
PY
[ -n "${RAW:-}" ] || rm -f "$out"
