#!/bin/bash
# Entrypoint of the local PostgreSQL image (localhost/access-token/postgres,
# built by base-image.sh from Debian's postgresql-17), for podman, which cannot
# pull the official postgres image here. It behaves like the official image's
# docker-entrypoint.sh for what k8s/base uses:
#   POSTGRES_PASSWORD  required
#   POSTGRES_USER      the superuser the database belongs to (default postgres)
#   POSTGRES_DB        created, owned by POSTGRES_USER (default: POSTGRES_USER)
#   PGDATA             the cluster's directory (default /var/lib/postgresql/data)
#   /docker-entrypoint-initdb.d/*.sh, *.sql  run once after the database is
#                      created, on the temporary server (as the official image)
# If PGDATA holds no cluster, it runs initdb there as the current (non-root)
# user, with POSTGRES_USER as the superuser and POSTGRES_PASSWORD as its
# password, and creates POSTGRES_DB; an existing cluster is used as it is (the
# variables then change nothing, as with the official image). Then it runs
# PostgreSQL in the foreground, listening on 0.0.0.0:5432 (and the socket in
# /var/run/postgresql), every connection authenticated with scram-sha-256.
# Arguments: "postgres [options]" (the default) or any other command to run.
# It writes only to PGDATA, /var/run/postgresql and /tmp, so the root
# filesystem may be read-only.
set -euo pipefail

log() { echo "[postgres-entrypoint] $*" >&2; }

if [[ "${1:-postgres}" != postgres && "${1:-}" != -* ]]; then
  exec "$@"
fi
[[ "${1:-}" == postgres ]] && shift

if [[ "$(id -u)" == 0 ]]; then
  log "refusing to run as root; run as the postgres user (uid 999)"
  exit 1
fi

export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
user="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$user}"

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  if [[ -z "${POSTGRES_PASSWORD:-}" ]]; then
    log "the database is not initialised and POSTGRES_PASSWORD is empty; set it"
    exit 1
  fi
  mkdir -p "$PGDATA"
  chmod 0700 "$PGDATA" 2>/dev/null || :   # initdb says so if it matters
  log "initialising $PGDATA for superuser $user ..."
  initdb --pgdata="$PGDATA" --username="$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --encoding=UTF8 --locale=C.UTF-8 --auth-local=scram-sha-256 --auth-host=scram-sha-256 >/dev/null
  # Every connection needs the password, from any address (NetworkPolicies
  # decide who may connect at all).
  cat > "$PGDATA/pg_hba.conf" <<'HBA'
# TYPE  DATABASE  USER  ADDRESS    METHOD
local   all       all              scram-sha-256
host    all       all   0.0.0.0/0  scram-sha-256
host    all       all   ::/0       scram-sha-256
HBA
  # As the official image does: a temporary server on the Unix socket only,
  # so that nothing connects over TCP (nor a readiness probe passes) before
  # the database and the init scripts' roles exist.
  pg_ctl --pgdata="$PGDATA" --silent --wait --options="-c listen_addresses=''" start >/dev/null
  export PGPASSWORD="$POSTGRES_PASSWORD"
  if [[ "$db" != postgres ]]; then
    psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 \
      --username="$user" --dbname=postgres --set=db="$db" <<'SQL'
CREATE DATABASE :"db";
SQL
    log "created the database $db owned by $user"
  fi
  # As the official image: the *.sh scripts in /docker-entrypoint-initdb.d, in
  # order, executed if executable, else sourced (k8s/base/db-init: the
  # service's runtime role); *.sql files run with psql; anything else is
  # skipped (app-role.psql is read by app-role.sh).
  for f in /docker-entrypoint-initdb.d/*; do
    [[ -e "$f" ]] || continue
    case "$f" in
      *.sh)
        if [[ -x "$f" ]]; then log "running $f"; "$f"; else log "sourcing $f"; . "$f"; fi ;;
      *.sql)
        log "running $f"
        psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --username="$user" --dbname="$db" --file="$f" ;;
      *) log "ignoring $f" ;;
    esac
  done
  unset PGPASSWORD
  pg_ctl --pgdata="$PGDATA" --silent --wait --mode=fast stop
fi

exec postgres -D "$PGDATA" -c listen_addresses='*' -c port=5432 "$@"
