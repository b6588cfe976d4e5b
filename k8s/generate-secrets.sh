#!/usr/bin/env bash
# Writes the Secrets that k8s/base needs into k8s/secrets/ (gitignored):
#   jwt-signing-key  private-key.pem (RSA 2048, PKCS#8 PEM), public-key.pem,
#                    previous-public-keys.pem (retired public keys the gateway's
#                    JWKS keeps publishing after --rotate; comments otherwise)
#   gateway-users    alice-password-hash, bob-password-hash, admin-password-hash:
#                    bcrypt hashes ($2a$, cost 10) of a random password per user
#                    (144 bits, base64url), which the script writes in clear
#                    text to user-passwords.txt beside the Secrets (not part of
#                    any Secret; hand them out, then delete the file). With
#                    --demo: the demo passwords alice/alice, bob/bob, admin/admin.
#   api-gateway-tls  tls.crt, tls.key (type kubernetes.io/tls): a self-signed
#                    certificate (EC P-256, 365 days) for the Ingress host
#                    access-token.local. With a real certificate or cert-manager,
#                    replace this Secret: put your tls.crt and tls.key in
#                    OUTPUT_DIR (kept like any existing ones), or drop its entry
#                    from the kustomization.yaml written here and let
#                    cert-manager own the Secret.
#   gateway-db-credentials   username (api_gateway), password,
#                            app-username (api_gateway_app), app-password
#   order-db-credentials     username (order_service), password,
#                            app-username (order_service_app), app-password
#   customer-db-credentials  username (customer_service), password,
#                            app-username (customer_service_app), app-password
#                    each database's owner (runs the service's Flyway
#                    migrations) and the runtime role the service connects as
#                    (DML rights only; the database creates it when it
#                    initialises, k8s/base/db-init): random passwords (192 bits,
#                    hex), read by the database and by its own service only.
#   order-service-client     client-secret (random, 256 bits, hex): order-service's
#                    secret for the client-credentials grant at the gateway;
#                    client-secret-hash: its SHA-256 (hex), which is all the
#                    gateway gets. With --demo: the demo secret order-service-secret.
#   api-gateway-trusted-proxies (a ConfigMap, trusted-proxies.env):
#                    QUARKUS_HTTP_PROXY_TRUSTED_PROXIES from the environment
#                    variable TRUSTED_PROXIES, required on the first run (no
#                    default: the ingress controller's pod CIDR or addresses,
#                    comma-separated; never 0.0.0.0/0 or ::/0), kept afterwards
#                    unless given again. With --demo and no TRUSTED_PROXIES:
#                    127.0.0.1/32 (a walkthrough without an Ingress).
# as files plus a kustomization.yaml with a secretGenerator that base/ includes.
#
# Usage: k8s/generate-secrets.sh [--force | --rotate | --revoke] [--demo] [OUTPUT_DIR]
#   --demo writes the demo users' and the demo client's well-known credentials
#   instead of random ones, for a demo on one machine (k8s/podman/run.sh), whose
#   services must then run with QUARKUS_PROFILE=prod,demo: in the prod profile
#   alone they refuse to start with them. Never for a cluster anyone else can reach.
#   --rotate makes a new signing key and keeps the old public key in
#   previous-public-keys.pem, preceded by the line '# retired <epoch seconds>',
#   so that tokens it signed stay valid until they expire: the gateway's JWKS
#   publishes it until the longest token lifetime plus the clock skew has passed
#   since then (360 s by default), and drops it by itself afterwards. Retired
#   keys older than RETIRE_AFTER_SECONDS (default 600) are also dropped from the
#   file. Nothing else changes. Then apply and restart the gateway at once (see
#   k8s/README.md, "Rotating the signing key").
#   --revoke drops every previous key from previous-public-keys.pem at once (a
#   leaked key: its forged tokens stop verifying once the gateway restarts and
#   the services refresh their JWKS) and touches nothing else.
#   An existing key pair is kept unless --force is given (a new key invalidates
#   every token issued so far; restart the gateway after replacing it:
#   kubectl -n access-token rollout restart deployment/api-gateway).
#   An existing TLS certificate and key are kept unless --force is given too; to
#   renew only the certificate, delete tls.crt and tls.key and run it again.
#   The users' passwords, the database passwords and the client secret are kept
#   unless --force is given too (demo credentials are replaced by random ones
#   when --demo is not given); to renew one of them only, delete its .env file.
#   A database takes its password once, when it initialises its empty volume:
#   after a new one, set it in the running database (ALTER ROLE ... PASSWORD) or
#   start from an empty volume, then restart the database's service. A database
#   initialised before the runtime roles existed has none: create it with
#   k8s/base/db-init/app-role.psql (psql -f, as the owner, with the variables
#   owner, db, app_user, app_password) or start from an empty volume. A new
#   client secret takes a restart of the gateway and of order-service.
#   Passwords of your own: pass their bcrypt hashes ($2a$ prefix) in
#   GATEWAY_USERS_ALICE_PASSWORD_HASH, GATEWAY_USERS_BOB_PASSWORD_HASH,
#   GATEWAY_USERS_ADMIN_PASSWORD_HASH.
# Needs: bash, openssl; for the users' bcrypt hashes one of htpasswd
# (Debian: apache2-utils), python3 with the bcrypt module (python3-bcrypt), or
# python3 up to 3.12 (its crypt module, on a libxcrypt with bcrypt: Debian 12).
set -euo pipefail

force=false rotate=false revoke=false demo=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --force) force=true ;;
    --rotate) rotate=true ;;
    --revoke) revoke=true ;;
    --demo) demo=true ;;
    -*) echo "Unknown option $1 (see the comment at the top of $0)" >&2; exit 2 ;;
    *) break ;;
  esac
  shift
done
RETIRE_AFTER_SECONDS="${RETIRE_AFTER_SECONDS:-600}"
out="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets}"

umask 077
mkdir -p "$out"

previous="$out/previous-public-keys.pem"
if [[ "$revoke" == true ]]; then
  [[ -f "$previous" ]] || { echo "--revoke: no $previous" >&2; exit 1; }
  echo "# Retired signing keys, still published in the JWKS until their tokens have expired: none (revoked $(date -u +%Y-%m-%dT%H:%M:%SZ))." > "$previous.new"
  mv "$previous.new" "$previous"
  echo "Revoked every previous signing key: $previous now lists none. Nothing else changed."
  echo "Now: kubectl apply -k k8s/ && kubectl -n access-token rollout restart deployment/api-gateway"
  exit 0
fi

# The proxies whose X-Forwarded-For the gateway believes: no default, checked first so
# that nothing is written without them.
proxies_file="$out/trusted-proxies.env"
valid_proxies() { # comma-separated addresses or CIDRs, none of them "everyone"
  local item
  [[ -n "$1" ]] || return 1
  IFS=',' read -ra items <<< "$1"
  for item in "${items[@]}"; do
    [[ "$item" =~ ^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$ && ! "$item" =~ /0$ ]] || return 1
  done
}
if [[ -n "${TRUSTED_PROXIES:-}" ]]; then
  valid_proxies "$TRUSTED_PROXIES" || { echo "TRUSTED_PROXIES=$TRUSTED_PROXIES: not a comma-separated list of addresses or CIDRs (and never /0)" >&2; exit 1; }
  proxies="$TRUSTED_PROXIES"
elif [[ -s "$proxies_file" ]] && valid_proxies "$(sed -n 's/^QUARKUS_HTTP_PROXY_TRUSTED_PROXIES=//p' "$proxies_file")"; then
  proxies="$(sed -n 's/^QUARKUS_HTTP_PROXY_TRUSTED_PROXIES=//p' "$proxies_file")"
elif [[ "$demo" == true ]]; then
  proxies=127.0.0.1/32
else
  cat >&2 <<'NOPROXIES'
TRUSTED_PROXIES is required: the addresses (or CIDRs, comma-separated) of your ingress
controller's pods, whose X-Forwarded-For the gateway believes for its login throttle.
There is no default: every address in it may claim to be any client. For example
  kubectl get pods -n ingress-nginx -o wide        # their addresses, or the node pod CIDR
  TRUSTED_PROXIES=10.244.0.0/16 k8s/generate-secrets.sh
It is kept in trusted-proxies.env afterwards (see k8s/README.md).
NOPROXIES
  exit 1
fi
mkdir -p "$out"
printf 'QUARKUS_HTTP_PROXY_TRUSTED_PROXIES=%s\n' "$proxies" > "$proxies_file"
echo "Trusted proxies (QUARKUS_HTTP_PROXY_TRUSTED_PROXIES): $proxies, in $proxies_file."
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

# The demo credentials, for --demo only: bcrypt (cost 10, made once with jBCrypt) of
# alice/alice, bob/bob, admin/admin, and the demo client secret.
demo_alice='$2a$10$N275DL4/t1k4x94txkeeuujOnMjAJ1HQV4Mcmhj3GvRTxSGp.Qv4O'
demo_bob='$2a$10$gveQRB3xO9Z/jjcTua6cNuctWoHDAHsvzIQD0GZRPSfcamXWAYlB.'
demo_admin='$2a$10$dH645pPuRoqytt8DVSUxm.LnQo3bdDelDPBqdAdyv4IgydPqLsEDO'
demo_client_secret=order-service-secret

# The hex SHA-256 of $1 (passed on stdin), as the gateway keeps a client secret.
sha256_hex() { printf '%s' "$1" | openssl dgst -sha256 | sed 's/^.*= *//'; }

passwords="$out/user-passwords.txt"
if [[ "$demo" == true ]]; then
  printf 'alice-password-hash=%s\nbob-password-hash=%s\nadmin-password-hash=%s\n' \
    "$demo_alice" "$demo_bob" "$demo_admin" > "$out/gateway-users.env"
  rm -f "$passwords"
  echo "Wrote the DEMO users (alice/alice, bob/bob, admin/admin) to $out/gateway-users.env."
elif keep_env "$out/gateway-users.env" alice-password-hash bob-password-hash admin-password-hash \
    && ! grep -qF -e "$demo_alice" -e "$demo_bob" -e "$demo_admin" "$out/gateway-users.env" \
    && [[ -z "${GATEWAY_USERS_ALICE_PASSWORD_HASH:-}${GATEWAY_USERS_BOB_PASSWORD_HASH:-}${GATEWAY_USERS_ADMIN_PASSWORD_HASH:-}" ]]; then
  echo "Keeping the existing users' password hashes in $out (use --force to replace them)."
else
  {
    echo "# Generated by k8s/generate-secrets.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ): each user's password."
    echo "# Not part of any Secret (the gateway gets only bcrypt hashes). Hand them out, then delete this file."
  } > "$passwords.new"
  : > "$out/gateway-users.env.new"
  for user in alice bob admin; do
    var="GATEWAY_USERS_${user^^}_PASSWORD_HASH"
    hash="${!var:-}"
    if [[ -n "$hash" ]]; then
      echo "$user: (your own hash from $var)" >> "$passwords.new"
    else
      password="$(openssl rand -base64 18 | tr '+/' '-_')"
      hash="$(bcrypt_hash "$password")"
      echo "$user: $password" >> "$passwords.new"
    fi
    echo "$user-password-hash=$hash" >> "$out/gateway-users.env.new"
  done
  mv "$out/gateway-users.env.new" "$out/gateway-users.env"
  mv "$passwords.new" "$passwords"
  echo "Wrote a random password for each user (alice, bob, admin) to $passwords, their bcrypt hashes to $out/gateway-users.env."
fi

for db in gateway:api_gateway order:order_service customer:customer_service; do
  name="${db%%:*}-db-credentials"
  user="${db#*:}"
  if keep_env "$out/$name.env" username password app-username app-password; then
    echo "Keeping the existing $name in $out (use --force to replace it)."
  elif keep_env "$out/$name.env" username password; then
    # Written before the runtime roles existed: keep the owner, add the role.
    # The database creates it on an empty volume only (see the header).
    printf 'app-username=%s_app\napp-password=%s\n' "$user" "$(random_hex 24)" >> "$out/$name.env"
    echo "Added the runtime role ${user}_app with a random password to $out/$name.env."
  else
    printf 'username=%s\npassword=%s\napp-username=%s_app\napp-password=%s\n' \
      "$user" "$(random_hex 24)" "$user" "$(random_hex 24)" > "$out/$name.env.new"
    mv "$out/$name.env.new" "$out/$name.env"
    echo "Wrote new random passwords for the database owner $user and its runtime role ${user}_app to $out/$name.env."
  fi
done

if [[ "$demo" == true ]]; then
  printf 'client-secret=%s\nclient-secret-hash=%s\n' "$demo_client_secret" "$(sha256_hex "$demo_client_secret")" \
    > "$out/order-service-client.env"
  echo "Wrote the DEMO client secret of order-service ($demo_client_secret) to $out/order-service-client.env."
elif keep_env "$out/order-service-client.env" client-secret client-secret-hash \
    && grep -qE '^client-secret-hash=[0-9a-f]{64}$' "$out/order-service-client.env" \
    && ! grep -qxF "client-secret=$demo_client_secret" "$out/order-service-client.env"; then
  echo "Keeping the existing order-service-client secret in $out (use --force to replace it)."
else
  client_secret="$(random_hex 32)"
  printf 'client-secret=%s\nclient-secret-hash=%s\n' "$client_secret" "$(sha256_hex "$client_secret")" \
    > "$out/order-service-client.env.new"
  mv "$out/order-service-client.env.new" "$out/order-service-client.env"
  echo "Wrote a new random client secret for order-service and its SHA-256 to $out/order-service-client.env."
fi

# --- order-cursor-key (issue 19): order-service's pagination-cursor HMAC key -----------------------------
# key: random, 256 bits, hex; every order-service replica reads it (ORDERS_CURSOR_KEY), so that a cursor one
# replica gave out is recognised by all. Kept unless --force; to rotate it, delete order-cursor-key.env, run
# this again, apply and restart order-service: the cursors given out before answer 400 "start again from the
# first page".
if keep_env "$out/order-cursor-key.env" key; then
  echo "Keeping the existing order-cursor-key in $out (use --force to replace it)."
else
  printf 'key=%s\n' "$(random_hex 32)" > "$out/order-cursor-key.env.new"
  mv "$out/order-cursor-key.env.new" "$out/order-cursor-key.env"
  echo "Wrote a new random cursor key for order-service to $out/order-cursor-key.env."
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
  # order-service's pagination-cursor key, the same for every replica.
  - name: order-cursor-key
    type: Opaque
    envs:
      - order-cursor-key.env
configMapGenerator:
  # QUARKUS_HTTP_PROXY_TRUSTED_PROXIES: no default, from TRUSTED_PROXIES.
  - name: api-gateway-trusted-proxies
    envs:
      - trusted-proxies.env
KUSTOMIZATION

chmod 600 "$out"/*
if [[ "$demo" == true ]]; then
  cat <<'DEMO'
****************************************************************************************
*  DEMO CREDENTIALS: alice/alice, bob/bob, admin/admin and the client secret            *
*  order-service-secret are in these Secrets. Anyone can log in as admin. The services  *
*  start with them only with QUARKUS_PROFILE=prod,demo. Never deploy this anywhere      *
*  reachable; run k8s/generate-secrets.sh --force without --demo for real ones.         *
****************************************************************************************
DEMO
fi
echo "Wrote $out/kustomization.yaml (Secrets jwt-signing-key, gateway-users, api-gateway-tls," \
  "gateway-db-credentials, order-db-credentials, customer-db-credentials, order-service-client;" \
  "ConfigMap api-gateway-trusted-proxies)."
