# Sourced by bin/cnn4j and .ci/run: the set-up a fresh machine needs, done by the project itself.
#  - cnn4j_select_jdk: exports JAVA_HOME/PATH for a JDK >= 25 (the default java may be older).
#  - cnn4j_ensure_fashion_mnist: installs Debian's dataset-fashion-mnist when running as root and no
#    copy is found; otherwise the library's own resolution order (and download) applies.

cnn4j_java_major() { # $1 = java home; prints the feature version, or nothing
  [ -x "$1/bin/java" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

cnn4j_select_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/java-2[5-9]* /usr/lib/jvm/jdk-2[5-9]* \
                   /usr/lib/jvm/*; do
    [ -n "$candidate" ] || continue
    major=$(cnn4j_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "cnn4j: needs a JDK 25 or newer; none found in \$JAVA_HOME or /usr/lib/jvm. Install one (e.g. Temurin 25) and set JAVA_HOME." >&2
  return 1
}

cnn4j_ensure_fashion_mnist() {
  local dir
  for dir in "${CNN4J_DATA:+$CNN4J_DATA/fashion-mnist}" "$HOME/.cnn4j/datasets/fashion-mnist" /usr/share/datasets/fashion-mnist; do
    [ -n "$dir" ] && ls "$dir"/train-images-idx3-ubyte* >/dev/null 2>&1 && return 0
  done
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "cnn4j: installing Debian's dataset-fashion-mnist" >&2
    (apt-get install -y -qq dataset-fashion-mnist >/dev/null 2>&1 \
      || (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq dataset-fashion-mnist >/dev/null 2>&1)) \
      || echo "cnn4j: apt-get could not install dataset-fashion-mnist; the loader will try to download it" >&2
  fi
  return 0
}
