#!/usr/bin/env bash
# The README's walkthrough against a deployed gateway, failing loudly at the first wrong answer:
# login -> place an order (APPROVED) -> read it with its customer (3 hops) -> trace the token (same
# subject at every hop). Used by the GitHub workflows after `kubectl apply` on kind.
# Usage: k8s/kind/walkthrough.sh BASE_URL USERNAME PASSWORD     (e.g. http://localhost:8080 alice '...')
set -euo pipefail
base="$1" user="$2" password="$3"
need() { command -v "$1" >/dev/null || { echo "walkthrough: needs $1" >&2; exit 1; }; }
need curl; need jq

login=$(curl -sS --fail-with-body "$base/auth/login" -H 'Content-Type: application/json' \
  -d "$(jq -n --arg u "$user" --arg p "$password" '{username: $u, password: $p}')")
token=$(jq -er .access_token <<<"$login")
echo "login: token for $user, expires in $(jq -r .expires_in <<<"$login") s"

key="walkthrough-$(date +%s)-$$"
order=$(curl -sS --fail-with-body "$base/api/orders" -H "Authorization: Bearer $token" \
  -H "Idempotency-Key: $key" -H 'Content-Type: application/json' \
  -d '{"amount":25.00,"description":"walkthrough"}')
id=$(jq -er .id <<<"$order")
status=$(jq -er .state <<<"$order")
echo "order: $id $status"
[[ "$status" == APPROVED ]] || { echo "walkthrough: expected APPROVED, got $order" >&2; exit 1; }

details=$(curl -sS --fail-with-body "$base/api/orders/$id" -H "Authorization: Bearer $token")
jq -e --arg id "$id" '.id == $id and (.customer.id | length > 0)' <<<"$details" >/dev/null \
  || { echo "walkthrough: the order with its customer was not read back: $details" >&2; exit 1; }
echo "read: $id with its customer"

trace=$(curl -sS --fail-with-body "$base/api/trace" -H "Authorization: Bearer $token")
subjects=$(jq -r '[.[] | .subject] | unique | join(",")' <<<"$trace")
[[ "$subjects" == "$user" ]] || { echo "walkthrough: expected $user at every hop, got $trace" >&2; exit 1; }
echo "trace: $user at every hop ($(jq -r 'keys | join(" -> ")' <<<"$trace"))"
