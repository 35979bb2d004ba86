#!/usr/bin/env bash
# Zoo throughput, cnn4j (ZooBench) beside PyTorch (zoo_bench.py), one model after the other, same thread count;
# prints one JSON line per library and model, then a table. Time only on an idle machine.
#
# usage: cnn4j-bench/zoo_peers.sh [MODELS...]      env: THREADS (default 2), SECONDS_PER (default 2),
#        JAVA (default: the JDK bin/env.sh selects), SKIP_BUILD=1 to use the existing benchmarks.jar
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${THREADS:-2}; seconds=${SECONDS_PER:-2}
models=("$@"); [ ${#models[@]} -gt 0 ] || models=(fashion-dnn fashion-cnn cifar-cnn keras-cnn mnist-encoder lenet5 resnet18-cifar \
  resnet18 resnet34 resnet50 googlenet mobilenet-v2 alexnet vgg11 vgg11-bn vgg13 vgg13-bn vgg16 vgg16-bn vgg19 vgg19-bn)
if [ -z "${JAVA:-}" ]; then source bin/env.sh; cnn4j_select_jdk; JAVA=java; fi
[ -n "${SKIP_BUILD:-}" ] || ./mvnw -q -B -DskipTests -pl cnn4j-bench -am package
export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-SkylakeX} OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads
out=$(mktemp)
for m in "${models[@]}"; do
  CNN4J_THREADS=$threads "$JAVA" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx8g \
    -cp cnn4j-bench/target/benchmarks.jar org.cnn4j.bench.ZooBench --seconds "$seconds" "$m" 2>/dev/null | grep '^{' | tee -a "$out"
  /usr/bin/python3 cnn4j-bench/zoo_bench.py --threads "$threads" --seconds "$seconds" "$m" 2>/dev/null | grep '^{' | tee -a "$out" || true
done
/usr/bin/python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
get = lambda lib, m: next((r for r in rows if r["lib"].startswith(lib) and r["model"] == m), None)
print(f"{'model':<15}{'params':>13}  {'infer b1 (cnn4j/torch)':>24}  {'infer b32 (cnn4j/torch)':>25}  {'train (cnn4j/torch, batch)':>30}")
for m in dict.fromkeys(r["model"] for r in rows):
    c, p = get("cnn4j", m), get("pytorch", m)
    f = lambda r, k: "-" if r is None else f"{r[k]:,.1f}"
    print(f"{m:<15}{c['params'] if c else p['params']:>13,}  {f(c,'infer_b1_images_per_s'):>11} / {f(p,'infer_b1_images_per_s'):<10}"
          f"  {f(c,'infer_b32_images_per_s'):>12} / {f(p,'infer_b32_images_per_s'):<10}"
          f"  {f(c,'train_images_per_s'):>12} / {f(p,'train_images_per_s'):<8} b{(c or p)['train_batch']}")
PY
rm -f "$out"
