#!/usr/bin/env bash
# Runs one of the seed examples: examples/run.sh NAME [options]   (examples/run.sh list; NAME --help)
# Builds examples/target/cnn4j-examples.jar (the examples with cnn4j-core, cnn4j-viz and XChart inside)
# when it is missing or older than any main source or pom.xml, selects a JDK >= 25 as bin/cnn4j does,
# and makes sure Fashion-MNIST is at hand. Relative paths (--out, --image) are relative to the caller.
# Environment: CNN4J_JAVA_OPTS (extra JVM options), CNN4J_THREADS (compute threads), CNN4J_DATA.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../bin/env.sh
source "$ROOT/bin/env.sh"
cnn4j_select_jdk

JAR="$ROOT/examples/target/cnn4j-examples.jar"
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT/cnn4j-core/src/main" "$ROOT/cnn4j-viz/src/main" \
      "$ROOT/examples/src/main" -newer "$JAR" -print -quit 2>/dev/null)" ]; then
  echo "examples: building $JAR..." >&2
  (cd "$ROOT" && ./mvnw -q -B -DskipTests -pl examples -am package) >&2 || { echo "examples: the build failed" >&2; exit 1; }
  touch "$JAR"
fi

name="${1:-list}"
[ $# -gt 0 ] && shift
case "$name" in
  list|--help|-h) class=Examples ;;
  Ex*) class="$name" ;;
  *) echo "examples: unknown example '$name'; run examples/run.sh list" >&2; exit 2 ;;
esac
case "$class" in Ex02*|Ex03*|Ex13*|Examples) ;; *) cnn4j_ensure_fashion_mnist ;; esac

# shellcheck disable=SC2086 # CNN4J_JAVA_OPTS is a list of options
exec java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xms512m -Xmx6g \
  ${CNN4J_JAVA_OPTS:-} -cp "$JAR" "org.cnn4j.examples.$class" "$@"
