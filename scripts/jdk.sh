# Sourced by run.sh (and by its test, RunShJdkTest): what the JDK at hand can do, asked of the JDK itself.
# Every function takes the path of a `java` launcher.

# The major version (21, 25, ...), from java.specification.version; 0 when the launcher gives none.
jdk_major() {
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
  v=${v:-0}
  v=${v#1.} # "1.8" is Java 8
  echo "${v%%.*}"
}

# Succeeds for a JDK 21 or newer; otherwise prints one line saying so and fails.
jdk_require_21() {
  local major
  major=$(jdk_major "$1")
  if [ "$major" -lt 21 ] 2>/dev/null; then
    echo "run.sh needs a JDK 21 or newer, but $1 is Java $major: set JAVA_HOME to a JDK 21+ (or unset it)." >&2
    return 1
  fi
}

# Succeeds when the JVM accepts the JDK 25 AOT cache options (-XX:AOTCacheOutput records a cache in one run,
# -XX:AOTCache uses it). A JDK 21 refuses -XX:AOTMode, a JDK 24 -XX:AOTCacheOutput: both start without a cache.
# AOTMode=off makes the JVM parse the options without recording anything (0.2 s).
jdk_supports_aot_cache() {
  local dir rc
  dir=$(mktemp -d)
  "$1" -XX:AOTMode=off -XX:AOTCacheOutput="$dir/probe.aot" -version >/dev/null 2>&1
  rc=$?
  rm -rf "$dir"
  return $rc
}

# The AOT options for one service, one per line: none when the JDK refuses them, -XX:AOTCache when the
# cache is newer than the jar it was recorded from, -XX:AOTCacheOutput (record it at exit) otherwise.
# Args: java, cache file, jar.
jdk_aot_options() {
  jdk_supports_aot_cache "$1" || return 0
  if [ "$2" -nt "$3" ]; then
    echo "-XX:AOTCache=$2"
  else
    echo "-XX:AOTCacheOutput=$2"
  fi
}

# The JVM pods' heap and GC flags for one service, one per line: ARG JAVA_OPTS_TRAINED in its Dockerfile.jvm,
# which the image trains its AOT cache with and runs with. run.sh records and uses its cache with them too.
# Args: the service's folder.
jdk_pod_options() {
  sed -n 's/^ARG JAVA_OPTS_TRAINED="\(.*\)"$/\1/p' "$1/src/main/docker/Dockerfile.jvm" | tr -s ' ' '\n' | sed '/^$/d'
}
