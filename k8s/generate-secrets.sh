#!/usr/bin/env bash
# Writes the Secrets that k8s/base needs into k8s/secrets/ (gitignored):
#   jwt-signing-key  private-key.pem (RSA 2048, PKCS#8 PEM), public-key.pem,
#                    previous-public-keys.pem (retired public keys the gateway's
#                    JWKS keeps publishing after --rotate; comments otherwise)
#   gateway-users    alice-password-hash, bob-password-hash, admin-password-hash
#   api-gateway-tls  tls.crt, tls.key (type kubernetes.io/tls): a self-signed
#                    certificate (EC P-256, 365 days) for the Ingress host
#                    access-token.local. With a real certificate or cert-manager,
#                    replace this Secret: put your tls.crt and tls.key in
#                    OUTPUT_DIR (kept like any existing ones), or drop its entry
#                    from the kustomization.yaml written here and let
#                    cert-manager own the Secret.
#   gateway-db-credentials   username (api_gateway), password
#   order-db-credentials     username (order_service), password
#   customer-db-credentials  username (customer_service), password
#                    each database's owner: random passwords (192 bits, hex),
#                    read by the database and by its own service only.
#   order-service-client     client-secret (random, 256 bits, hex): order-service's
#                    secret for the client-credentials grant at the gateway;
#                    client-secret-hash: its bcrypt hash ($2a$, cost 10), which
#                    is all the gateway gets.
# as files plus a kustomization.yaml with a secretGenerator that base/ includes.
#
# Usage: k8s/generate-secrets.sh [--force | --rotate] [OUTPUT_DIR]
#   --rotate makes a new signing key and keeps the old public key in
#   previous-public-keys.pem, so that tokens it signed stay valid until they
#   expire (the gateway's JWKS publishes both); retired keys older than
#   RETIRE_AFTER_SECONDS (default 600: twice the longest token lifetime, 300 s)
#   are dropped at the same time. Nothing else changes. Then apply and restart
#   the gateway (see k8s/README.md, "Rotating the signing key").
#   An existing key pair is kept unless --force is given (a new key invalidates
#   every token issued so far; restart the gateway after replacing it:
#   kubectl -n access-token rollout restart deployment/api-gateway).
#   An existing TLS certificate and key are kept unless --force is given too; to
#   renew only the certificate, delete tls.crt and tls.key and run it again.
#   The database passwords and the client secret are kept unless --force is
#   given too; to renew one of them only, delete its .env file. A database takes
#   its password once, when it initialises its empty volume: after a new one,
#   set it in the running database (ALTER ROLE ... PASSWORD) or start from an
#   empty volume, then restart the database's service. A new client secret
#   takes a restart of the gateway and of order-service.
#   The demo users' bcrypt hashes (cost 10) are of the demo passwords
#   alice/alice, bob/bob, admin/admin; to use other passwords, pass other
#   hashes ($2a$ prefix) in GATEWAY_USERS_ALICE_PASSWORD_HASH,
#   GATEWAY_USERS_BOB_PASSWORD_HASH, GATEWAY_USERS_ADMIN_PASSWORD_HASH.
# Needs: bash, openssl; for the client secret's bcrypt hash one of htpasswd
# (Debian: apache2-utils), python3 with the bcrypt module (python3-bcrypt), or
# python3 up to 3.12 (its crypt module, on a libxcrypt with bcrypt: Debian 12).
set -euo pipefail

force=false rotate=false
if [[ "${1:-}" == "--force" ]]; then force=true; shift; fi
if [[ "${1:-}" == "--rotate" ]]; then rotate=true; shift; fi
RETIRE_AFTER_SECONDS="${RETIRE_AFTER_SECONDS:-600}"
out="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets}"

umask 077
mkdir -p "$out"

previous="$out/previous-public-keys.pem"
if [[ "$rotate" == true ]]; then
  [[ -s "$out/private-key.pem" ]] || { echo "--rotate: no signing key in $out to rotate" >&2; exit 1; }
  now=$(date +%s)
  {
    echo "# Retired signing keys, still published in the JWKS until their tokens have expired."
    # Keep the retired keys younger than RETIRE_AFTER_SECONDS, each with its '# retired <epoch>' line.
    if [[ -f "$previous" ]]; then
      awk -v cutoff=$((now - RETIRE_AFTER_SECONDS)) \
        '/^# retired [0-9]+$/ { keep = ($3 >= cutoff) } /^# retired / || /^-----/ || /^[A-Za-z0-9+\/=]+$/ { if (keep) print }' "$previous"
    fi
    echo "# retired $now"
    openssl pkey -in "$out/private-key.pem" -pubout
  } > "$previous.new"
  mv "$previous.new" "$previous"
  echo "Retired the signing key's public key into $previous."
fi
if [[ -s "$out/private-key.pem" && "$force" == false && "$rotate" == false ]]; then
  echo "Keeping the existing key pair in $out (use --rotate or --force to replace it)."
else
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$out/private-key.pem.new" 2>/dev/null
  openssl pkey -in "$out/private-key.pem.new" -pubout -out "$out/public-key.pem"
  mv "$out/private-key.pem.new" "$out/private-key.pem"
  echo "Wrote a new RSA 2048 key pair to $out."
fi

if [[ ! -f "$previous" || "$force" == true ]]; then
  echo "# Retired signing keys, still published in the JWKS until their tokens have expired: none yet." > "$previous"
fi

# Self-signed certificate for the Ingress host (k8s/base/api-gateway.yaml); the
# SAN is what clients check. Users with cert-manager or a real certificate
# replace the Secret api-gateway-tls.
tls_host=access-token.local
if [[ -s "$out/tls.crt" && -s "$out/tls.key" && "$force" == false ]]; then
  echo "Keeping the existing TLS certificate in $out (use --force to replace it)."
else
  if ! err="$(openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 \
      -subj "/CN=$tls_host" -addext "subjectAltName=DNS:$tls_host" \
      -keyout "$out/tls.key.new" -out "$out/tls.crt.new" 2>&1)"; then
    echo "openssl could not write the TLS certificate:" >&2
    echo "$err" >&2
    rm -f "$out/tls.key.new" "$out/tls.crt.new"
    exit 1
  fi
  mv "$out/tls.key.new" "$out/tls.key"
  mv "$out/tls.crt.new" "$out/tls.crt"
  echo "Wrote a new self-signed TLS certificate for $tls_host (EC P-256, 365 days) to $out."
fi

# Demo passwords only; generated once with jBCrypt (cost 10).
alice="${GATEWAY_USERS_ALICE_PASSWORD_HASH:-\$2a\$10\$N275DL4/t1k4x94txkeeuujOnMjAJ1HQV4Mcmhj3GvRTxSGp.Qv4O}"
bob="${GATEWAY_USERS_BOB_PASSWORD_HASH:-\$2a\$10\$gveQRB3xO9Z/jjcTua6cNuctWoHDAHsvzIQD0GZRPSfcamXWAYlB.}"
admin="${GATEWAY_USERS_ADMIN_PASSWORD_HASH:-\$2a\$10\$dH645pPuRoqytt8DVSUxm.LnQo3bdDelDPBqdAdyv4IgydPqLsEDO}"
cat > "$out/gateway-users.env" <<USERS
alice-password-hash=$alice
bob-password-hash=$bob
admin-password-hash=$admin
USERS

# A random hex string of $1 bytes.
random_hex() { openssl rand -hex "$1"; }

# Prints the bcrypt hash ($2a$, cost 10) of $1, which is passed on stdin or in
# the environment, never on a command line. htpasswd writes $2y$, libxcrypt
# $2b$: for a secret of ASCII characters under 72 bytes, as here, the three
# variants compute the same hash, so only the prefix is set to the gateway's $2a$.
bcrypt_hash() {
  local hash=""
  if command -v htpasswd >/dev/null; then
    hash="$(printf '%s' "$1" | htpasswd -niBC 10 client 2>/dev/null | cut -d: -f2-)" || hash=""
  fi
  if [[ -z "$hash" ]] && command -v python3 >/dev/null; then
    hash="$(BCRYPT_SECRET="$1" python3 -c '
import os, warnings
secret = os.environ["BCRYPT_SECRET"]
try:
    import bcrypt
    print(bcrypt.hashpw(secret.encode(), bcrypt.gensalt(rounds=10, prefix=b"2a")).decode())
except ImportError:
    warnings.simplefilter("ignore")
    import crypt
    print(crypt.crypt(secret, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1 << 10)))
' 2>/dev/null)" || hash=""
  fi
  if [[ ! "$hash" =~ ^\$2[aby]\$10\$[./A-Za-z0-9]{53}$ ]]; then
    echo "Cannot make a bcrypt hash: install htpasswd (Debian: apache2-utils) or python3-bcrypt." >&2
    return 1
  fi
  printf '$2a%s\n' "${hash:3}"
}

# Whether to keep the env file $1 of a Secret: not with --force, nor when one
# of the keys $2... is missing or empty.
keep_env() {
  local file="$1" key
  shift
  [[ "$force" == false && -s "$file" ]] || return 1
  for key in "$@"; do
    grep -q "^$key=." "$file" || return 1
  done
}

for db in gateway:api_gateway order:order_service customer:customer_service; do
  name="${db%%:*}-db-credentials"
  user="${db#*:}"
  if keep_env "$out/$name.env" username password; then
    echo "Keeping the existing $name in $out (use --force to replace it)."
  else
    printf 'username=%s\npassword=%s\n' "$user" "$(random_hex 24)" > "$out/$name.env.new"
    mv "$out/$name.env.new" "$out/$name.env"
    echo "Wrote a new random password for the database user $user to $out/$name.env."
  fi
done

if keep_env "$out/order-service-client.env" client-secret client-secret-hash; then
  echo "Keeping the existing order-service-client secret in $out (use --force to replace it)."
else
  client_secret="$(random_hex 32)"
  client_hash="$(bcrypt_hash "$client_secret")"
  printf 'client-secret=%s\nclient-secret-hash=%s\n' "$client_secret" "$client_hash" > "$out/order-service-client.env.new"
  mv "$out/order-service-client.env.new" "$out/order-service-client.env"
  echo "Wrote a new random client secret for order-service and its bcrypt hash to $out/order-service-client.env."
fi

cat > "$out/kustomization.yaml" <<'KUSTOMIZATION'
# Generated by k8s/generate-secrets.sh; never committed.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
generatorOptions:
  # Stable names: the Deployments and the docs refer to them.
  disableNameSuffixHash: true
secretGenerator:
  - name: jwt-signing-key
    type: Opaque
    files:
      - private-key.pem
      - public-key.pem
      - previous-public-keys.pem
  - name: gateway-users
    type: Opaque
    envs:
      - gateway-users.env
  # Self-signed, for the Ingress (see k8s/generate-secrets.sh); with
  # cert-manager, remove this entry and let it provide api-gateway-tls.
  - name: api-gateway-tls
    type: kubernetes.io/tls
    files:
      - tls.crt
      - tls.key
  # Each database's owner, read by the database and by its own service only.
  - name: gateway-db-credentials
    type: Opaque
    envs:
      - gateway-db-credentials.env
  - name: order-db-credentials
    type: Opaque
    envs:
      - order-db-credentials.env
  - name: customer-db-credentials
    type: Opaque
    envs:
      - customer-db-credentials.env
  # order-service's client credentials: client-secret for order-service,
  # client-secret-hash for the gateway.
  - name: order-service-client
    type: Opaque
    envs:
      - order-service-client.env
KUSTOMIZATION
# --- order-cursor-key (issue 19): order-service's pagination-cursor HMAC key -----------------------------
# key: random, 256 bits, hex; every order-service replica reads it (ORDERS_CURSOR_KEY), so that a cursor one
# replica gave out is recognised by all. Kept unless --force; to rotate it, delete order-cursor-key.env, run
# this again, apply and restart order-service: the cursors given out before answer 400 "start again from the
# first page". Appended to the secretGenerator written above, its last list.
if keep_env "$out/order-cursor-key.env" key; then
  echo "Keeping the existing order-cursor-key in $out (use --force to replace it)."
else
  printf 'key=%s\n' "$(random_hex 32)" > "$out/order-cursor-key.env.new"
  mv "$out/order-cursor-key.env.new" "$out/order-cursor-key.env"
  echo "Wrote a new random cursor key for order-service to $out/order-cursor-key.env."
fi
cat >> "$out/kustomization.yaml" <<'CURSOR_KEY'
  # order-service's pagination-cursor key, the same for every replica.
  - name: order-cursor-key
    type: Opaque
    envs:
      - order-cursor-key.env
CURSOR_KEY
# --- end of order-cursor-key ---------------------------------------------------------------------------------

chmod 600 "$out"/*
echo "Wrote $out/kustomization.yaml (Secrets jwt-signing-key, gateway-users, api-gateway-tls," \
  "gateway-db-credentials, order-db-credentials, customer-db-credentials, order-service-client)."
