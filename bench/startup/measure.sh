#!/usr/bin/env bash
# Start-up steps and live heap of the three packaged JVM services (issue 15), on ports of their own
# (PORT_BASE, default 30000: PostgreSQL +432, gateway +80/+90, order-service +81/+91, customer-service
# +82/+92), with run.sh's settings (GATEWAY_SIGN_KEY=/path/key.pem: a PKCS#8 signing key, as in Kubernetes,
# instead of run.sh's ephemeral one). Build first: ./mvnw -B -q package -DskipTests -pl
# api-gateway,order-service,customer-service -am. Writes logs and figures to target/startup-bench/.
#   bench/startup/measure.sh starts [N]    N starts of each service alone (default 3), then (unless
#                                          DEBUG_START=0) one start with DEBUG logs of the start-up
#                                          categories and a class-load log; bench/startup/steps.py sums them up.
#                                          SERVICES="api-gateway ..." starts only those
#   bench/startup/measure.sh load [REQUESTS] [JVM options...]
#                                          the three services, RSS at ready, the mix of mix.lua, then a
#                                          full GC in each: GC.heap_info, class histogram, RSS
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA_HOME="$(scripts/find-jdk.sh)"
JAVA="$JAVA_HOME/bin/java"
BASE=${PORT_BASE:-30000}
PG_PORT=$((BASE + 432))
OUT=target/startup-bench
mkdir -p "$OUT"
JWKS="http://localhost:$((BASE + 80))/.well-known/jwks.json"
# Millisecond timestamps and the thread, plain text (the prod profile logs JSON).
LOG_OPTS=(-Dquarkus.log.console.json.enabled=false
  "-Dquarkus.log.console.format=%d{HH:mm:ss.SSS} %-5p [%c{3.}] (%t) %s%e%n" -Dquarkus.debug.print-startup-times=true)

pids=()
cleanup() { for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

postgres() {
  [ -f "$OUT/postgres.classpath" ] || ./mvnw -B -q -pl test-support dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$PWD/$OUT/postgres.classpath" >/dev/null
  PG_PORT=$PG_PORT PG_DATA="$OUT/pgdata" "$JAVA" -cp "test-support/target/test-classes:$(cat "$OUT/postgres.classpath")" \
    dev.accesstoken.testsupport.Postgres > "$OUT/postgres.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do grep -q "PostgreSQL ready" "$OUT/postgres.log" && return; sleep 0.25; done
  echo "PostgreSQL did not start" >&2; exit 1
}

# name -> "port management-port -D..." as run.sh starts it
settings() {
  case $1 in
    customer-service) echo "$((BASE + 82)) $((BASE + 92)) -Dmp.jwt.verify.publickey.location=$JWKS" \
      "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:$PG_PORT/customers" ;;
    order-service) echo "$((BASE + 81)) $((BASE + 91)) -Dmp.jwt.verify.publickey.location=$JWKS" \
      "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:$PG_PORT/orders" \
      "-Dquarkus.rest-client.customer-service.url=http://localhost:$((BASE + 82))" \
      "-Dquarkus.oidc-client.auth-server-url=http://localhost:$((BASE + 80))" ;;
    api-gateway) echo "$((BASE + 80)) $((BASE + 90))" \
      "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:$PG_PORT/gateway" \
      "-Dquarkus.rest-client.order-service.url=http://localhost:$((BASE + 81))" \
      "-Dquarkus.rest-client.customer-service.url=http://localhost:$((BASE + 82))" \
      ${GATEWAY_SIGN_KEY:+-Dsmallrye.jwt.sign.key.location=$GATEWAY_SIGN_KEY} ;;
  esac
}

# launch name log extra-JVM-options... ; sets $pid, $ready_ms (launch to first 200 on /q/health/ready)
launch() {
  local name=$1 log=$2; shift 2
  read -r port mgmt props <<<"$(settings "$name")"
  local t0; t0=$(date +%s%N)
  # shellcheck disable=SC2086
  "$JAVA" "$@" -Dquarkus.http.port="$port" -Dquarkus.management.port="$mgmt" $props "${LOG_OPTS[@]}" \
    -jar "$name/target/quarkus-app/quarkus-run.jar" > "$log" 2>&1 &
  pid=$!
  pids+=("$pid")
  until curl -fs -o /dev/null "http://localhost:$mgmt/q/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { echo "$name exited, see $log" >&2; tail -n 30 "$log" >&2; exit 1; }
    sleep 0.01
  done
  ready_ms=$((($(date +%s%N) - t0) / 1000000))
}

stop() { kill "$1"; wait "$1" 2>/dev/null || true; }
rss_mb() { echo $(($(ps -o rss= -p "$1") / 1024)); }
# CPU time (user + system, all threads) the process has used so far, in ms: less sensitive than wall time to a busy machine.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"; }

starts() {
  local n=${1:-3}
  postgres
  echo "service run ready_ms started_in create_vm_s rss_at_ready_mb cpu_at_ready_ms load1" | tee "$OUT/starts.txt"
  for name in ${SERVICES:-customer-service order-service api-gateway}; do
    for i in $(seq 1 "$n"); do
      launch "$name" "$OUT/$name-start$i.log" "-Xlog:startuptime:file=$OUT/$name-start$i.jvm:uptime"
      local cpu; cpu=$(cpu_ms "$pid")
      sleep 0.3
      echo "$name $i $ready_ms $(grep -o 'started in [0-9.]*s' "$OUT/$name-start$i.log" | cut -d' ' -f3)" \
        "$(grep 'Create VM' "$OUT/$name-start$i.jvm" | sed 's/.*Create VM, \([0-9.]*\).*/\1/')" \
        "$(rss_mb "$pid") $cpu $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/starts.txt"
      stop "$pid"
    done
    # One more with the start-up categories at DEBUG and every class load timed (slower; steps, not totals).
    [ "${DEBUG_START:-1}" = 1 ] || continue
    launch "$name" "$OUT/$name-debug.log" "-Xlog:class+load:file=$OUT/$name-debug.classes:uptime" \
      -Dquarkus.log.category.\"org.flywaydb\".level=DEBUG -Dquarkus.log.category.\"io.agroal\".level=DEBUG \
      -Dquarkus.log.category.\"io.quarkus.hibernate\".level=DEBUG -Dquarkus.log.category.\"io.quarkus.flyway\".level=DEBUG \
      -Dquarkus.log.category.\"dev.accesstoken\".level=DEBUG -Dquarkus.log.category.\"io.quarkus.bootstrap\".level=DEBUG \
      -Dquarkus.log.category.\"io.quarkus.arc\".level=DEBUG
    echo "$name debug $ready_ms (DEBUG logs + class+load log)" | tee -a "$OUT/starts.txt"
    stop "$pid"
  done
}

load() {
  local requests=${1:-2000}; shift || true
  local tag=${LOAD_TAG:-default}
  postgres
  declare -A pid_of
  for name in customer-service order-service api-gateway; do
    launch "$name" "$OUT/$name-load-$tag.log" "$@"
    pid_of[$name]=$pid
  done
  sleep 1
  local report="$OUT/load-$tag.txt"
  { echo "JVM options: $*"; for name in "${!pid_of[@]}"; do echo "$name rss_at_ready_mb $(rss_mb "${pid_of[$name]}") cpu_ms $(cpu_ms "${pid_of[$name]}")"; done; } | tee "$report"
  local gw="http://localhost:$((BASE + 80))"
  TOKEN=$(curl -s "$gw/auth/login" -H 'Content-Type: application/json' -d '{"username":"alice","password":"alice"}' \
    | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  export TOKEN REQUESTS=$requests
  local t0; t0=$(date +%s)
  wrk -t1 -c4 -d3600s -s bench/startup/mix.lua "$gw"
  echo "load: $((($(date +%s) - t0))) s; responses at the gateway by status:" | tee -a "$report"
  curl -s "http://localhost:$((BASE + 90))/q/metrics" | grep '^http_server_requests_seconds_count' | tee -a "$report"
  sleep 1
  for name in customer-service order-service api-gateway; do
    local p=${pid_of[$name]}
    {
      echo "== $name rss_after_load_mb $(rss_mb "$p") cpu_ms $(cpu_ms "$p")"
      "$JAVA_HOME/bin/jcmd" "$p" GC.heap_info | tail -n +2
      "$JAVA_HOME/bin/jcmd" "$p" GC.run >/dev/null
      echo "-- after GC.run: rss_mb $(rss_mb "$p")"
      "$JAVA_HOME/bin/jcmd" "$p" GC.heap_info | tail -n +2
      "$JAVA_HOME/bin/jcmd" "$p" GC.class_histogram | sed -n '2,16p;$p'
    } | tee -a "$report"
  done
}

case ${1:-} in
  starts) shift; starts "$@" ;;
  load) shift; load "$@" ;;
  *) sed -n '2,/^set /p' "$0" | sed '$d'; exit 2 ;;
esac
