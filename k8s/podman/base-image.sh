#!/usr/bin/env bash
# Builds the local images that run.sh needs, for machines that reach no
# container registry: from one minimal Debian root filesystem, made with
# debootstrap from the Debian archive this machine's apt already uses,
#   - the Java base image that run.sh passes to the services' Dockerfile.jvm
#     (--build-arg BASE_IMAGE=...): a Java 25 runtime installed by apt, and the
#     user uid 185 that the JVM overlay runs as;
#   - the PostgreSQL image that k8s/overlays/podman puts in place of the official
#     postgres image: Debian's postgresql-17, the postgres user as uid/gid 999
#     (as in the official image, so the securityContext of k8s/base holds), and
#     postgres-entrypoint.sh, which initialises the database like the official
#     image's entrypoint;
# each imported with `podman import`.
#
# Usage: k8s/podman/base-image.sh [--force]
#   Skips an image that exists with the same recipe (see RECIPE, PG_RECIPE);
#   --force rebuilds both.
# Environment (all optional):
#   BASE_IMAGE      Java image name       (localhost/access-token/base-jre:25)
#   POSTGRES_IMAGE  PostgreSQL image name (localhost/access-token/postgres:17)
#   BASE_SUITE      Debian suite          (trixie: Debian 12 has no Java 25)
#   JRE_PACKAGE     the Java runtime      (openjdk-25-jre-headless)
#   PG_PACKAGE      the PostgreSQL server (postgresql-17; the overlay expects 17)
#   DEBIAN_MIRROR   archive URL           (read from the apt sources)
#   CONTAINERS_CONF containers.conf       (k8s/podman/containers.conf)
# Needs root, debootstrap, podman, curl. Takes about 2-4 minutes when both are
# built.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
BASE_IMAGE="${BASE_IMAGE:-localhost/access-token/base-jre:25}"
POSTGRES_IMAGE="${POSTGRES_IMAGE:-localhost/access-token/postgres:17}"
BASE_SUITE="${BASE_SUITE:-trixie}"
JRE_PACKAGE="${JRE_PACKAGE:-openjdk-25-jre-headless}"
PG_PACKAGE="${PG_PACKAGE:-postgresql-17}"
pg_major="${PG_PACKAGE#postgresql-}"
# Bump when the steps below change, so that a cached image is rebuilt. The
# PostgreSQL recipe includes the entrypoint's checksum.
RECIPE="3-$BASE_SUITE-$JRE_PACKAGE"
PG_RECIPE="1-$BASE_SUITE-$PG_PACKAGE-$(sha256sum "$here/postgres-entrypoint.sh" | cut -c1-12)"

force=false
[[ "${1:-}" == "--force" ]] && force=true

log() { echo "[base-image] $*" >&2; }

# needed IMAGE RECIPE: whether IMAGE must be built.
needed() {
  [[ "$force" == true ]] && return 0
  podman image exists "$1" || return 0
  local have
  have="$(podman image inspect --format '{{ index .Config.Labels "access-token.base-recipe" }}' "$1" 2>/dev/null || true)"
  if [[ "$have" == "$2" ]]; then
    log "$1 exists (recipe $2); not rebuilding."
    return 1
  fi
  log "$1 exists with recipe '${have}', want '$2'; rebuilding."
}
build_jre=false; build_pg=false
needed "$BASE_IMAGE" "$RECIPE" && build_jre=true
needed "$POSTGRES_IMAGE" "$PG_RECIPE" && build_pg=true
[[ "$build_jre" == true || "$build_pg" == true ]] || exit 0

# The Debian archive that apt uses here: the first deb source, in one-line
# (sources.list) or deb822 (*.sources) form, that serves the host's own release
# with the main component and is not the security archive.
find_mirror() {
  local codename
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  python3 - "$codename" /etc/apt/sources.list /etc/apt/sources.list.d/* <<'PY'
import re, sys
codename, files = sys.argv[1], sys.argv[2:]
cands = []  # (uri, suites, components)
for f in files:
    try:
        text = open(f, encoding="utf-8", errors="replace").read()
    except OSError:
        continue
    if f.endswith(".sources"):
        for stanza in re.split(r"\n\s*\n", text):
            fields, key = {}, None
            for line in stanza.splitlines():
                if line.lstrip().startswith("#"):
                    continue
                if line[:1] in (" ", "\t") and key:
                    fields[key] += " " + line.strip()
                    continue
                m = re.match(r"([A-Za-z-]+):\s*(.*)", line)
                if m:
                    key = m.group(1).lower()
                    fields[key] = m.group(2).strip()
            if "deb" not in fields.get("types", "").split():
                continue
            if fields.get("enabled", "yes").lower() == "no":
                continue
            for uri in fields.get("uris", "").split():
                cands.append((uri, fields.get("suites", "").split(), fields.get("components", "").split()))
    elif f.endswith(".list"):
        for line in text.splitlines():
            line = line.split("#", 1)[0].strip()
            line = re.sub(r"\[[^\]]*\]", " ", line)
            parts = line.split()
            if len(parts) >= 3 and parts[0] == "deb":
                cands.append((parts[1], [parts[2]], parts[3:]))
for uri, suites, comps in cands:
    if "security" in uri or not uri.startswith(("http://", "https://")):
        continue
    if "main" in comps and (not codename or codename in suites):
        print(uri.rstrip("/"))
        break
PY
}

mirror="${DEBIAN_MIRROR:-$(find_mirror)}"
[[ -n "$mirror" ]] || { log "no Debian archive found in the apt sources; set DEBIAN_MIRROR"; exit 1; }
if ! curl -fsS -o /dev/null --max-time 30 "$mirror/dists/$BASE_SUITE/Release"; then
  log "$mirror does not serve $BASE_SUITE (dists/$BASE_SUITE/Release); set BASE_SUITE or DEBIAN_MIRROR"
  exit 1
fi

work="$(mktemp -d /var/tmp/access-token-base.XXXXXX)"
cleanup() {
  local fs
  for fs in "$work"/*/proc; do
    mountpoint -q "$fs" 2>/dev/null && umount "$fs" || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

start=$SECONDS
log "debootstrap $BASE_SUITE from $mirror (minbase) ..."
debootstrap --variant=minbase --include=ca-certificates "$BASE_SUITE" "$work/minbase" "$mirror" \
  >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

# in_rootfs NAME SCRIPT: a copy of the minimal root filesystem as $work/NAME,
# with SCRIPT run in it as root (chroot), then apt's caches and the docs removed.
in_rootfs() {
  local rootfs="$work/$1"
  cp -a "$work/minbase" "$rootfs"
  [[ -n "${3:-}" ]] && install -m 0755 "$3" "$rootfs/usr/local/bin/$(basename "$3" .sh)"
  mount -t proc proc "$rootfs/proc"
  chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    /bin/sh -euc "
      $2
      apt-get clean
      rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /usr/share/doc/* /usr/share/man/* /usr/share/info/*
    " >&2
  umount "$rootfs/proc"
}

# import_image NAME IMAGE --change...: the root filesystem $work/NAME as IMAGE.
import_image() {
  local rootfs="$work/$1" image="$2"
  shift 2
  tar -C "$rootfs" --numeric-owner -c . | podman import -q \
    --change 'ENV LANG=C.UTF-8' "$@" - "$image" >/dev/null
}

if [[ "$build_jre" == true ]]; then
  log "installing $JRE_PACKAGE in a copy of the root filesystem ..."
  in_rootfs jre "
    apt-get install -y --no-install-recommends $JRE_PACKAGE curl >/tmp/apt.log 2>&1 || { tail -n 30 /tmp/apt.log; exit 1; }
    rm -f /tmp/apt.log
    java -version
    # uid 185 as in the UBI OpenJDK images, which the JVM overlay runs as.
    useradd --system --uid 185 --gid 0 --home-dir /home/default --create-home --shell /usr/sbin/nologin default
  "
  log "importing as $BASE_IMAGE ..."
  import_image jre "$BASE_IMAGE" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL access-token.base-recipe=$RECIPE" \
    --change 'CMD ["/bin/bash"]'
  podman run --rm "$BASE_IMAGE" java -version >&2
fi

if [[ "$build_pg" == true ]]; then
  log "installing $PG_PACKAGE in a copy of the root filesystem ..."
  in_rootfs postgres "
    # The postgres user and group as in the official image: uid/gid 999.
    if getent passwd 999 >/dev/null || getent group 999 >/dev/null; then
      echo 'uid or gid 999 is taken in the root filesystem'; exit 1
    fi
    groupadd --system --gid 999 postgres
    useradd --system --uid 999 --gid 999 --home-dir /var/lib/postgresql --no-create-home --shell /bin/bash postgres
    # No cluster of Debian's own (the entrypoint makes one in PGDATA), no service start.
    mkdir -p /etc/postgresql-common
    echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confold $PG_PACKAGE \
      >/tmp/apt.log 2>&1 || { tail -n 30 /tmp/apt.log; exit 1; }
    rm -f /tmp/apt.log /usr/sbin/policy-rc.d
    /usr/lib/postgresql/$pg_major/bin/postgres --version
    # Owned by postgres, so that podman gives its volumes there to that user.
    mkdir -p /var/lib/postgresql/data /run/postgresql /docker-entrypoint-initdb.d
    chown 999:999 /var/lib/postgresql /var/lib/postgresql/data /run/postgresql
    chmod 0700 /var/lib/postgresql/data
    chmod 2775 /run/postgresql
  " "$here/postgres-entrypoint.sh"
  version="$(chroot "$work/postgres" "/usr/lib/postgresql/$pg_major/bin/postgres" --version 2>/dev/null || true)"
  log "importing as $POSTGRES_IMAGE ($version) ..."
  import_image postgres "$POSTGRES_IMAGE" \
    --change "ENV PATH=/usr/lib/postgresql/$pg_major/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change 'ENV PGDATA=/var/lib/postgresql/data' \
    --change "LABEL access-token.base-recipe=$PG_RECIPE" \
    --change "LABEL access-token.postgres-version=${version##* }" \
    --change 'USER 999:999' \
    --change 'EXPOSE 5432' \
    --change 'STOPSIGNAL SIGINT' \
    --change 'ENTRYPOINT ["/usr/local/bin/postgres-entrypoint"]' \
    --change 'CMD ["postgres"]'
  podman run --rm --entrypoint postgres "$POSTGRES_IMAGE" --version >&2
fi
log "built in $((SECONDS - start)) s."
