#!/usr/bin/env bash
# Runs cnn4j's PeerBench and PyTorch's bench.py (../shared/peers/torch) on the same models, one after
# the other in this one run, and prints a table with the ratios. Time only on an idle machine.
#
# usage: cnn4j-bench/peers.sh [RUNS] [MODELS...]     (default: 3 runs of fashion-cnn fashion-dnn resnet18-cifar; medians)
#        SMOKE=1 cnn4j-bench/peers.sh 1             (50 batches each, a quick check that it all runs)
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/env.sh
cnn4j_select_jdk
cnn4j_ensure_fashion_mnist
runs=${1:-3}; shift || true
models=("$@"); [ ${#models[@]} -gt 0 ] || models=(fashion-cnn fashion-dnn resnet18-cifar)
peers=${CNN4J_PEERS:-$(cd .. && pwd)/shared/peers}
smoke=${SMOKE:+--smoke}

./mvnw -q -B -DskipTests -pl cnn4j-bench -am package
export OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2
out=$(mktemp)
for m in "${models[@]}"; do
  for r in $(seq "$runs"); do
    java --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx6g -cp cnn4j-bench/target/benchmarks.jar \
      org.cnn4j.bench.PeerBench "$m" 1 $smoke 2>/dev/null | grep '^{' >> "$out"
    if [ -f "$peers/torch/bench.py" ] && /usr/bin/python3 -c 'import torch' 2>/dev/null; then
      /usr/bin/python3 "$peers/torch/bench.py" "$m" 1 $smoke 2>/dev/null | grep '^{' >> "$out"
    fi
  done
done
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
models = sorted({r["model"] for r in rows})
def med(lib, model, key):
    v = [r[key] for r in rows if r["lib"].startswith(lib) and r["model"] == model and r.get(key) is not None]
    return (statistics.median(v), len(v)) if v else (None, 0)
print(f"{'model':<16}{'metric':<22}{'cnn4j':>12}{'pytorch':>12}{'ratio':>8}   runs")
for m in models:
    for key, label in (("train_images_per_s", "train images/s"), ("train_images_per_s_cold", "train img/s, 3 warm-up"),
                       ("infer_images_per_s", "inference images/s"),
                       ("infer_images_per_s_warm", "inference, 4 more passes"),
                       ("test_acc_after_epochs", "test acc (1 epoch)")):
        c, nc = med("cnn4j", m, key); p, np_ = med("pytorch", m, key)
        if key.endswith("_cold") or key.endswith("_warm"):
            if c is None: continue
            # PyTorch has no JIT: its protocol figure is its steady state
            p, np_ = med("pytorch", m, key.replace("_cold", "").replace("_warm", ""))
        ratio = f"{c / p:.2f}" if c and p else "-"
        fmt = (lambda x: "-" if x is None else (f"{x:,.0f}" if x > 1 else f"{x:.4f}"))
        print(f"{m:<16}{label:<22}{fmt(c):>12}{fmt(p):>12}{ratio:>8}   {nc}/{np_}")
PY
rm -f "$out"
