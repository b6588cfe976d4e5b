"""The benchmark harness behind bench/run.sh (see bench/README.md for what it measures and why)."""
import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench"
SERVICES = ["customer-service", "order-service", "api-gateway"]
JAVA = str(Path(os.environ["JAVA_HOME"]) / "bin" / "java")
# Every port stays below the kernel's ephemeral range (32768+), where a client's source port could take it.
PG_PORT = 25432
SMALL_HEAP = ["-XX:+UseSerialGC", "-Xmx64m", "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=64m",
              "-Xss512k", "-XX:MaxDirectMemorySize=32m"]
# The "today" (issue 7, measured before this work on the same kind of machine): upper ends of its ranges.
BEFORE_3HOP_RPS = {"3 hops GET gateway /api/orders/{id}": 1500, "3 hops GET gateway /api/trace": 1600}


def log(*args):
    print("[bench %s]" % time.strftime("%H:%M:%S"), *args, file=sys.stderr, flush=True)


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, cwd=ROOT, **kw)


def mvn(*args):
    sh("./mvnw", "-B", "-q", "package", "-DskipTests", "-Dnative.sources.skip=true",
       "-pl", ",".join(SERVICES), "-am", *args)


def build_persistence_clients():
    sh("./mvnw", "-B", "-q", "package", "-DskipTests", "-pl", "bench/persistence-clients")
    sh("./mvnw", "-B", "-q", "-pl", "bench/persistence-clients", "dependency:build-classpath",
       "-Dmdep.outputFile=" + str(WORK / "persistence.classpath"), stdout=subprocess.DEVNULL)


def persistence_clients(seconds, rounds):
    """Issue 6's choice: the reservation transaction through blocking JDBC (Agroal) and the reactive client."""
    cp = str(ROOT / "bench/persistence-clients/target/classes") + ":" + (WORK / "persistence.classpath").read_text()
    out = subprocess.run([JAVA, "-cp", cp, "dev.accesstoken.bench.PersistenceClients",
                          "jdbc:postgresql://localhost:%d/p_bench" % PG_PORT, "p_bench", "p_bench",
                          str(ROOT / "customer-service/src/main/resources/db/migration/V1__customers_and_reservations.sql"),
                          str(seconds), str(rounds), "16"], capture_output=True, text=True, cwd=ROOT)
    (WORK / "logs" / "persistence-clients.log").write_text(out.stdout + out.stderr)
    if out.returncode != 0:
        raise RuntimeError("persistence clients failed; see target/bench/logs/persistence-clients.log")
    out = out.stdout
    runs = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return {client: {m: statistics.median(r[m] for r in runs if r["client"] == client) for m in ("tps", "p50", "p99")}
            for client in sorted({r["client"] for r in runs})}


BUILDS = [  # variant, Maven arguments; the normal build last, so that target/quarkus-app ends as it ships
    ("unverified", ["-Pbench-unverified"]),  # tokens read, not verified: the baseline
    ("threading", ["-Pbench-threading"]),  # plus the trace in three threading models
    ("fast-jar", ["-Dquarkus.package.jar.type=fast-jar"]),  # the plain layout, for the start times
    ("secured", []),  # the normal build (aot-jar)
]


def build(variants):
    """Each build copied aside into target/bench/apps/<variant>."""
    for variant, profile in [b for b in BUILDS if b[0] in variants]:
        log("building", variant, "...")
        mvn(*profile)
        for service in SERVICES:
            target = WORK / "apps" / variant / service
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / service / "target" / "quarkus-app", target)


def http(url, data=None, token=None, timeout=5, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read()


class Process:
    def __init__(self, name, args, log_file):
        self.name = name
        self.started = time.monotonic()
        self.log = open(log_file, "w")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)

    def rss_mb(self):
        for line in Path("/proc/%d/status" % self.proc.pid).read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def wait_ready(port, process, timeout=120):
    """Milliseconds from the process start until /q/health/ready answers 200 (on the management port)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.proc.poll() is not None:
            raise RuntimeError("%s exited; see %s" % (process.name, process.log.name))
        try:
            if http("http://localhost:%d/q/health/ready" % port, timeout=1)[0] == 200:
                return (time.monotonic() - process.started) * 1000
        except Exception:
            pass
        time.sleep(0.01)
    raise RuntimeError("%s not ready within %ds" % (process.name, timeout))


class Stack:
    """The three services of one variant on their own ports and databases."""

    def __init__(self, name, variant, base_port, extra):
        self.name, self.variant, self.extra = name, variant, extra
        self.ports = {"api-gateway": base_port, "order-service": base_port + 1, "customer-service": base_port + 2}
        # Each service's management interface (/q/health, /q/metrics): ten above its HTTP port.
        self.management = {s: p + 10 for s, p in self.ports.items()}
        self.db = name.replace("-", "_")
        self.processes = {}

    def config(self, service):
        jwks = "http://localhost:%d/.well-known/jwks.json" % self.ports["api-gateway"]
        # prod with the demo users and client, which the load logs in with.
        c = ["-Dquarkus.profile=prod,demo",
             "-Dquarkus.http.port=%d" % self.ports[service], "-Dquarkus.management.port=%d" % self.management[service],
             "-Dmp.jwt.verify.publickey.location=" + jwks]
        if service == "customer-service":
            c += self.datasource("c")
        elif service == "order-service":
            c += self.datasource("o") + [
                "-Dquarkus.rest-client.customer-service.url=http://localhost:%d" % self.ports["customer-service"],
                "-Dquarkus.oidc-client.auth-server-url=http://localhost:%d" % self.ports["api-gateway"]]
        else:
            c = ["-Dquarkus.profile=prod,demo",
                 "-Dquarkus.http.port=%d" % self.ports[service], "-Dquarkus.management.port=%d" % self.management[service],
                 *self.datasource("g"),
                 "-Dquarkus.rest-client.order-service.url=http://localhost:%d" % self.ports["order-service"],
                 "-Dquarkus.rest-client.customer-service.url=http://localhost:%d" % self.ports["customer-service"]]
        if self.variant == "threading":  # each hop's benchmark trace calls the next one's
            c += {"api-gateway": ["-Dquarkus.rest-client.bench-next-hop.url=" + self.url("order-service", "")],
                  "order-service": ["-Dquarkus.rest-client.bench-next-hop.url=" + self.url("customer-service", "")],
                  # The last hop never calls out; the client still needs a URL to be injected.
                  "customer-service": ["-Dbench.threading.last-hop=true",
                                       "-Dquarkus.rest-client.bench-next-hop.url=" + self.url(service, "")]}[service]
        return c + self.extra

    def datasource(self, kind):
        name = "%s_%s" % (kind, self.db)
        return ["-Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:%d/%s" % (PG_PORT, name),
                "-Dquarkus.datasource.username=" + name, "-Dquarkus.datasource.password=" + name]

    def databases(self):
        return ["%s_%s:%s_%s" % (k, self.db, k, self.db) for k in ("o", "c", "g")]

    def start(self):
        for service in SERVICES:
            jar = WORK / "apps" / self.variant / service / "quarkus-run.jar"
            p = Process("%s/%s" % (self.name, service), [JAVA, *self.config(service), "-jar", str(jar)],
                        WORK / "logs" / ("%s-%s.log" % (self.name, service)))
            self.processes[service] = p
            wait_ready(self.management[service], p)
        self.login()
        # One order to read; the chain is warm once the trace answers.
        for _ in range(100):
            try:
                status, body = http(self.url("api-gateway", "/api/orders"), b'{"amount":0.01}', self.token)
                self.order_id = json.loads(body)["id"]
                break
            except Exception:
                time.sleep(0.2)

    def login(self):
        """A fresh token (they live 5 minutes, less than a full run). Right after the login-rate measurement the
        gateway's bcrypt bulkhead may still be full (503) or the account throttled (429): wait as told, as a
        client should."""
        for attempt in range(60):
            try:
                status, body = http(self.url("api-gateway", "/auth/login"), json.dumps(
                    {"username": "alice", "password": "alice"}).encode())
                self.token = json.loads(body)["access_token"]
                return
            except urllib.error.HTTPError as e:
                if e.code not in (429, 503) or attempt == 59:
                    raise
                time.sleep(min(float(e.headers.get("Retry-After") or 1), 5))

    def url(self, service, path):
        return "http://localhost:%d%s" % (self.ports[service], path)

    def rss(self):
        return {s: p.rss_mb() for s, p in self.processes.items()}

    def stop(self):
        for p in reversed(list(self.processes.values())):
            p.stop()


def wrk(url, token, seconds, script=None, connections=16):
    cmd = ["wrk", "-t2", "-c%d" % connections, "-d%ds" % seconds, "--latency", "-H", "Authorization: Bearer " + token]
    if script:
        cmd += ["-s", str(ROOT / "bench" / script)]
    out = subprocess.run(cmd + [url], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1))
    p99 = ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors}


def ms(value):
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


PATHS = [
    # name, service, path (with {order}), wrk script
    ("1 hop  GET customer-service /customers/me", "customer-service", "/customers/me", None),
    ("2 hops GET order-service /orders/{id}", "order-service", "/orders/{order}", None),
    ("3 hops GET gateway /api/orders/{id}", "api-gateway", "/api/orders/{order}", None),
    ("3 hops GET gateway /api/trace", "api-gateway", "/api/trace", None),
    ("POST gateway /api/orders (3 hops, 2 writes)", "api-gateway", "/api/orders", "post-order.lua"),
]


def measure(stacks, paths, seconds, rounds, warmups):
    results = {}
    for name, service, path, script in paths:
        targets = [(stack.name, stack, stack.url(service, path.replace("{order}", stack.order_id)))
                   for stack in stacks]
        results.update(alternate(name, targets, seconds, rounds, warmups, script))
    return results


THREADING_MODES = ["worker", "virtual", "reactive", "edge"]


def measure_threading(stack, seconds, rounds, warmups):
    """The 3-hop trace in each threading model, on one stack, alternating."""
    targets = [(mode, stack, stack.url("api-gateway", "/bench/threading/%s/trace" % mode))
               for mode in THREADING_MODES]
    return alternate(THREADING_PATH, targets, seconds, rounds, warmups, None)


THREADING_PATH = "3 hops GET gateway /bench/threading/{mode}/trace"


def alternate(name, targets, seconds, rounds, warmups, script):
    """Warm each target until two runs agree within 10%, then rounds of A/B/C with the first one rotating.
    Every run is kept: ratios are taken per round (paired) and their median reported."""
    runs = {}
    for label, stack, url in targets:
        stack.login()
        previous = None
        for _ in range(warmups):  # at most `warmups` runs
            rps = wrk(url, stack.token, max(2, seconds // 2), script)["rps"]
            if previous and abs(rps - previous) <= 0.1 * max(rps, previous):
                break
            previous = rps
    for r in range(rounds):
        for label, stack, url in targets[r % len(targets):] + targets[:r % len(targets)]:
            stack.login()  # access tokens live 5 minutes, less than a path's measurement
            runs.setdefault((name, label), []).append(wrk(url, stack.token, seconds, script))
    log("measured", name)
    return {k: {m: statistics.median(run[m] for run in v) for m in ("rps", "p50", "p99")} | {
        "errors": sum(run["errors"] for run in v), "runs": [run["rps"] for run in v],
        "p99_runs": [run["p99"] for run in v]} for k, v in runs.items()}


def paired(a, b, metric="runs"):
    """Median over rounds of a/b, each round's two runs taken minutes apart at most."""
    if metric in a and metric in b:
        return statistics.median(x / y for x, y in zip(a[metric], b[metric]))
    return a["rps" if metric == "runs" else "p99"] / b["rps" if metric == "runs" else "p99"]


def login_rate(stack, seconds):
    return wrk(stack.url("api-gateway", "/auth/login"), "none", seconds, "login.lua", connections=4)


def start_times(stack, samples, services):
    """Start to ready of each service alone: the fast-jar build; the normal aot-jar build without a cache; and
    with a JDK AOT cache trained by one run that starts it, sends it a few requests and stops it (as run.sh
    does; Dockerfile.jvm trains on an offline start instead)."""
    rows = {}
    for service in services:
        fast = WORK / "apps" / "fast-jar" / service / "quarkus-run.jar"
        jar = WORK / "apps" / "secured" / service / "quarkus-run.jar"
        cache = WORK / "aot" / (service + ".aot")
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.unlink(missing_ok=True)
        training = Process(service + " training", [JAVA, "-XX:AOTCacheOutput=" + str(cache),
                                                   *stack.config(service), "-jar", str(jar)],
                           WORK / "logs" / ("aot-training-" + service + ".log"))
        try:
            wait_ready(stack.management[service], training)
            for path in ("/q/health/live", "/q/health/ready"):
                with contextlib.suppress(Exception):
                    http("http://localhost:%d%s" % (stack.management[service], path))
        finally:
            training.stop()
        variants = [("fast-jar", fast, []), ("aot-jar, no cache", jar, [])]
        if cache.exists():
            variants.append(("aot-jar + AOT cache", jar, ["-XX:AOTCache=" + str(cache)]))
        for label, app, flags in variants:
            times, inside = [], []
            for i in range(samples):
                log_file = WORK / "logs" / ("start-%s-%s-%d.log" % (service, re.sub(r"\W+", "-", label), i))
                p = Process(service, [JAVA, *flags, *stack.config(service), "-jar", str(app)], log_file)
                try:
                    times.append(wait_ready(stack.management[service], p))
                finally:
                    p.stop()
                # Quarkus's own "started in": its boot alone, without the JVM's start before main().
                started = re.search(r"started in ([\d.]+)s", log_file.read_text())
                if started:
                    inside.append(float(started.group(1)) * 1000)
            rows[(service, label)] = statistics.median(times)
            if inside:
                QUARKUS_STARTED_IN[(service, label)] = statistics.median(inside)
    return rows


QUARKUS_STARTED_IN = {}


def goals(saved):
    results, login, loaded, starts = saved["results"], saved["login"], saved["loaded"], saved["starts"]

    def verdict(ok):
        return "met" if ok else "**missed**"
    out = ["| goal | measured | verdict |", "|---|---|---|"]
    for name, floor in (("3 hops GET gateway /api/orders/{id}", 0.85), ("3 hops GET gateway /api/trace", 0.85),
                        ("1 hop  GET customer-service /customers/me", 0.70)):
        s, u = results[(name, "secured")], results[(name, "unverified")]
        ratio, p99 = paired(s, u), paired(s, u, "p99_runs")
        out.append("| %s: secured/unverified req/s >= %.2f, p99 <= 1.2x | %.2f, p99 %.2fx | %s |"
                   % (name, floor, ratio, p99, verdict(ratio >= floor and p99 <= 1.2)))
    for name, before in BEFORE_3HOP_RPS.items():
        rps = results[(name, "secured")]["rps"]
        out.append("| %s: >= 2x the issue's %d req/s | %.0f req/s (%.2fx) | %s |"
                   % (name, before, rps, rps / before, verdict(rps >= 2 * before)))
    fast = max(v for (svc, label), v in starts.items() if label == "fast-jar")
    aot = [v for (svc, label), v in starts.items() if label.endswith("AOT cache")]
    out.append("| start to ready <= 1.0 s as a fast-jar (slowest service) | %.2f s | %s |" % (fast / 1000,
                                                                                          verdict(fast <= 1000)))
    if aot:
        out.append("| start to ready <= 0.35 s with the AOT cache (slowest service) | %.2f s | %s |"
                   % (max(aot) / 1000, verdict(max(aot) <= 350)))
    if "secured-small-heap" in loaded:
        rss = max(loaded["secured-small-heap"].values())
        tput = min(paired(results[(n, "secured-small-heap")], results[(n, "secured")]) for n, *_ in PATHS)
        out.append("| RSS <= 128 MB after load (small heap: %s), <= 10%% less throughput | max %.0f MB, worst "
                   "throughput %.2fx | %s |" % (" ".join(SMALL_HEAP), rss, tput, verdict(rss <= 128 and tput >= 0.9)))
    out.append("| login: bcrypt cost and logins/s per core | cost 10, %.1f logins/s on %d cores = %.1f per core | "
               "stated |" % (login["rps"], os.cpu_count(), login["rps"] / os.cpu_count()))
    out += ["", "A missed goal stays here as missed; the profiles below were taken in this run and say where the "
            "time and the memory go."]
    return out


def cpu_profile(process, url, token, seconds):
    """A JFR CPU profile of one process under wrk: the share of samples whose stack holds each category, and
    the hottest top frames."""
    jfr_file = WORK / "logs" / ("profile-%d.jfr" % process.proc.pid)
    jcmd = str(Path(JAVA).parent / "jcmd")
    subprocess.run([jcmd, str(process.proc.pid), "JFR.start", "name=bench", "settings=profile"],
                   check=True, capture_output=True)
    wrk(url, token, seconds)
    subprocess.run([jcmd, str(process.proc.pid), "JFR.stop", "name=bench", "filename=" + str(jfr_file)],
                   check=True, capture_output=True)
    text = subprocess.run([str(Path(JAVA).parent / "jfr"), "print", "--events", "jdk.ExecutionSample",
                           "--stack-depth", "64", str(jfr_file)], check=True, capture_output=True, text=True).stdout
    stacks = []
    for block in text.split("jdk.ExecutionSample {")[1:]:
        frames = re.findall(r"^\s+([\w$.<>]+)\(", block.split("stackTrace = [", 1)[-1], re.M)
        if frames:
            stacks.append(frames)
    categories = {
        "RSA signature verification (sun.security.rsa, java.math.BigInteger)": ("sun.security.rsa.",
                                                                                 "java.math.BigInteger."),
        "JOSE parsing and claims (org.jose4j)": ("org.jose4j.",),
        "verified-token cache (chassis VerifiedTokenCache, Caffeine)": ("VerifiedTokenCache", "caffeine"),
        "JSON (Jackson)": ("com.fasterxml.jackson.",),
        "HTTP server and client I/O (Vert.x, Netty)": ("io.netty.", "io.vertx."),
        "database (PostgreSQL JDBC, Agroal, chassis Sql)": ("org.postgresql.", "io.agroal.", "chassis.persistence."),
        "logging (JBoss LogManager)": ("org.jboss.logmanager.",),
    }
    # Each sample goes to the category of its innermost frame that has one (JDK frames such as
    # StringBuilder fall through to the library that called them), else to "other".
    shares = {name: 0 for name in list(categories) + ["other (JDK, Quarkus, Arc, RESTEasy, application)"]}
    for st in stacks:
        shares[next((name for f in st for name, keys in categories.items() if any(k in f for k in keys)),
                    "other (JDK, Quarkus, Arc, RESTEasy, application)")] += 1
    total = len(stacks) or 1
    shares = {name: 100.0 * n / total for name, n in shares.items()}
    tops = {}
    for st in stacks:
        tops[st[0]] = tops.get(st[0], 0) + 1
    hottest = [(m, 100.0 * n / total) for m, n in sorted(tops.items(), key=lambda kv: -kv[1])[:8]]
    return {"samples": len(stacks), "shares": shares, "hottest": hottest, "file": str(jfr_file.relative_to(ROOT))}


def native_memory(process):
    """Committed memory by JVM area (Native Memory Tracking, summary), MB."""
    out = subprocess.run([str(Path(JAVA).parent / "jcmd"), str(process.proc.pid), "VM.native_memory", "summary"],
                         capture_output=True, text=True).stdout
    areas = {m.group(1).strip(): int(m.group(2)) / 1024 for m in
             re.finditer(r"^-\s+([A-Za-z][\w ]*?) \(reserved=\d+KB, committed=(\d+)KB", out, re.M)}
    total = re.search(r"Total: reserved=\d+KB, committed=(\d+)KB", out)
    return {"total": int(total.group(1)) / 1024 if total else None,
            "areas": dict(sorted(areas.items(), key=lambda kv: -kv[1])[:8])}


@contextlib.contextmanager
def postgres_running(databases):
    """test-support's embedded PostgreSQL on PG_PORT, fresh, holding these "name:owner" databases."""
    subprocess.run(["./mvnw", "-B", "-q", "-pl", "test-support", "dependency:build-classpath",
                    "-Dmdep.includeScope=test", "-Dmdep.outputFile=" + str(WORK / "pg.classpath")],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    shutil.rmtree(WORK / "pgdata", ignore_errors=True)
    env = dict(os.environ, PG_PORT=str(PG_PORT), PG_DATA=str(WORK / "pgdata"), PG_DATABASES=" ".join(databases))
    pg_log = WORK / "logs" / "postgres.log"
    postgres = subprocess.Popen([JAVA, "-cp", "test-support/target/test-classes:" + (WORK / "pg.classpath").read_text(),
                                 "dev.accesstoken.testsupport.Postgres"], cwd=ROOT, env=env,
                                stdout=open(pg_log, "w"), stderr=subprocess.STDOUT)
    try:
        while "PostgreSQL ready" not in pg_log.read_text():
            if postgres.poll() is not None:
                raise RuntimeError("PostgreSQL did not start; see " + str(pg_log))
            time.sleep(0.2)
        yield
    finally:
        postgres.send_signal(signal.SIGTERM)
        postgres.wait(30)


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    mem = int(next(l.split()[1] for l in Path("/proc/meminfo").read_text().splitlines()
                   if l.startswith("MemTotal"))) / 1024 / 1024
    jdk = subprocess.run([JAVA, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return "%s, %d cores, %.0f GiB, %s; %s" % (cpu, os.cpu_count(), mem, platform.platform(), jdk)


def keyed(d):
    return {"%s|%s" % k: v for k, v in d.items()}


def unkeyed(d):
    return {tuple(k.split("|")): v for k, v in d.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="about a minute, only to prove the harness works")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--report", action="store_true", help="write BENCHMARKS.md again from the last results.json")
    parser.add_argument("--persistence-only", action="store_true",
                        help="measure only the persistence clients, add them to the last results.json and report")
    args = parser.parse_args()
    (WORK / "logs").mkdir(parents=True, exist_ok=True)
    if args.persistence_only:
        build_persistence_clients()
        with postgres_running(["p_bench:p_bench"]):
            persistence = persistence_clients(10, 3)
        saved = json.loads((WORK / "results.json").read_text())
        saved["persistence"] = persistence
        saved["persistence_note"] = "measured by a separate `bash bench/run.sh --persistence-only` at " + time.strftime(
            "%Y-%m-%d %H:%M UTC", time.gmtime())
        (WORK / "results.json").write_text(json.dumps(saved, indent=1))
        args.report = True
    if args.report:
        saved = json.loads((WORK / "results.json").read_text())
        for key in ("results", "starts", "threading", "started_in"):
            saved[key] = unkeyed(saved.get(key, {}))
        return report(saved, False)

    seconds, rounds, warmups, samples = (1, 1, 0, 1) if args.smoke else (10, 3, 6, 3)
    if not args.skip_build:
        build([b[0] for b in BUILDS])
    build_persistence_clients()
    stacks = [Stack("secured", "secured", 18080, []),
              Stack("secured-nocache", "secured", 20080, ["-Daccess-token.token-cache.enabled=false"]),
              Stack("unverified", "unverified", 22080, ["-Dbench.unverified-tokens=accept-forged-tokens"]),
              # The small-pod candidate: the normal build with a small serial-GC heap. Native Memory Tracking
              # (summary: a few MB, no measurable CPU) says where its memory goes.
              Stack("secured-small-heap", "secured", 24080, SMALL_HEAP + ["-XX:NativeMemoryTracking=summary"])]
    threading = Stack("threading", "threading", 28080, [])
    startup = Stack("startup", "secured", 26080, [])
    paths = PATHS
    if args.smoke:  # every part once, briefly: two stacks, two paths, one service's start times
        stacks, paths = [stacks[0], stacks[2]], [PATHS[0], PATHS[2]]
    saved = {"variants": [s.name for s in stacks], "paths": [p[0] for p in paths]}
    databases = ["p_bench:p_bench"] + [d for s in stacks + [threading, startup] for d in s.databases()]
    with postgres_running(databases):
        try:
            for stack in stacks:
                log("starting", stack.name)
                stack.start()
            saved["idle"] = {s.name: s.rss() for s in stacks}
            saved["results"] = measure(stacks, paths, seconds, rounds, warmups)
            saved["login"] = login_rate(stacks[0], seconds)
            saved["loaded"] = {s.name: s.rss() for s in stacks}
            # Where the time goes on the path with the widest gap, and where the small pod's memory goes.
            one_hop = stacks[0]
            one_hop.login()
            saved["profile"] = cpu_profile(one_hop.processes["customer-service"],
                                           one_hop.url("customer-service", "/customers/me"), one_hop.token, seconds)
            small = next((s for s in stacks if s.name == "secured-small-heap"), None)
            if small:
                saved["nmt"] = {svc: native_memory(p) for svc, p in small.processes.items()}
        finally:
            for stack in stacks:
                stack.stop()
        log("starting", threading.name)
        try:
            threading.start()
            saved["threading"] = measure_threading(threading, seconds, rounds, warmups)
        finally:
            threading.stop()
        saved["starts"] = start_times(startup, samples, ["customer-service"] if args.smoke else SERVICES)
        saved["started_in"] = dict(QUARKUS_STARTED_IN)
        log("measuring the persistence clients ...")
        saved["persistence"] = persistence_clients(seconds, rounds)
    saved["written"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    saved["machine"] = machine()
    if not args.smoke:
        (WORK / "results.json").write_text(json.dumps(
            {k: keyed(v) if k in ("results", "starts", "threading", "started_in") else v for k, v in saved.items()},
            indent=1))
    report(saved, args.smoke)


def report(saved, smoke):
    results, variants = saved["results"], saved["variants"]
    paths = [p for p in PATHS if p[0] in saved["paths"]]
    lines = ["| path | variant | req/s | p50 ms | p99 ms | errors |", "|---|---|---:|---:|---:|---:|"]
    for name, *_ in paths:
        for variant in variants:
            r = results[(name, variant)]
            lines.append("| %s | %s | %.0f | %.2f | %.2f | %d |" % (name, variant, r["rps"], r["p50"], r["p99"],
                                                                   r["errors"]))
    lines += ["", "Ratios are medians of per-round ratios (each round runs the variants back to back):", "",
              "| path | secured / unverified req/s | secured p99 / unverified p99 | cache on / off req/s |",
              "|---|---:|---:|---:|"]
    for name, *_ in paths:
        s, u = results[(name, "secured")], results[(name, "unverified")]
        n = results.get((name, "secured-nocache"))
        lines.append("| %s | %.2f | %.2f | %s |" % (name, paired(s, u), paired(s, u, "p99_runs"),
                                                    "%.2f" % paired(s, n) if n else "n/a"))
    threading = saved["threading"]
    lines += ["", "Threading model, the same 3-hop trace (`bench/threading`, one stack, modes alternating): "
              "`worker`: a blocking endpoint and client on a worker thread (what the services' database endpoints do), "
              "`virtual` the same code with `@RunOnVirtualThread`, `reactive` a `Uni` endpoint and `Uni` client on "
              "the event loop (what every hop of `/api/trace` does), `edge` a reactive gateway over worker-thread "
              "services (what `/api/orders/{id}` does).",
              "", "| mode | req/s | p50 ms | p99 ms | errors | req/s vs worker |", "|---|---:|---:|---:|---:|---:|"]
    worker = threading[(THREADING_PATH, "worker")]
    for mode in THREADING_MODES:
        r = threading[(THREADING_PATH, mode)]
        lines.append("| %s | %.0f | %.2f | %.2f | %d | %.2f |" % (mode, r["rps"], r["p50"], r["p99"], r["errors"],
                                                                  paired(r, worker)))
    login = saved["login"]
    lines += ["", "Login (bcrypt cost 10, 4 connections): %.1f logins/s, p50 %.0f ms, p99 %.0f ms, %d errors"
              % (login["rps"], login["p50"], login["p99"], login["errors"]), "",
              "| service | variant | RSS idle MB | RSS after load MB |", "|---|---|---:|---:|"]
    for variant in saved["idle"]:
        for service in SERVICES:
            lines.append("| %s | %s | %.0f | %.0f |" % (service, variant, saved["idle"][variant][service],
                                                        saved["loaded"][variant][service]))
    lines += ["", "Start to ready: from the process start until `/q/health/ready` answers 200 (median); Quarkus "
              "\"started in\": what Quarkus logs for its own boot (connecting to PostgreSQL and Flyway included); the "
              "difference is the JVM's start before `main()` and the first readiness check.", "",
              "| service | start | start to ready ms | Quarkus \"started in\" ms |", "|---|---|---:|---:|"]
    started_in = saved.get("started_in", {})
    for (service, label), value in saved["starts"].items():
        inside = started_in.get((service, label))
        lines.append("| %s | %s | %.0f | %s |" % (service, label, value, "%.0f" % inside if inside else "?"))
    native = shutil.which("native-image")
    lines.append("| all | native | %s | |" % ("not built by this harness yet" if native else
                                                "skipped: no GraalVM/Mandrel native-image on this machine"))
    persistence = saved.get("persistence")
    if persistence:
        note = saved.get("persistence_note")
        lines += ["", "Persistence client (issue 6's choice): customer-service's reservation transaction, 100 customers, "
                  "16 connections and 16 transactions in flight, `bench/persistence-clients`%s:" % (
                      " (" + note + ")" if note else ""), "",
                  "| client | transactions/s | p50 ms | p99 ms |", "|---|---:|---:|---:|"]
        for client, r in persistence.items():
            lines.append("| %s | %.0f | %.2f | %.2f |" % (client, r["tps"], r["p50"], r["p99"]))
    profile = saved.get("profile")
    if profile:
        lines += ["", "CPU profile of customer-service (`secured`) under the 1-hop load, JFR `profile` settings, "
                  "%d samples (`%s`), each sample counted once, for the innermost frame with a category" % (profile["samples"], profile["file"]), "",
                  "| category | % of samples |", "|---|---:|"]
        lines += ["| %s | %.1f |" % kv for kv in profile["shares"].items()]
        lines += ["", "| hottest top frame | % of samples |", "|---|---:|"]
        lines += ["| `%s` | %.1f |" % (m, share) for m, share in profile["hottest"]]
    nmt = saved.get("nmt")
    if nmt:
        lines += ["", "Where the small pod's memory goes (`secured-small-heap` after load, Native Memory Tracking, "
                  "committed MB; RSS is lower where committed pages were never touched):", "",
                  "| service | total | largest areas |", "|---|---:|---|"]
        for service, n in nmt.items():
            lines.append("| %s | %s | %s |" % (service, "%.0f" % n["total"] if n["total"] else "?", ", ".join(
                "%s %.0f" % kv for kv in n["areas"].items())))
    if not smoke:
        lines += ["", "## Goals of issue 7, from this run", ""] + goals(saved)
    table = "\n".join(lines)
    print(table)
    if smoke:
        failed = [k for k, r in list(results.items()) + list(threading.items()) if r["errors"]]
        if failed:
            raise SystemExit("smoke pass FAILED: requests answered with errors on %s" % failed)
        log("smoke pass done: the harness works (numbers from --smoke mean nothing and are not written)")
        return
    header = ("# Benchmarks\n\nWritten by `bash bench/run.sh` on %s.\n\nMachine: %s.\n\n"
              "Each figure is the median of 3 alternating runs of `wrk -t2 -c16 -d10s --latency` after a warm-up "
              "that ran until two runs agreed within 10%%. Variants run side by side: `secured` (the normal build, "
              "aot-jar, verified-token cache on), `secured-nocache` (`access-token.token-cache.enabled=false`), "
              "`unverified` (the benchmark-only build that reads tokens without verifying them) and "
              "`secured-small-heap` (the normal build with `%s`). All twelve processes share the 2 cores with wrk, "
              "so compare variants within one run, by the paired ratios: absolute figures of two full runs on the "
              "same machine differed by up to 40%% on a path.\n\n"
              % (saved["written"], saved.get("machine") or machine(), " ".join(SMALL_HEAP)))
    (ROOT / "BENCHMARKS.md").write_text(header + table + "\n")
    log("wrote BENCHMARKS.md")


if __name__ == "__main__":
    main()
