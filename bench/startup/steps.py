#!/usr/bin/env python3
"""Medians of Quarkus's recorded start-up steps (-Dquarkus.debug.print-startup-times=true) over the
<service>-start<N>.log files of bench/startup/measure.sh, each step marked STATIC (static init: done at image
build time by a native executable) or RUNTIME (done at every start, native too), as ApplicationImpl orders them.
Usage: bench/startup/steps.py [DIR (target/startup-bench)] [MIN_MS (100)]"""
import glob
import os
import re
import statistics
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "startup-bench")
min_ms = float(sys.argv[2]) if len(sys.argv) > 2 else 100
javap = os.path.join(subprocess.check_output([os.path.join(ROOT, "scripts", "find-jdk.sh")], text=True).strip(), "bin", "javap")


def phases(service):
    """Step name -> STATIC or RUNTIME, from the generated ApplicationImpl: static {} runs the first, doStart the others."""
    jar = os.path.join(ROOT, service, "target", "quarkus-app", "quarkus", "generated-bytecode.jar")
    with tempfile.TemporaryDirectory() as tmp:
        zipfile.ZipFile(jar).extract("io/quarkus/runner/ApplicationImpl.class", tmp)
        code = subprocess.check_output([javap, "-c", "-p", os.path.join(tmp, "io/quarkus/runner/ApplicationImpl.class")], text=True)
    result, phase = {}, None
    for line in code.splitlines():
        if "static {};" in line:
            phase = "STATIC"
        elif "doStart(" in line:
            phase = "RUNTIME"
        elif "doStop(" in line:
            phase = None
        m = re.search(r"// class io/quarkus/runner/recorded/(\w+)\$(\w+?)\d+$", line)
        if m and phase:
            result.setdefault(f"{m[1]}.{m[2]}", phase)
    return result


for service in ["customer-service", "order-service", "api-gateway"]:
    logs = sorted(glob.glob(os.path.join(out, f"{service}-start[0-9]*.log")))
    if not logs:
        continue
    phase = phases(service)
    runs = []
    for log in logs:
        run = {"STATIC": 0, "RUNTIME": 0}
        for line in open(log, errors="replace"):
            m = re.search(r"Build step (\S+) completed in: (\d+)ms", line)
            if m:
                run[m[1]] = int(m[2])
                run[phase.get(m[1], "RUNTIME")] += int(m[2])
            m = re.search(r"started in ([0-9.]+)s", line)
            if m:
                run["started in"] = float(m[1]) * 1000
        runs.append(run)
    median = {k: statistics.median(r.get(k, 0) for r in runs) for k in set().union(*runs)}
    print(f"== {service}: started in {median.get('started in', 0):.0f} ms; recorded steps: static init "
          f"{median['STATIC']:.0f} ms, runtime init {median['RUNTIME']:.0f} ms (medians of {len(runs)})")
    for step, ms in sorted(median.items(), key=lambda kv: -kv[1]):
        if step not in ("STATIC", "RUNTIME", "started in") and ms >= min_ms:
            print(f"  {ms:7.0f} ms  {phase.get(step, '?'):7s} {step}  {[r.get(step, 0) for r in runs]}")
