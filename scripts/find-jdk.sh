#!/usr/bin/env bash
# Prints the home of a JDK 21 or newer: $JAVA_HOME if it qualifies, then the java on PATH,
# then any JDK under /usr/lib/jvm or /opt. Exits 1 if there is none.
# Use: export JAVA_HOME="$(scripts/find-jdk.sh)"
set -u

major() { # major version of the JDK at $1, or 0
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  echo "${v:-0}" | cut -d. -f1
}

ok() { [ -x "$1/bin/javac" ] && [ "$(major "$1")" -ge 21 ]; }

candidates=()
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
if command -v javac >/dev/null 2>&1; then
  candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
fi
for dir in /usr/lib/jvm/* /opt/*jdk* /opt/java/*; do
  [ -d "$dir" ] && candidates+=("$dir")
done

best=""; best_major=0
for dir in "${candidates[@]}"; do
  if ok "$dir"; then
    m=$(major "$dir")
    if [ "$m" -gt "$best_major" ]; then best="$dir"; best_major=$m; fi
    # Prefer JAVA_HOME as given when it qualifies.
    [ "$dir" = "${JAVA_HOME:-}" ] && { echo "$dir"; exit 0; }
  fi
done

if [ -n "$best" ]; then echo "$best"; exit 0; fi
echo "No JDK 21 or newer found; install one (e.g. Temurin 21) and set JAVA_HOME." >&2
exit 1
