#!/usr/bin/env bash
# The benchmark: builds what it measures, starts it, drives the load with wrk, prints one table and writes
# it with the machine, the JDK and the command into BENCHMARKS.md. See bench/README.md.
#   bash bench/run.sh            # the full run (half an hour or more on 2 cores); only on a quiet machine
#   bash bench/run.sh --parts    # the same, plus what each chassis part costs, one turned off at a time
#   bash bench/run.sh --smoke    # proves the harness works (.ci/run); its numbers mean nothing
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME="$(scripts/find-jdk.sh)"
export JAVA_HOME
if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package) ..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } >/dev/null
fi
exec /usr/bin/python3 bench/bench.py "$@"
