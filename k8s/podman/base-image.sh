#!/usr/bin/env bash
# Builds the local Java base image that run.sh passes to the services'
# Dockerfile.jvm (--build-arg BASE_IMAGE=...), for machines that reach no
# container registry: a minimal Debian root filesystem made with debootstrap
# from the Debian archive this machine's apt already uses, with a Java 21
# runtime installed by apt inside it, imported with `podman import`.
#
# Usage: k8s/podman/base-image.sh [--force]
#   Skips the build when the image exists with the same recipe (see RECIPE).
# Environment (all optional):
#   BASE_IMAGE      image name            (localhost/access-token/base-jre:21)
#   BASE_SUITE      Debian suite          (trixie: Debian 12 has no Java 21)
#   JRE_PACKAGE     the Java runtime      (openjdk-21-jre-headless)
#   DEBIAN_MIRROR   archive URL           (read from the apt sources)
#   CONTAINERS_CONF containers.conf       (k8s/podman/containers.conf)
# Needs root, debootstrap, podman, curl. Takes about 2-3 minutes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
BASE_IMAGE="${BASE_IMAGE:-localhost/access-token/base-jre:21}"
BASE_SUITE="${BASE_SUITE:-trixie}"
JRE_PACKAGE="${JRE_PACKAGE:-openjdk-21-jre-headless}"
# Bump when the steps below change, so that a cached image is rebuilt.
RECIPE="3-$BASE_SUITE-$JRE_PACKAGE"

force=false
[[ "${1:-}" == "--force" ]] && force=true

log() { echo "[base-image] $*" >&2; }

if [[ "$force" == false ]] && podman image exists "$BASE_IMAGE"; then
  have="$(podman image inspect --format '{{ index .Config.Labels "access-token.base-recipe" }}' "$BASE_IMAGE" 2>/dev/null || true)"
  if [[ "$have" == "$RECIPE" ]]; then
    log "$BASE_IMAGE exists (recipe $RECIPE); not rebuilding."
    exit 0
  fi
  log "$BASE_IMAGE exists with recipe '${have}', want '$RECIPE'; rebuilding."
fi

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
rootfs="$work/rootfs"
cleanup() {
  mountpoint -q "$rootfs/proc" 2>/dev/null && umount "$rootfs/proc" || true
  rm -rf "$work"
}
trap cleanup EXIT

start=$SECONDS
log "debootstrap $BASE_SUITE from $mirror (minbase) ..."
debootstrap --variant=minbase --include=ca-certificates "$BASE_SUITE" "$rootfs" "$mirror" \
  >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

log "installing $JRE_PACKAGE in the root filesystem ..."
mount -t proc proc "$rootfs/proc"
chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
  /bin/sh -euc "
    apt-get install -y --no-install-recommends $JRE_PACKAGE curl >/tmp/apt.log 2>&1 || { tail -n 30 /tmp/apt.log; exit 1; }
    rm -f /tmp/apt.log
    java -version
    # uid 185 as in the UBI OpenJDK images, which the JVM overlay runs as.
    useradd --system --uid 185 --gid 0 --home-dir /home/default --create-home --shell /usr/sbin/nologin default
    apt-get clean
    rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /usr/share/doc/* /usr/share/man/* /usr/share/info/*
  " >&2
umount "$rootfs/proc"

log "importing as $BASE_IMAGE ..."
tar -C "$rootfs" --numeric-owner -c . | podman import -q \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change "LABEL access-token.base-recipe=$RECIPE" \
  --change 'CMD ["/bin/bash"]' \
  - "$BASE_IMAGE" >/dev/null
podman run --rm "$BASE_IMAGE" java -version >&2
log "built $BASE_IMAGE in $((SECONDS - start)) s."
