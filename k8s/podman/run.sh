#!/usr/bin/env bash
# Plays the project's real Kubernetes manifests (k8s/overlays/podman, on top of
# the JVM overlay) on a real container engine, podman, on this machine, and
# walks through the Access Token flow against them:
#   login -> place an order -> read it with its customer -> trace the token
#   through api-gateway, order-service and customer-service.
#
# Usage (from anywhere, as root): bash k8s/podman/run.sh
# Environment (all optional):
#   KEEP=1           leave the pods running at the end (clean up by hand with
#                    `bash k8s/podman/run.sh --down`)
#   REBUILD_BASE=1   rebuild the cached local base image
#   WAIT_SECONDS=240 how long to wait for the services to come up
#   BASE_IMAGE, BASE_SUITE, JRE_PACKAGE, DEBIAN_MIRROR: see base-image.sh
#
# Steps:
#   1. installs podman and the tools from Debian's packages if missing;
#   2. builds (once, cached) a local Java 21 base image: no registry is needed;
#   3. writes the Secrets' key material (k8s/generate-secrets.sh) if missing;
#   4. packages the services (./mvnw package) if a target/quarkus-app is
#      missing, and builds each image with the service's own
#      src/main/docker/Dockerfile.jvm on the local base;
#   5. renders the overlay with `kubectl kustomize`, creates the Secrets with
#      `podman secret create` (Secret documents are stripped: podman 4.3 does
#      not take them) and plays the rest with `podman kube play` on a network
#      of its own, each pod at the address its hostAliases give it;
#   6. waits for /q/health/live of every pod on its hostPort (127.0.0.1),
#      runs the walkthrough and cleans up (pods, Secrets, volumes, network),
#      on failure too.
# Prints "PODMAN WALKTHROUGH: PASS" or "PODMAN WALKTHROUGH: FAIL (...)" last,
# and exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
export BASE_IMAGE="${BASE_IMAGE:-localhost/access-token/base-jre:21}"
NETWORK="${NETWORK:-access-token-podman}"
WAIT_SECONDS="${WAIT_SECONDS:-240}"
PY=/usr/bin/python3
work="$(mktemp -d /tmp/access-token-podman.XXXXXX)"
started=$SECONDS
played=false
failure=
kept_env=/tmp/access-token-podman.env
kept_play=/tmp/access-token-podman.play.yaml

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
# Removes what a play leaves: pods (kube down), the Secrets, the named volumes
# podman made for secret and emptyDir volumes, and the network.
teardown() {
  local play="$1"
  [[ -f "$play" ]] && podman kube down "$play" >/dev/null 2>&1 || true
  local s v
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
    cp "$work/env" "$kept_env" 2>/dev/null || true
  elif [[ "$played" == true ]]; then
    log "cleaning up ..."
    teardown "$work/play.yaml"
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
  teardown "$kept_play"
  rm -f "$kept_play" "$kept_env"
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
if [[ ! -f k8s/secrets/kustomization.yaml ]]; then
  log "generating the Secrets' key material (k8s/generate-secrets.sh) ..."
  bash k8s/generate-secrets.sh >&2 || fail "k8s/generate-secrets.sh failed"
fi

# --- render + prepare ------------------------------------------------------------
kubectl kustomize k8s/overlays/podman >"$work/rendered.yaml" || fail "kubectl kustomize k8s/overlays/podman failed"
"$PY" "$here/prepare.py" "$work/rendered.yaml" "$work" || fail "could not prepare the rendered YAML for podman"
# shellcheck disable=SC1091
. "$work/env"
log "deployments: $DEPLOYMENTS"

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

# --- 5. play ---------------------------------------------------------------------
teardown "$work/play.yaml"   # leftovers of an earlier run that was killed
for dep in $DEPLOYMENTS; do
  hp_var="HOSTPORT_$(var "$dep")"
  if [[ -n "${!hp_var}" ]] && (exec 3<>"/dev/tcp/127.0.0.1/${!hp_var}") 2>/dev/null; then
    fail "port ${!hp_var} (hostPort of $dep in k8s/overlays/podman) is already in use on 127.0.0.1"
  fi
done
played=true
podman network create --subnet "$SUBNET" "$NETWORK" >/dev/null || fail "podman network create $NETWORK failed"
for s in $SECRETS; do
  podman secret create "$s" "$work/secrets/$s.json" >/dev/null || fail "podman secret create $s failed"
done
rm -rf "$work/secrets"
ip_args=()
for ip in $PLAY_IPS; do ip_args+=(--ip "$ip"); done
log "podman kube play --network $NETWORK ${ip_args[*]} ..."
# podman 4.3 logs an error per probe here (healthchecks need systemd): harmless.
if ! podman kube play --network "$NETWORK" "${ip_args[@]}" "$work/play.yaml" >"$work/play.log" 2>&1; then
  cat "$work/play.log" >&2
  fail "podman kube play failed"
fi
grep -v -e 'healthchecks' -e 'syslog' -e 'static macs' "$work/play.log" | grep -iE 'error|warn' >&2 || true

container_of() { podman ps -a --format '{{.Names}}' | grep -E -- "^$1-pod(-[0-9]+)?-$1\$" | head -n 1; }

# --- 6. wait for liveness ------------------------------------------------------
for dep in $DEPLOYMENTS; do
  hp_var="HOSTPORT_$(var "$dep")"; ip_var="IP_$(var "$dep")"
  port="${!hp_var}"
  [[ -n "$port" ]] || fail "$dep has no hostPort in the podman overlay"
  deadline=$((SECONDS + WAIT_SECONDS))
  until curl -fsS --max-time 3 -o /dev/null "http://127.0.0.1:$port/q/health/live" 2>/dev/null; do
    ctr="$(container_of "$dep")"
    state="$(podman inspect --format '{{.State.Status}}' "$ctr" 2>/dev/null || echo missing)"
    [[ "$state" == running || "$state" == created || "$state" == configured ]] || fail "$dep container is $state"
    ((SECONDS < deadline)) || fail "$dep did not answer /q/health/live on 127.0.0.1:$port within ${WAIT_SECONDS}s"
    sleep 2
  done
  pod_ip="$(podman inspect --format "{{ (index .NetworkSettings.Networks \"$NETWORK\").IPAddress }}" "$(container_of "$dep")" 2>/dev/null || true)"
  [[ -z "$pod_ip" || "$pod_ip" == "${!ip_var}" ]] || fail "$dep runs at $pod_ip, but hostAliases say ${!ip_var}"
  log "$dep is live on 127.0.0.1:$port (pod address ${pod_ip:-?})"
done

# --- 7. walkthrough --------------------------------------------------------------
gw="http://127.0.0.1:${HOSTPORT_api_gateway:?the podman overlay has no api-gateway hostPort}"
# request METHOD PATH [BODY]: sets $status and $body
request() {
  local out args=(-X "$1")
  [[ -n "${token:-}" ]] && args+=(-H "Authorization: Bearer $token")
  [[ $# -ge 3 ]] && args+=(--data "$3")
  out="$(curl -sS --max-time 20 -o "$work/body" -w '%{http_code}' "${args[@]}" \
    -H 'Content-Type: application/json' -H 'Accept: application/json' "$gw$2")" || fail "$1 $2: curl failed"
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

request POST /api/orders '{"amount":25.00,"description":"podman walkthrough"}'
expect 201 "place order"
order_id="$(jq -r '.id // empty' <<<"$body")"
order_state="$(jq -r '.state // .status // empty' <<<"$body")"
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

token=
for dep in $DEPLOYMENTS; do
  hp_var="HOSTPORT_$(var "$dep")"
  live="$(curl -fsS --max-time 5 "http://127.0.0.1:${!hp_var}/q/health/live")" || fail "$dep: /q/health/live does not answer"
  [[ "$(jq -r .status <<<"$live")" == UP ]] || fail "$dep: /q/health/live is not UP: $live"
done
log "every container answers /q/health/live with UP"

passed="login, order $order_id APPROVED with its customer, one tokenId through api-gateway, order-service and customer-service, 3 pods live"
