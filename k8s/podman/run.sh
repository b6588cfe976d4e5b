#!/usr/bin/env bash
# Plays the project's real Kubernetes manifests (k8s/overlays/podman, on top of
# the JVM overlay) on a real container engine, podman, on this machine, and
# walks through the Access Token flow against them:
#   login -> place an order -> read it with its customer -> trace the token
#   through api-gateway, order-service and customer-service -> restart
#   order-service's pod -> read the order again: it is in order-db (PostgreSQL),
#   not in the pod -> restart api-gateway's pod -> refresh the login's session
#   and read the order with the new token: the session is in gateway-db.
#
# Usage (from anywhere, as root): bash k8s/podman/run.sh
# Environment (all optional):
#   KEEP=1           leave the pods running at the end (clean up by hand with
#                    `bash k8s/podman/run.sh --down`)
#   REBUILD_BASE=1   rebuild the cached local images (Java base, PostgreSQL)
#   WAIT_SECONDS=240 how long to wait for the services to come up
#   BASE_IMAGE, POSTGRES_IMAGE, BASE_SUITE, JRE_PACKAGE, PG_PACKAGE,
#   DEBIAN_MIRROR: see base-image.sh
#
# Steps:
#   1. installs podman and the tools from Debian's packages if missing;
#   2. builds (once, cached) a local Java 25 base image and a local PostgreSQL
#      17 image: no registry is needed;
#   3. writes the Secrets' key material with the DEMO credentials
#      (k8s/generate-secrets.sh --demo) into a copy of k8s/ under its work
#      folder, never into k8s/secrets/ (a real deployment's); the overlay runs
#      the gateway and order-service with QUARKUS_PROFILE=prod,demo;
#   4. packages the services (./mvnw package) if a target/quarkus-app is
#      missing, and builds each image with the service's own
#      src/main/docker/Dockerfile.jvm on the local base;
#   5. renders the overlay with `kubectl kustomize`, creates the Secrets with
#      `podman secret create` (Secret documents are stripped: podman 4.3 does
#      not take them) and plays it with `podman kube play` on a network of its
#      own, each pod at the address its hostAliases give it: first the
#      databases (gateway-db, order-db, customer-db; prepare.py turns each
#      StatefulSet into a PVC and a Deployment), which must accept their own
#      credentials, and only those, over TCP: not a wrong password, nor any
#      other database's user and password (owner or runtime role), and whose
#      runtime role (k8s/base/db-init) logs in but may not create a table;
#      then the services;
#   6. waits for /q/health/ready of every service on its management hostPort
#      (127.0.0.1; readiness includes the database), checks that each database holds its
#      service's Flyway migrations, runs the walkthrough, restarts
#      order-service's pod and reads the order again, restarts api-gateway's
#      pod and refreshes the session, and cleans up (pods, Secrets, volumes
#      with the databases' data, network), on failure too.
# Prints "PODMAN WALKTHROUGH: PASS" or "PODMAN WALKTHROUGH: FAIL (...)" last,
# and exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
export BASE_IMAGE="${BASE_IMAGE:-localhost/access-token/base-jre:25}"
NETWORK="${NETWORK:-access-token-podman}"
WAIT_SECONDS="${WAIT_SECONDS:-240}"
PY=/usr/bin/python3
work="$(mktemp -d /tmp/access-token-podman.XXXXXX)"
started=$SECONDS
played=false
failure=
kept_env=/tmp/access-token-podman.env
kept_play=/tmp/access-token-podman.play.yaml
kept_play_db=/tmp/access-token-podman.play-db.yaml

log() { echo "[podman-run $(date +%T)] $*" >&2; }
# The FAIL line itself is printed last, by on_exit, after the logs and the cleanup.
fail() {
  failure="$*"
  log "FAILED: $failure"
  exit 1
}

# --- 1. tools -----------------------------------------------------------------
ensure_tools() {
  local missing=()
  for cmd in podman runc newuidmap slirp4netns fuse-overlayfs debootstrap jq curl; do
    command -v "$cmd" >/dev/null || missing+=("$cmd")
  done
  [[ -x "$PY" ]] && "$PY" -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
  if ((${#missing[@]})); then
    log "installing from Debian's packages (missing: ${missing[*]}) ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq podman runc uidmap slirp4netns passt fuse-overlayfs \
      debootstrap jq curl python3 python3-yaml >/dev/null
  fi
  command -v kubectl >/dev/null || fail "kubectl (with kustomize) is not installed"
  log "$(podman --version), $(kubectl version --client 2>/dev/null | head -n 1)"
}

# --- cleanup ------------------------------------------------------------------
# Removes what the plays (files $@) leave: pods (kube down), the Secrets, the
# named volumes podman made for secret and emptyDir volumes and for the
# databases' claims, and the network.
teardown() {
  local play s v
  for play in "$@"; do
    [[ -f "$play" ]] && podman kube down "$play" >/dev/null 2>&1 || true
  done
  for s in ${SECRETS:-}; do podman secret rm "$s" >/dev/null 2>&1 || true; done
  for v in ${VOLUMES:-}; do podman volume rm -f "$v" >/dev/null 2>&1 || true; done
  podman network rm -f "$NETWORK" >/dev/null 2>&1 || true
  # Images of earlier runs that a rebuild left untagged; the cached base image stays.
  podman image prune -f >/dev/null 2>&1 || true
}

on_exit() {
  local rc=$?
  if [[ "$played" == true && $rc -ne 0 ]]; then
    log "--- container logs (last 40 lines each) ---"
    local c
    for c in $(podman ps -a --format '{{.Names}}' | grep -v -- '-infra$' || true); do
      echo "----- $c ($(podman inspect --format '{{.State.Status}} exit={{.State.ExitCode}}' "$c" 2>/dev/null))" >&2
      podman logs --tail 40 "$c" >&2 2>&1 || true
    done
  fi
  if [[ "$played" == true && "${KEEP:-}" == 1 ]]; then
    log "KEEP=1: leaving the pods running; remove them with: bash k8s/podman/run.sh --down"
    cp "$work/play.yaml" "$kept_play" 2>/dev/null || true
    cp "$work/play-db.yaml" "$kept_play_db" 2>/dev/null || true
    cp "$work/env" "$kept_env" 2>/dev/null || true
  elif [[ "$played" == true ]]; then
    log "cleaning up ..."
    teardown "$work/play.yaml" "$work/play-db.yaml"
  fi
  rm -rf "$work"
  if ((rc != 0)); then
    echo "PODMAN WALKTHROUGH: FAIL (${failure:-exit code $rc}; $((SECONDS - started)) s)"
  else
    echo "PODMAN WALKTHROUGH: PASS (${passed:-}; $((SECONDS - started)) s)"
  fi
  exit $rc
}

if [[ "${1:-}" == "--down" ]]; then
  [[ -f "$kept_env" ]] && . "$kept_env"
  teardown "$kept_play" "$kept_play_db"
  rm -f "$kept_play" "$kept_play_db" "$kept_env"
  rm -rf "$work"
  exit 0
fi

trap on_exit EXIT
trap 'exit 130' INT TERM
cd "$repo"

ensure_tools

# --- 2. base image -------------------------------------------------------------
base_args=()
[[ "${REBUILD_BASE:-}" == 1 ]] && base_args=(--force)
bash "$here/base-image.sh" "${base_args[@]}" || fail "could not build the base image $BASE_IMAGE"

# --- 3. Secrets' key material --------------------------------------------------
# The demo users and client (the walkthrough logs in as alice/alice), fresh each
# run (the volumes are too), in a copy of k8s/: k8s/secrets/ may hold a real
# deployment's, which the walkthrough must neither read nor overwrite.
log "k8s/generate-secrets.sh --demo (into a copy of k8s/) ..."
mkdir -p "$work/k8s"
tar -C k8s --exclude=./secrets -cf - . | tar -C "$work/k8s" -xf - || fail "cannot copy k8s/ to $work"
bash k8s/generate-secrets.sh --demo "$work/k8s/secrets" >&2 || fail "k8s/generate-secrets.sh --demo failed"

# --- render + prepare ------------------------------------------------------------
kubectl kustomize "$work/k8s/overlays/podman" >"$work/rendered.yaml" || fail "kubectl kustomize k8s/overlays/podman failed"
"$PY" "$here/prepare.py" "$work/rendered.yaml" "$work" || fail "could not prepare the rendered YAML for podman"
# shellcheck disable=SC1091
. "$work/env"
log "deployments: $DEPLOYMENTS; databases: $DATABASES"

var() { echo "${1//[^A-Za-z0-9_]/_}"; }

# --- 4. packages and images -----------------------------------------------------
service_of() { local repo_name="${1%%:*}"; echo "${repo_name##*/}"; }
need_package=false
for image in $IMAGES; do
  svc="$(service_of "$image")"
  [[ -f "$svc/src/main/docker/Dockerfile.jvm" ]] || fail "$svc/src/main/docker/Dockerfile.jvm is missing"
  [[ -f "$svc/target/quarkus-app/quarkus-run.jar" ]] || need_package=true
done
if [[ "$need_package" == true ]]; then
  if [[ -x scripts/find-jdk.sh ]] && jdk="$(scripts/find-jdk.sh)"; then
    export JAVA_HOME="$jdk"   # a JDK 21+, as .ci/run picks it
  elif [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
  fi
  log "packaging the services (./mvnw -B -q package -DskipTests) ..."
  ./mvnw -B -q package -DskipTests -Dnative.sources.skip=true >&2 || fail "./mvnw package failed"
fi
for image in $IMAGES; do
  svc="$(service_of "$image")"
  [[ -f "$svc/target/quarkus-app/quarkus-run.jar" ]] || fail "$svc/target/quarkus-app is missing after the build"
  log "building $image from $svc/src/main/docker/Dockerfile.jvm ..."
  podman build -q --build-arg BASE_IMAGE="$BASE_IMAGE" -f "$svc/src/main/docker/Dockerfile.jvm" \
    -t "$image" "$svc" >/dev/null || fail "podman build of $image failed"
done

for image in $DB_IMAGES; do
  podman image exists "$image" || fail "$image is missing (k8s/podman/base-image.sh builds it)"
done

# --- 5. play ---------------------------------------------------------------------
teardown "$work/play.yaml" "$work/play-db.yaml"   # leftovers of an earlier run that was killed
for dep in $DEPLOYMENTS; do
  for hp_var in "HOSTPORT_$(var "$dep")" "MANAGEMENT_HOSTPORT_$(var "$dep")"; do
    if [[ -n "${!hp_var}" ]] && (exec 3<>"/dev/tcp/127.0.0.1/${!hp_var}") 2>/dev/null; then
      fail "port ${!hp_var} (hostPort of $dep in k8s/overlays/podman) is already in use on 127.0.0.1"
    fi
  done
done
played=true
podman network create --subnet "$SUBNET" "$NETWORK" >/dev/null || fail "podman network create $NETWORK failed"
for s in $SECRETS; do
  podman secret create "$s" "$work/secrets/$s.json" >/dev/null || fail "podman secret create $s failed"
done
rm -rf "$work/secrets" "$work/k8s/secrets"

# play FILE IPS...: podman kube play FILE on the network, the pods at IPS.
play() {
  local file="$1" ip ip_args=()
  shift
  for ip in "$@"; do ip_args+=(--ip "$ip"); done
  log "podman kube play --network $NETWORK ${ip_args[*]} $(basename "$file") ..."
  # podman 4.3 logs an error per probe here (healthchecks need systemd): harmless.
  if ! podman kube play --network "$NETWORK" "${ip_args[@]}" "$file" >"$work/play.log" 2>&1; then
    cat "$work/play.log" >&2
    fail "podman kube play $(basename "$file") failed"
  fi
  grep -v -e 'healthchecks' -e 'syslog' -e 'static macs' "$work/play.log" | grep -iE 'error|warn' >&2 || true
}

container_of() { podman ps -a --format '{{.Names}}' | grep -E -- "^$1-pod(-[0-9]+)?-$1\$" | head -n 1; }
# check_running WORKLOAD: fails unless its container is (about to be) running.
# Right after "podman pod start" podman may still report the previous run as
# "stopping" for a moment; that is transient (wait_ready's deadline bounds it),
# "exited" or a missing container is not.
check_running() {
  local state
  state="$(podman inspect --format '{{.State.Status}}' "$(container_of "$1")" 2>/dev/null || echo missing)"
  [[ "$state" == running || "$state" == created || "$state" == configured || "$state" == stopping ]] \
    || fail "$1 container is $state"
}
# check_address WORKLOAD: fails unless its pod has the address its hostAliases give it.
check_address() {
  local ip_var pod_ip
  ip_var="IP_$(var "$1")"
  pod_ip="$(podman inspect --format "{{ (index .NetworkSettings.Networks \"$NETWORK\").IPAddress }}" "$(container_of "$1")" 2>/dev/null || true)"
  [[ -z "$pod_ip" || "$pod_ip" == "${!ip_var}" ]] || fail "$1 runs at $pod_ip, but hostAliases say ${!ip_var}"
  echo "${pod_ip:-?}"
}
# wait_ready DEPLOYMENT: waits for /q/health/ready (which includes the database) on the hostPort of
# its management port (health and metrics are not on the API port).
wait_ready() {
  local hp_var port deadline
  hp_var="MANAGEMENT_HOSTPORT_$(var "$1")"
  port="${!hp_var}"
  [[ -n "$port" ]] || fail "$1 has no hostPort for its management port in the podman overlay"
  deadline=$((SECONDS + WAIT_SECONDS))
  until curl -fsS --max-time 3 -o /dev/null "http://127.0.0.1:$port/q/health/ready" 2>/dev/null; do
    check_running "$1"
    if ((SECONDS >= deadline)); then
      fail "$1 was not ready (/q/health/ready on 127.0.0.1:$port) within ${WAIT_SECONDS}s:" \
        "$(curl -sS --max-time 3 "http://127.0.0.1:$port/q/health/ready" 2>&1 | head -c 400)"
    fi
    sleep 2
  done
}
# psql_in DATABASE PASSWORD SQL: runs SQL in the database's container over TCP
# (127.0.0.1:5432, password authentication) as its POSTGRES_USER on its
# POSTGRES_DB; PASSWORD "" means its own POSTGRES_PASSWORD.
psql_in() {
  podman exec -e "WRONG_PASSWORD=$2" -e "SQL=$3" "$(container_of "$1")" sh -c \
    'PGPASSWORD="${WRONG_PASSWORD:-$POSTGRES_PASSWORD}" PGCONNECT_TIMEOUT=5 psql --no-psqlrc -h 127.0.0.1 -p 5432 \
       -U "$POSTGRES_USER" -d "$POSTGRES_DB" -tA -v ON_ERROR_STOP=1 -c "$SQL"' 2>&1
}

# psql_from OTHER DATABASE: from OTHER's container, over the pod network (the
# name DATABASE, which hostAliases resolve), tries to log in to DATABASE's
# database with OTHER's own user and password (its POSTGRES_USER and
# POSTGRES_PASSWORD: no password leaves its container).
psql_from() {
  local name
  name="$(podman exec "$(container_of "$2")" printenv POSTGRES_DB)" || { echo "no POSTGRES_DB in $2"; return 1; }
  podman exec -e "TARGET_HOST=$2" -e "TARGET_DB=$name" "$(container_of "$1")" sh -c \
    'PGPASSWORD="$POSTGRES_PASSWORD" PGCONNECT_TIMEOUT=5 psql --no-psqlrc -h "$TARGET_HOST" -p 5432 \
       -U "$POSTGRES_USER" -d "$TARGET_DB" -tA -v ON_ERROR_STOP=1 -c "select 1"' 2>&1
}
# psql_app DATABASE SQL: as psql_in, as the service's runtime role (its
# APP_DB_USERNAME and APP_DB_PASSWORD, which k8s/base/db-init created).
psql_app() {
  podman exec -e "SQL=$2" "$(container_of "$1")" sh -c \
    'PGPASSWORD="$APP_DB_PASSWORD" PGCONNECT_TIMEOUT=5 psql --no-psqlrc -h 127.0.0.1 -p 5432 \
       -U "$APP_DB_USERNAME" -d "$POSTGRES_DB" -tA -v ON_ERROR_STOP=1 -c "$SQL"' 2>&1
}
# psql_app_from OTHER DATABASE: as psql_from, with OTHER's runtime role.
psql_app_from() {
  local name
  name="$(podman exec "$(container_of "$2")" printenv POSTGRES_DB)" || { echo "no POSTGRES_DB in $2"; return 1; }
  podman exec -e "TARGET_HOST=$2" -e "TARGET_DB=$name" "$(container_of "$1")" sh -c \
    'PGPASSWORD="$APP_DB_PASSWORD" PGCONNECT_TIMEOUT=5 psql --no-psqlrc -h "$TARGET_HOST" -p 5432 \
       -U "$APP_DB_USERNAME" -d "$TARGET_DB" -tA -v ON_ERROR_STOP=1 -c "select 1"' 2>&1
}
# A refused login, as opposed to a database that could not be reached at all.
refused() { grep -q 'password authentication failed' <<<"$1"; }

# --- 6a. the databases -----------------------------------------------------------
if [[ -n "$DATABASES" ]]; then
  play "$work/play-db.yaml" $DB_PLAY_IPS
  for db in $DATABASES; do
    deadline=$((SECONDS + WAIT_SECONDS))
    # Over TCP, which the entrypoint opens only once the database and its user exist.
    until podman exec "$(container_of "$db")" pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; do
      check_running "$db"
      ((SECONDS < deadline)) || fail "$db did not accept connections on 5432 within ${WAIT_SECONDS}s"
      sleep 1
    done
    addr="$(check_address "$db")"
    # The generated credentials (Secret <db>-credentials) log in; another password does not.
    who="$(psql_in "$db" "" "select current_user || '@' || current_database()")" \
      || fail "$db: its own credentials do not log in: $who"
    if out="$(psql_in "$db" "not-the-password" "select 1")" || ! refused "$out"; then
      fail "$db: a wrong password is not refused: $out"
    fi
    log "$db accepts connections at $addr:5432 with its credentials ($who), not with a wrong password"
    # The runtime role the service connects as: logs in, may not change the schema.
    app="$(psql_app "$db" "select current_user || '@' || current_database()")" \
      || fail "$db: its runtime role does not log in: $app"
    if out="$(psql_app "$db" "create table not_allowed (x int)")" || ! grep -q 'permission denied' <<<"$out"; then
      fail "$db: its runtime role may create a table: $out"
    fi
    log "$db lets its runtime role $app in, without the right to create a table"
  done
  # Database per Service: no database lets another database's owner in (each
  # service holds its own database's credentials only).
  for db in $DATABASES; do
    others=()
    for other in $DATABASES; do
      [[ "$other" == "$db" ]] && continue
      if out="$(psql_from "$other" "$db")" || ! refused "$out"; then
        fail "$db: the credentials of $other are not refused: $out"
      fi
      if out="$(psql_app_from "$other" "$db")" || ! refused "$out"; then
        fail "$db: the runtime role of $other is not refused: $out"
      fi
      others+=("$other")
    done
    if ((${#others[@]})); then log "$db refuses the credentials of ${others[*]}"; fi
  done
fi

# --- 6b. the services ------------------------------------------------------------
play "$work/play.yaml" $PLAY_IPS
for dep in $DEPLOYMENTS; do
  wait_ready "$dep"
  hp_var="HOSTPORT_$(var "$dep")"
  log "$dep is ready on 127.0.0.1:${!hp_var} (pod address $(check_address "$dep"))"
done
# Each service migrated its own database at start-up (Flyway), with that
# database's credentials: the only ones it holds.
for db in $DATABASES; do
  migrations="$(psql_in "$db" "" "select count(*) from flyway_schema_history where success")" \
    || fail "$db: no Flyway history (did its service migrate it?): $migrations"
  [[ "$migrations" =~ ^[1-9][0-9]*$ ]] || fail "$db: no successful Flyway migration: $migrations"
  log "$db holds $migrations successful Flyway migration(s) of its service"
done

# --- 7. walkthrough --------------------------------------------------------------
gw="http://127.0.0.1:${HOSTPORT_api_gateway:?the podman overlay has no api-gateway hostPort}"
# request METHOD PATH [BODY [CONTENT_TYPE]]: sets $status and $body. The body
# (a password, a refresh token) goes through stdin, not the command line.
request() {
  local out args=(-X "$1")
  [[ -n "${token:-}" ]] && args+=(-H "Authorization: Bearer $token")
  [[ -n "${idempotency_key:-}" ]] && args+=(-H "Idempotency-Key: $idempotency_key")
  [[ $# -ge 3 ]] && args+=(--data-binary @-)
  out="$(printf '%s' "${3:-}" | curl -sS --max-time 20 -o "$work/body" -w '%{http_code}' "${args[@]}" \
    -H "Content-Type: ${4:-application/json}" -H 'Accept: application/json' "$gw$2")" || fail "$1 $2: curl failed"
  status="$out"
  body="$(cat "$work/body")"
  # Tokens are not logged.
  log "$1 $2 -> $status $(sed -E 's/"(access_token|refresh_token|id_token)":"[^"]*"/"\1":"<redacted>"/g' <<<"$body" | head -c 300)"
}
expect() { [[ "$status" == "$1" ]] || fail "$2: expected HTTP $1, got $status: $(head -c 300 <<<"$body")"; }

token=
request POST /auth/login '{"username":"alice","password":"alice"}'
expect 200 "login"
token="$(jq -r '.access_token // empty' <<<"$body")"
[[ -n "$token" ]] || fail "login: no access_token in the answer"
# The session: kept in gateway-db, used after the gateway's restart (step 9).
refresh_token="$(jq -r '.refresh_token // empty' <<<"$body")"
[[ -n "$refresh_token" ]] || fail "login: no refresh_token in the answer"

# As a client should: with an Idempotency-Key, and again with the same key when the answer is a 503/504 (a
# cold customer-service may miss order-service's 1 s read timeout on the first call); the same order comes
# back, settled by then or by the reconciler.
idempotency_key="podman-walkthrough-$(date +%s)"
for attempt in 1 2 3; do
  request POST /api/orders '{"amount":25.00,"description":"podman walkthrough"}'
  [[ "$status" == 503 || "$status" == 504 || "$status" == 409 ]] || break
  log "place order: $status on attempt $attempt; the same Idempotency-Key again in 2 s"
  sleep 2
done
idempotency_key=
[[ "$status" == 201 || "$status" == 200 ]] || fail "place order: expected HTTP 201 (or 200 for a retried key), got $status: $(head -c 300 <<<"$body")"
order_id="$(jq -r '.id // empty' <<<"$body")"
order_state="$(jq -r '.state // .status // empty' <<<"$body")"
for _ in $(seq 1 30); do
  [[ "$order_state" == PENDING && -n "$order_id" ]] || break
  sleep 1
  request GET "/api/orders/$order_id"
  order_state="$(jq -r '.state // empty' <<<"$body")"
done
[[ -n "$order_id" ]] || fail "place order: no id in the answer"
[[ "$order_state" == APPROVED ]] || fail "place order: state is '$order_state', expected APPROVED"

request GET "/api/orders/$order_id"
expect 200 "read order"
jq -e '.customer.id and .customer.name' <<<"$body" >/dev/null || fail "read order: no customer {id, name} in the answer"
[[ "$(jq -r '.id' <<<"$body")" == "$order_id" ]] || fail "read order: another order came back"

request GET /api/trace
expect 200 "trace"
# The hops may be at the top level or nested: find each service's tokenId.
ids="$(jq -r '[.. | objects | to_entries[] | select(.key == "api-gateway" or .key == "order-service" or .key == "customer-service")
              | select(.value | type == "object") | {(.key): .value.tokenId}] | add // {} | tojson' <<<"$body")"
for svc in api-gateway order-service customer-service; do
  [[ -n "$(jq -r --arg s "$svc" '.[$s] // empty' <<<"$ids")" ]] || fail "trace: no tokenId at $svc"
done
[[ "$(jq -r '[.[]] | unique | length' <<<"$ids")" == 1 ]] || fail "trace: the tokenIds differ: $ids"
log "trace: the same tokenId $(jq -r '.["api-gateway"]' <<<"$ids") at api-gateway, order-service and customer-service"

# restart_pod DEPLOYMENT: stops its whole pod (every container; its /tmp volume
# stays but the process and its memory go), starts it again, waits until ready.
restart_pod() {
  local ctr pod before
  ctr="$(container_of "$1")"
  pod="$(podman inspect --format '{{.Pod}}' "$ctr")"
  before="$(podman inspect --format '{{.State.StartedAt}}' "$ctr")"
  log "restarting $1's pod $(podman pod inspect --format '{{.Name}}' "$pod") ..."
  podman pod stop -t 20 "$pod" >/dev/null || fail "podman pod stop of $1 failed"
  podman pod start "$pod" >/dev/null || fail "podman pod start of $1 failed"
  [[ "$(podman inspect --format '{{.State.StartedAt}}' "$ctr")" != "$before" ]] || fail "$1's container did not restart"
  wait_ready "$1"
  log "$1 is ready again (pod address $(check_address "$1"))"
}

# --- 8. the order outlives order-service's pod -----------------------------------
# Its state is in order-db, not in the pod: restart the pod and read the order
# through the gateway.
restart_pod order-service
request GET "/api/orders/$order_id"
# The gateway may still hold a keep-alive connection to the old process; its REST
# client tries a GET whose connection broke once more (OnBrokenConnection), so the
# first read after the restart must already succeed.
expect 200 "read the order after order-service's restart"
[[ "$(jq -r '.id' <<<"$body")" == "$order_id" ]] || fail "after the restart: another order came back"
[[ "$(jq -r '.state // .status // empty' <<<"$body")" == "$order_state" ]] \
  || fail "after the restart: state is '$(jq -r '.state // .status // empty' <<<"$body")', was '$order_state'"
log "order $order_id is still $order_state after order-service's restart"

# --- 9. the session outlives api-gateway's pod -----------------------------------
# Sessions (refresh tokens) are in gateway-db, which the gateway's replicas
# share, not in a pod: restart the gateway's pod, get a new access token with
# the login's refresh token (rotated: a new one comes back), and read the order.
restart_pod api-gateway
token=
request POST /auth/token "grant_type=refresh_token&refresh_token=$(jq -Rr '@uri' <<<"$refresh_token")" \
  application/x-www-form-urlencoded
expect 200 "refresh the session after api-gateway's restart"
token="$(jq -r '.access_token // empty' <<<"$body")"
rotated="$(jq -r '.refresh_token // empty' <<<"$body")"
[[ -n "$token" ]] || fail "refresh: no access_token in the answer"
[[ -n "$rotated" && "$rotated" != "$refresh_token" ]] || fail "refresh: the refresh token was not rotated"
refresh_token=
request GET "/api/orders/$order_id"
expect 200 "read the order with the refreshed token"
[[ "$(jq -r '.id' <<<"$body")" == "$order_id" ]] || fail "with the refreshed token: another order came back"
log "the session outlived api-gateway's restart: refreshed, rotated, and order $order_id read with the new token"

token=
for dep in $DEPLOYMENTS; do
  hp_var="MANAGEMENT_HOSTPORT_$(var "$dep")"
  live="$(curl -fsS --max-time 5 "http://127.0.0.1:${!hp_var}/q/health/live")" || fail "$dep: /q/health/live does not answer"
  [[ "$(jq -r .status <<<"$live")" == UP ]] || fail "$dep: /q/health/live is not UP: $live"
  # Metrics on the same management port; the API port serves neither.
  metrics="$(curl -fsS --max-time 5 "http://127.0.0.1:${!hp_var}/q/metrics")" || fail "$dep: /q/metrics does not answer"
  grep -q '^http_server_requests_seconds_count{' <<<"$metrics" || fail "$dep: /q/metrics has no http_server_requests"
  api_var="HOSTPORT_$(var "$dep")"
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:${!api_var}/q/metrics")"
  [[ "$code" == 404 ]] || fail "$dep: its API port answers /q/metrics with $code, expected 404"
done
log "every service answers /q/health/live with UP and /q/metrics on its management port only"

passed="$(wc -w <<<"$DATABASES") databases accept their own credentials only; login, order $order_id APPROVED with its customer, one tokenId through api-gateway, order-service and customer-service; the order survives a restart of order-service's pod, the session one of api-gateway's; $(wc -w <<<"$DEPLOYMENTS") services live"
