#!/usr/bin/env bash
# Soak benchmark: trains FashionCNN on Fashion-MNIST (batch 100, Adam 1e-3) for 20 epochs or 30 minutes,
# whichever ends first, and records after every epoch the retained heap (after a full GC), committed heap,
# non-heap, NIO buffers, process RSS and threads into a CSV; then fits a line to the retained heap and the
# RSS over the epochs after the first and prints the slopes (MB per epoch). Time only on an idle machine.
#
# usage: cnn4j-bench/soak.sh [EPOCHS=20] [MINUTES=30] [LIMIT=60000] [CSV=soak.csv] [TEST_LIMIT=10000]
#        cnn4j-bench/soak.sh 5 30 10000 soak-short.csv 2000      (the shortened run: 5 epochs of 10,000 images)
# JVM options: SOAK_JAVA_OPTS (default -Xmx2g -XX:+UseParallelGC, as bin/cnn4j uses the parallel collector).
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/env.sh
cnn4j_select_jdk
cnn4j_ensure_fashion_mnist
csv=${4:-soak.csv}
./mvnw -q -B -DskipTests -pl cnn4j-bench -am package
# shellcheck disable=SC2086 # SOAK_JAVA_OPTS is a list of options
java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED ${SOAK_JAVA_OPTS:--Xmx2g -XX:+UseParallelGC} \
  -cp cnn4j-bench/target/benchmarks.jar org.cnn4j.reliability.Soak "${1:-20}" "${2:-30}" "${3:-60000}" "$csv" "${5:-10000}" 2>/dev/null
awk -F, 'NR > 1 && $1 >= 2 { n++; x = $1; sx += x; sxx += x * x; h = $5; r = $10; sh += h; sxh += x * h; sr += r; sxr += x * r;
           if (n == 1 || h < hmin) hmin = h; if (n == 1 || h > hmax) hmax = h; if (n == 1 || r < rmin) rmin = r; if (n == 1 || r > rmax) rmax = r }
  END { if (n < 2) { print "soak: fewer than 2 epochs after the first; no trend"; exit }
        d = n * sxx - sx * sx
        printf "soak: epochs 2..%d: retained heap %.1f..%.1f MB (slope %+.2f MB/epoch), RSS %.1f..%.1f MB (slope %+.2f MB/epoch)\n",
               x, hmin, hmax, (n * sxh - sx * sh) / d, rmin, rmax, (n * sxr - sx * sr) / d }' "$csv"
