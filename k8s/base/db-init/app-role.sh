#!/bin/bash
# /docker-entrypoint-initdb.d script of the databases (order-db, customer-db,
# gateway-db): the postgres image runs it once, on the temporary server of a
# fresh volume, after it created POSTGRES_DB owned by POSTGRES_USER. It creates
# the service's runtime role APP_DB_USERNAME / APP_DB_PASSWORD (the Secret's
# app-username and app-password) with DML rights only: app-role.psql, beside
# this file (the image skips *.psql files). The service connects as that role;
# only its Flyway connects as the owner.
# Both sourced (the official image, for a file that is not executable) and
# executed work: no "set", no "exit".
psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 \
  --username="${POSTGRES_USER:-postgres}" --dbname="${POSTGRES_DB:-${POSTGRES_USER:-postgres}}" \
  --set=owner="${POSTGRES_USER:-postgres}" --set=db="${POSTGRES_DB:-${POSTGRES_USER:-postgres}}" \
  --set=app_user="${APP_DB_USERNAME:?the runtime role APP_DB_USERNAME is not set}" \
  --set=app_password="${APP_DB_PASSWORD:?the runtime role APP_DB_PASSWORD is not set}" \
  --file="$(dirname "${BASH_SOURCE[0]}")/app-role.psql"
