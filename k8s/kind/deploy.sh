#!/usr/bin/env bash
# Deploys the built images to a kind cluster with the project's own manifests and walks through the
# Access Token flow: what .github/workflows/native.yml and jvm.yml run after the build. Runs locally
# too, where docker (or podman), kind and kubectl exist.
# Usage: k8s/kind/deploy.sh native|jvm [CLUSTER]
#   native: images access-token/<service>:1.0.0-native, manifests k8s/ (the native overlay)
#   jvm:    images access-token/<service>:1.0.0-jvm,    manifests k8s/overlays/jvm
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
kind_of="${1:?native or jvm}" cluster="${2:-kind}"
case "$kind_of" in
  native) tag=1.0.0-native manifests=k8s ;;
  jvm) tag=1.0.0-jvm manifests=k8s/overlays/jvm ;;
  *) echo "deploy.sh: native or jvm, not $kind_of" >&2; exit 2 ;;
esac
ns=access-token

for s in api-gateway order-service customer-service; do
  kind load docker-image --name "$cluster" "access-token/$s:$tag"
done

# Real random passwords (never the demo ones: the prod profile refuses them); kind's pod network stands in
# for an ingress controller's addresses, which a real deployment must name.
TRUSTED_PROXIES="${TRUSTED_PROXIES:-10.244.0.0/16}" bash k8s/generate-secrets.sh
kubectl apply -k "$manifests"

# Every rollout, not only the gateway's: the databases first, then the services that need them.
for db in gateway-db order-db customer-db; do
  kubectl -n "$ns" rollout status "statefulset/$db" --timeout=300s
done
for s in customer-service order-service api-gateway; do
  kubectl -n "$ns" rollout status "deployment/$s" --timeout=300s
done

kubectl -n "$ns" port-forward service/api-gateway 18080:8080 >/tmp/port-forward.log 2>&1 &
forward=$!
trap 'kill $forward 2>/dev/null || true' EXIT
for _ in $(seq 1 30); do
  curl -s -o /dev/null localhost:18080/.well-known/jwks.json && break
  sleep 1
done

user=alice
password="${WALKTHROUGH_PASSWORD:-}"
if [[ -z "$password" && -f k8s/secrets/user-passwords.txt ]]; then
  password=$(sed -n "s/^${user}: //p" k8s/secrets/user-passwords.txt)
fi
bash k8s/kind/walkthrough.sh http://localhost:18080 "$user" "${password:?no password for $user: set WALKTHROUGH_PASSWORD}"
