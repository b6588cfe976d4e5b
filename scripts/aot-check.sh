#!/usr/bin/env bash
# Shows whether a JVM uses the AOT cache trained as Dockerfile.jvm trains it: trains one from the packaged jar
# (./mvnw package -pl <service> -am first) with the pods' flags (ARG JAVA_OPTS_TRAINED), then starts the service
# offline (profile aot-training: no database) with those flags, with the JVM's defaults, and with -XX:+UseZGC
# (no compressed oops: refused), and prints the -Xlog:aot lines that say so, the young GCs and "started in".
#   bash scripts/aot-check.sh customer-service      (JDK 25: JAVA_HOME, else scripts/find-jdk.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
service=${1:?usage: scripts/aot-check.sh api-gateway|order-service|customer-service}
JAVA="${JAVA_HOME:-$(scripts/find-jdk.sh)}/bin/java"
app="$PWD/$service/target/quarkus-app"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t pod < <(jdk_pod_options "$service")

start() { # log, flags...: start offline, stop at "started in"
  local log=$1 pid; shift
  (cd "$app" && exec "$JAVA" "$@" -Dquarkus.profile=prod,aot-training -Dquarkus.http.port=0 -Dquarkus.management.port=0 \
    -Djava.util.logging.manager=org.jboss.logmanager.LogManager -jar quarkus-run.jar) > "$log" 2>&1 &
  pid=$!
  until grep -q "started in" "$log"; do kill -0 $pid 2>/dev/null || { tail -n 20 "$log"; return 1; }; sleep 0.1; done
  kill -TERM $pid; wait $pid || true
}

echo "training with: ${pod[*]}"
start "$work/training.log" "${pod[@]}" -XX:AOTCacheOutput="$work/app.aot"
for variant in pods defaults zgc; do
  case $variant in
    pods) flags=("${pod[@]}") ;; defaults) flags=() ;; zgc) flags=(-XX:+UseZGC) ;;
  esac
  start "$work/$variant.log" ${flags[@]+"${flags[@]}"} -XX:MaxRAM=384m -XX:AOTCache="$work/app.aot" -Xlog:aot -Xlog:gc
  echo "--- $variant: ${flags[*]:-(JVM defaults)}"
  grep -E "\[aot *\].*(Using AOT-linked classes|Unable to use AOT cache|current max heap size)" "$work/$variant.log" || true
  echo "young GCs: $(grep -c 'Pause Young' "$work/$variant.log" || true); $(grep -o 'started in [0-9.]*s' "$work/$variant.log")"
done
