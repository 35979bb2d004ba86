#!/usr/bin/env bash
# Transfer learning on Fashion-MNIST (docs/transfer.md): pretrain on classes 0-4, then classes 5-9 from
# 100 images per class by feature extraction, fine-tuning and from scratch. A few minutes on 2 cores.
# Usage: cnn4j-bench/transfer.sh [DATA_DIR [PRETRAIN_IMAGES [PRETRAIN_EPOCHS [EPOCHS]]]]
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/env.sh
cnn4j_select_jdk
cnn4j_ensure_fashion_mnist || true
./mvnw -q -pl cnn4j-bench -am compile -DskipTests
exec java --add-modules=jdk.incubator.vector -cp cnn4j-core/target/classes:cnn4j-bench/target/classes \
  org.cnn4j.bench.TransferDemo "${1:-/usr/share/datasets/fashion-mnist}" "${@:2}"
