#!/usr/bin/env bash
# Builds the three services and runs them locally: customer-service :8082, order-service :8081,
# api-gateway :8080, with an ephemeral signing key and the demo users. Ctrl-C stops all three.
# Ports can be moved with GATEWAY_PORT, ORDER_PORT and CUSTOMER_PORT.
set -euo pipefail
cd "$(dirname "$0")"

JAVA_HOME="$(scripts/find-jdk.sh)"
export JAVA_HOME
GATEWAY_PORT=${GATEWAY_PORT:-8080}
ORDER_PORT=${ORDER_PORT:-8081}
CUSTOMER_PORT=${CUSTOMER_PORT:-8082}
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
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

start() { # name port -Dkey=value...
  local name=$1 port=$2; shift 2
  "$JAVA_HOME/bin/java" -Dquarkus.http.port="$port" "$@" -jar "$name/target/quarkus-app/quarkus-run.jar" \
    > "$LOGS/$name.log" 2>&1 &
  pids+=($!)
}

start customer-service "$CUSTOMER_PORT" -Dmp.jwt.verify.publickey.location="$JWKS"
start order-service "$ORDER_PORT" -Dmp.jwt.verify.publickey.location="$JWKS" \
  -Dquarkus.rest-client.customer-service.url="http://localhost:$CUSTOMER_PORT"
start api-gateway "$GATEWAY_PORT" \
  -Dquarkus.rest-client.order-service.url="http://localhost:$ORDER_PORT" \
  -Dquarkus.rest-client.customer-service.url="http://localhost:$CUSTOMER_PORT"

for port in "$CUSTOMER_PORT" "$ORDER_PORT" "$GATEWAY_PORT"; do
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
  order-service     http://localhost:$ORDER_PORT
  customer-service  http://localhost:$CUSTOMER_PORT
  logs              $LOGS/

Walkthrough (demo users: alice/alice, bob/bob, admin/admin):

  TOKEN=\$(curl -s localhost:$GATEWAY_PORT/auth/login -H 'Content-Type: application/json' \\
            -d '{"username":"alice","password":"alice"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  curl -s -i localhost:$GATEWAY_PORT/api/orders -H "Authorization: Bearer \$TOKEN" \\
       -H 'Content-Type: application/json' -d '{"amount":25.00,"description":"first order"}'
  curl -s localhost:$GATEWAY_PORT/api/orders -H "Authorization: Bearer \$TOKEN"
  curl -s localhost:$GATEWAY_PORT/api/orders/<id> -H "Authorization: Bearer \$TOKEN"
  curl -s localhost:$GATEWAY_PORT/api/customers/me -H "Authorization: Bearer \$TOKEN"
  curl -s localhost:$GATEWAY_PORT/api/trace -H "Authorization: Bearer \$TOKEN"

Press Ctrl-C to stop all three.
MSG
wait
