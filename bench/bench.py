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
# The pods' memory limit (k8s/overlays/jvm): a container's JVM sizes itself from it, a process here from -XX:MaxRAM.
POD_MAX_RAM = "-XX:MaxRAM=384m"
# A ratio whose rounds spread more than this (max - min over the median) is noisy and never reported as met.
NOISY = 0.15
# The "today" (issue 7, measured before this work on the same kind of machine): upper ends of its ranges.
BEFORE_3HOP_RPS = {"3 hops GET gateway /api/orders/{id}": 1500, "3 hops GET gateway /api/trace": 1600}


def docker_flags(service):
    """The JVM flags of the service's image, from its Dockerfile.jvm: (training flags, run flags, whether the image
    names its trained flags in ARG JAVA_OPTS_TRAINED). Training: the `java -XX:AOTCacheOutput=...` line, less the
    output; run: ENV JAVA_OPTS, less the cache path (the bench passes its own) and the listen address."""
    text = (ROOT / service / "src/main/docker/Dockerfile.jvm").read_text()
    arg = re.search(r'^ARG JAVA_OPTS_TRAINED="([^"]*)"', text, re.M)

    def expand(value):
        return re.sub(r"\$\{?JAVA_OPTS_TRAINED\}?", lambda _: arg.group(1) if arg else "", value)
    joined = text.replace("\\\n", " ")
    run = re.search(r"java ((?:\$\{?JAVA_OPTS_TRAINED\}? +)?-XX:AOTCacheOutput=.*?) -jar ", joined)
    training = [t for t in expand(run.group(1) if run else "").split() if not t.startswith("-XX:AOTCacheOutput=")]
    env = re.search(r'^ENV JAVA_OPTS="([^"]*)"', text, re.M)
    image = [t for t in expand(env.group(1) if env else "").split()
             if not t.startswith(("-XX:AOTCache=", "-Dquarkus.http.host="))]
    if arg and arg.group(1).split() and not set(arg.group(1).split()) <= set(training):
        training += arg.group(1).split()  # named but not on the training line: the image still means them
    return training, image, bool(arg)


def overlay_flags():
    """JAVA_OPTS_APPEND of the k8s JVM overlay (added after the image's JAVA_OPTS in the pods), if it sets one."""
    text = (ROOT / "k8s/overlays/jvm/kustomization.yaml").read_text()
    m = re.search(r"name: JAVA_OPTS_APPEND\s*\n\s*value:\s*(.*)\n((?:[ \t]+-[XD]\S*(?:[ \t]+-[XD]\S*)*[ \t]*\n?)*)",
                  text)
    if not m:
        return []
    inline = m.group(1).strip().strip('"')
    return (m.group(2) if inline in (">-", ">", "|") else inline).split()


def dedup(flags):
    """Later flags win, as on the JVM's command line; keeps the last of each -XX name or -D key."""
    seen, out = set(), []
    for flag in reversed(flags):
        key = re.sub(r"^-XX:[+-]?", "-XX:", flag.split("=", 1)[0])
        if key not in seen:
            seen.add(key)
            out.append(flag)
    return list(reversed(out))


def pod_flags(service):
    """The JVM flags a JVM pod runs this service with, without its AOT cache: the image's JAVA_OPTS, the JVM
    overlay's JAVA_OPTS_APPEND, and the pod's memory limit as -XX:MaxRAM."""
    return dedup(docker_flags(service)[1] + overlay_flags() + [POD_MAX_RAM])


def default_heap_flags(service):
    """The same pod without the overlay's GC and heap flags: the JVM's defaults within the pod's memory."""
    return dedup(docker_flags(service)[1] + [POD_MAX_RAM])


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
MINIMAL = "minimal"  # bench/minimal: the same trace path with no security and no chassis, one app for every hop


class Part:
    """One chassis part turned off in a benchmark-only build (Maven -D build-time properties) or at run time
    (-D on the JVM): `--parts` measures the trace paths without it, against the normal build. A part that cannot
    be turned off without a code change says so (`why_not`) and is not measured."""

    def __init__(self, name, how, build=None, run=(), check=None, why_not=None):
        self.name, self.how, self.build, self.run, self.check, self.why_not = name, how, build, list(run), check, why_not

    @property
    def variant(self):
        return "parts-" + re.sub(r"\W+", "-", self.name) if self.build else "secured"

    @property
    def stack(self):
        return "without " + self.name


def no_http_buckets(stack):
    """The HTTP server timers are no histograms any more: no http_server_requests_seconds_bucket series."""
    body = http("http://localhost:%d/q/metrics" % stack.management["customer-service"])[1].decode()
    return "http_server_requests_seconds_bucket" not in body, "http_server_requests_seconds_bucket in /q/metrics"


PARTS = [
    Part("metrics histograms", "build: `quarkus.arc.exclude-types` drops the chassis's `HttpHistograms` filter "
         "(the HTTP server and client timers stay, as plain timers)",
         build=["-Dquarkus.arc.exclude-types=dev.accesstoken.chassis.metrics.HttpHistograms"], check=no_http_buckets),
    Part("OpenTelemetry", "build: `quarkus.otel.enabled=false` and `quarkus.datasource.jdbc.telemetry=false` (no "
         "instrumentation; the SDK is off at run time in both builds; the chassis's `EndUserSpans` filters still run, "
         "on a no-op span)",
         build=["-Dquarkus.otel.enabled=false", "-Dquarkus.datasource.jdbc.telemetry=false"]),
    Part("request ids", "", why_not="no switch without a code change: `RequestIds` is a pair of RESTEasy Reactive "
         "filters, which `quarkus.arc.exclude-types` does not remove (quarkusio/quarkus#34697; excluding the bean "
         "would fail each request instead); an `@IfBuildProperty` on the class would make it switchable"),
    Part("audit", "run: `quarkus.log.category.\"audit\".level=OFF` (the lines are not written; the calls that "
         "build them remain; a valid token on the trace path writes none anyway)",
         run=['-Dquarkus.log.category."audit".level=OFF']),
    Part("fault tolerance", "run: `quarkus.fault-tolerance.enabled=false` (every strategy but fallback off; the "
         "interceptors still run and pass through)", run=["-Dquarkus.fault-tolerance.enabled=false"]),
    Part("validation", "", why_not="no switch without a code change: Hibernate Validator has no property that "
         "turns it off, only removing the extension would; the trace methods carry no constraint, so no validation "
         "interceptor is bound on this path"),
]


def build(variants):
    """Each build copied aside into target/bench/apps/<variant>."""
    parts = {p.variant: p.build for p in PARTS if p.build}
    for variant, profile in [b for b in BUILDS if b[0] in variants] + [(v, a) for v, a in parts.items()
                                                                      if v in variants]:
        log("building", variant, "...")
        mvn(*profile)
        for service in SERVICES:
            target = WORK / "apps" / variant / service
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / service / "target" / "quarkus-app", target)
    if parts and any(v in variants for v in parts):  # a part's build was the last: leave target/ as it ships
        log("building secured again, so that target/quarkus-app ends as it ships ...")
        mvn()
    if MINIMAL in variants:
        log("building", MINIMAL, "...")
        # Not in the root pom's module list (./mvnw verify never builds it): built on its own.
        sh("./mvnw", "-B", "-q", "-f", "bench/minimal/pom.xml", "package", "-DskipTests")
        target = WORK / "apps" / MINIMAL
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(ROOT / "bench/minimal/target/quarkus-app", target)


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

    def signal(self, sig):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)

    def stop(self, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)  # a frozen JVM would not act on SIGTERM
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


# Generous: CI runs the smoke pass on a loaded 2-core machine, where a JVM took 30 s to start.
READY_TIMEOUT = 300


def signing_key():
    """The gateway's signing key, as the pods mount it from a Secret (k8s/base/api-gateway.yaml): without one it
    would make an RSA key pair at every start, which no pod does. Made once with openssl; none without it."""
    pem = WORK / "signing-key.pem"
    if not pem.exists() and shutil.which("openssl"):
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
                        str(pem)], check=True, capture_output=True)
    return ["-Dsmallrye.jwt.sign.key.location=" + str(pem)] if pem.exists() else []


def wait_ready(url, process, timeout=READY_TIMEOUT, any_answer=False):
    """Milliseconds from the process start until the URL answers 200 (/q/health/ready on the management port);
    with any_answer, until it answers at all (the minimal stack has no health check: its HTTP port opens when
    Quarkus has started)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.proc.poll() is not None:
            raise RuntimeError("%s exited; see %s" % (process.name, process.log.name))
        try:
            if http(url, timeout=1)[0] == 200:
                return (time.monotonic() - process.started) * 1000
        except urllib.error.HTTPError:
            if any_answer:
                return (time.monotonic() - process.started) * 1000
        except Exception:
            pass
        time.sleep(0.01)
    raise RuntimeError("%s not ready within %ds" % (process.name, timeout))


def train_aot_cache(variant, service, management_port, extra=()):
    """A JDK AOT cache for this build of the service, trained as its Dockerfile.jvm trains it: one offline start
    (profile aot-training) with the image's training flags, stopped once Quarkus has started. Returns the cache,
    or None when the JVM wrote none. One training per build and service in a run."""
    if (variant, service) in CACHES:
        return CACHES[(variant, service)]
    cache = WORK / "aot" / variant / (service + ".aot")
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.unlink(missing_ok=True)
    log_file = WORK / "logs" / ("aot-training-%s-%s.log" % (variant, service))
    training = Process("%s/%s training" % (variant, service),
                       [JAVA, "-XX:AOTCacheOutput=" + str(cache), *docker_flags(service)[0],
                        "-Dquarkus.management.port=%d" % management_port, *extra,
                        "-jar", str(WORK / "apps" / variant / service / "quarkus-run.jar")], log_file)
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while "started in" not in log_file.read_text():
            if training.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("AOT training of %s/%s failed; see %s" % (variant, service, log_file))
            time.sleep(0.2)
    finally:
        training.stop(READY_TIMEOUT)  # the JVM writes the cache on exit, which takes a while on a loaded machine
    CACHES[(variant, service)] = cache if cache.exists() and cache.stat().st_size else None
    return CACHES[(variant, service)]


CACHES = {}


def aot_cache_used(log_text):
    """Whether the JVM used its AOT cache, from -Xlog:aot's lines: opened, and no line saying it was refused."""
    refused = re.search(r"^.*(?:Unable to use|unable to use|disabled|mismatch|\[error\]).*$", log_text, re.M)
    if "Opened AOT cache" in log_text and not refused:
        return True, ""
    return False, (refused.group(0).strip() if refused else "the cache was not opened")


class Stack:
    """The three services of one variant on their own ports and databases, with the pods' JVM flags. `kind`
    minimal: bench/minimal playing each hop, no database, no management interface, no login."""

    def __init__(self, name, variant, base_port, extra, jvm=pod_flags, aot=False, paths=None):
        self.name, self.variant, self.extra, self.jvm, self.aot = name, variant, extra, jvm, aot
        self.minimal = variant == MINIMAL
        self.paths = paths  # the paths it serves (names in PATHS); None: all
        self.ports = {"api-gateway": base_port, "order-service": base_port + 1, "customer-service": base_port + 2}
        # Each service's management interface (/q/health, /q/metrics): ten above its HTTP port.
        self.management = {s: p + 10 for s, p in self.ports.items()}
        self.db = re.sub(r"\W+", "_", name).lower()  # PostgreSQL folds unquoted names to lower case
        self.processes = {}
        self.caches = {}  # service: AOT cache used, when aot
        self.token_source = None  # minimal: the stack whose tokens it is sent (it verifies nothing)
        self.frozen = False
        self.order_id = "none"

    def serves(self, path_name):
        return self.paths is None or path_name in self.paths

    def config(self, service):
        if self.minimal:
            c = ["-Dquarkus.http.port=%d" % self.ports[service]]
            nxt = {"api-gateway": "order-service", "order-service": "customer-service"}.get(service)
            if nxt:
                c.append("-Dquarkus.rest-client.%s.url=%s" % (nxt, self.url(nxt, "")))
            return c + self.extra
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
                 *self.datasource("g"), *signing_key(),
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
        return [] if self.minimal else ["%s_%s:%s_%s" % (k, self.db, k, self.db) for k in ("o", "c", "g")]

    def jar(self, service):
        return WORK / "apps" / self.variant / ("" if self.minimal else service) / "quarkus-run.jar"

    def start(self):
        for service in SERVICES:
            flags = self.jvm(service)
            if self.aot:
                cache = train_aot_cache(self.variant, service, self.management[service],
                                        [e for e in self.extra if e.startswith("-Dbench.")])
                if cache:
                    self.caches[service] = cache
                    flags = flags + ["-XX:AOTCache=" + str(cache)]
            p = Process("%s/%s" % (self.name, service), [JAVA, *flags, *self.config(service), "-jar",
                                                         str(self.jar(service))],
                        WORK / "logs" / ("%s-%s.log" % (self.name.replace(" ", "-"), service)))
            self.processes[service] = p
            if self.minimal:
                wait_ready(self.url(service, "/"), p, any_answer=True)
            else:
                wait_ready("http://localhost:%d/q/health/ready" % self.management[service], p)
        self.login()
        if not self.minimal:  # one order to read
            deadline = time.monotonic() + READY_TIMEOUT
            while time.monotonic() < deadline:
                try:
                    status, body = http(self.url("api-gateway", "/api/orders"), b'{"amount":0.01}', self.token, 30)
                    self.order_id = json.loads(body)["id"]
                    break
                except Exception:
                    time.sleep(0.2)
        # The chain is warm enough to measure once the trace answers.
        prime(self.url("api-gateway", "/api/trace"), self.token)

    def login(self):
        """A fresh token (they live 5 minutes, less than a full run). Right after the login-rate measurement the
        gateway's bcrypt bulkhead may still be full (503) or the account throttled (429): wait as told, as a
        client should. The minimal stack is sent a token of a services stack: the same bytes, never verified."""
        if self.minimal:
            self.token = self.token_source.token
            return
        for attempt in range(60):
            try:
                status, body = http(self.url("api-gateway", "/auth/login"), json.dumps(
                    {"username": "alice", "password": "alice"}).encode(), timeout=30)
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

    def freeze(self):
        """SIGSTOP: the stack keeps its memory and its JIT-compiled code but takes no CPU while another runs."""
        for p in self.processes.values():
            p.signal(signal.SIGSTOP)
        self.frozen = True

    def thaw(self):
        for p in self.processes.values():
            p.signal(signal.SIGCONT)
        if self.frozen:
            time.sleep(1)  # its timers (JWKS refresh, reconciler, pool housekeeping) catch up first
        self.frozen = False

    def stop(self):
        for p in reversed(list(self.processes.values())):
            p.stop()


def prime(url, token, timeout=READY_TIMEOUT):
    """Until the URL answers 200 (a loaded machine's first requests may time out between hops), then a few more."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if http(url, token=token, timeout=30)[0] == 200:
                break
        except Exception:
            if time.monotonic() > deadline:
                raise RuntimeError("%s never answered 200 within %ds" % (url, timeout))
            time.sleep(0.2)
    for _ in range(5):
        with contextlib.suppress(Exception):
            http(url, token=token, timeout=30)


def same_json(services, minimal):
    """The premise of services / minimal: both chains answer the trace with the same bytes for the same token."""
    focus(services)
    token = services.token
    real = http(services.url("api-gateway", "/api/trace"), token=token, timeout=30)[1]
    focus(minimal)
    mini = http(minimal.url("api-gateway", "/api/trace"), token=token, timeout=30)[1]
    if real != mini:
        log("the minimal chain's trace differs from the services':\n%s\n%s" % (real.decode(), mini.decode()))
    return real == mini


RUNNING = []  # every stack started and not stopped: only the one measured runs, the others are frozen


def focus(stack):
    """Run this stack alone: freeze every other running stack, thaw this one, fetch it a fresh token."""
    for other in RUNNING:
        if other is not stack:
            other.freeze()
    stack.thaw()
    if stack.minimal and stack.token_source.frozen:
        stack.token_source.thaw()  # its token comes from a services stack's gateway
        stack.token_source.login()
        stack.token_source.freeze()
    stack.login()


def start_stack(stack):
    """Start a stack alone (the others frozen) and leave it running."""
    for other in RUNNING:
        other.freeze()
    log("starting", stack.name)
    RUNNING.append(stack)
    stack.start()


def stop_stacks(stacks):
    for stack in stacks:
        stack.stop()
        if stack in RUNNING:
            RUNNING.remove(stack)


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


TRACE = "3 hops GET gateway /api/trace"
LAST_HOP = "1 hop  GET customer-service /customers/trace (last hop)"
PATHS = [
    # name, service, path (with {order}), wrk script
    ("1 hop  GET customer-service /customers/me", "customer-service", "/customers/me", None),
    (LAST_HOP, "customer-service", "/customers/trace", None),
    ("2 hops GET order-service /orders/{id}", "order-service", "/orders/{order}", None),
    ("3 hops GET gateway /api/orders/{id}", "api-gateway", "/api/orders/{order}", None),
    (TRACE, "api-gateway", "/api/trace", None),
    ("POST gateway /api/orders (3 hops, 2 writes)", "api-gateway", "/api/orders", "post-order.lua"),
]


def measure(stacks, paths, seconds, rounds, warmups):
    results = {}
    for name, service, path, script in paths:
        targets = [(stack.name, stack, stack.url(service, path.replace("{order}", stack.order_id)))
                   for stack in stacks if stack.serves(name)]
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
    """Warm each target until two runs agree within 10%, then rounds of A/B/C with the first one rotating, each
    run with its stack alone (the others frozen). Every run is kept: ratios are taken per round (paired), their
    median reported with their spread."""
    runs = {}
    for label, stack, url in targets:
        focus(stack)
        if not script:  # a POST would make orders; the stack's start already wrote some
            prime(url, stack.token)
        previous = None
        for _ in range(warmups):  # at most `warmups` runs
            rps = wrk(url, stack.token, max(2, seconds // 2), script)["rps"]
            if previous and abs(rps - previous) <= 0.1 * max(rps, previous):
                break
            previous = rps
    for r in range(rounds):
        for label, stack, url in targets[r % len(targets):] + targets[:r % len(targets)]:
            focus(stack)  # also a fresh token: access tokens live 5 minutes, less than a path's measurement
            if not script:
                prime(url, stack.token)  # pooled connections between its hops may have timed out while frozen
            runs.setdefault((name, label), []).append(wrk(url, stack.token, seconds, script))
    log("measured", name)
    return {k: {m: statistics.median(run[m] for run in v) for m in ("rps", "p50", "p99")} | {
        "errors": sum(run["errors"] for run in v), "runs": [run["rps"] for run in v],
        "p99_runs": [run["p99"] for run in v]} for k, v in runs.items()}


def per_round(a, b, metric="runs"):
    if metric in a and metric in b:
        return [x / y for x, y in zip(a[metric], b[metric])]
    return [a["rps" if metric == "runs" else "p99"] / b["rps" if metric == "runs" else "p99"]]


def paired(a, b, metric="runs"):
    """Median over rounds of a/b, each round's two runs taken minutes apart at most."""
    return statistics.median(per_round(a, b, metric))


def spread(a, b, metric="runs"):
    """(max - min) / median of the per-round ratios: above NOISY, the ratio is noisy."""
    ratios = per_round(a, b, metric)
    return (max(ratios) - min(ratios)) / statistics.median(ratios)


def ratio_cell(a, b, metric="runs"):
    if a is None or b is None:
        return "n/a"
    s = spread(a, b, metric)
    return "%.2f (spread %.0f%%%s)" % (paired(a, b, metric), 100 * s, ", **noisy**" if s > NOISY else "")


def login_rate(stack, seconds):
    return wrk(stack.url("api-gateway", "/auth/login"), "none", seconds, "login.lua", connections=4)


def start_times(stack, minimal, samples, services):
    """Start to ready of each service alone, with the pods' JVM flags: the fast-jar build; the normal aot-jar build
    without a cache; and with a JDK AOT cache trained as Dockerfile.jvm trains it, -Xlog:aot saying whether the JVM
    used it. And the minimal app (no cache, as issue 20 measured it), until its HTTP port answers."""
    rows = {}

    def sample(service, label, args, ready_url, any_answer=False, aot_log=False):
        times, inside, used = [], [], []
        for i in range(samples):
            name = "start-%s-%s-%d" % (service, re.sub(r"\W+", "-", label), i)
            log_file = WORK / "logs" / (name + ".log")
            xlog = WORK / "logs" / (name + ".aot.log")
            p = Process(service, [JAVA, *(["-Xlog:aot=info:file=%s" % xlog] if aot_log else []), *args], log_file)
            try:
                times.append(wait_ready(ready_url, p, any_answer=any_answer))
            finally:
                p.stop()
            # Quarkus's own "started in": its boot alone, without the JVM's start before main().
            started = re.search(r"started in ([\d.]+)s", log_file.read_text())
            if started:
                inside.append(float(started.group(1)) * 1000)
            if aot_log:
                used.append(aot_cache_used(xlog.read_text() if xlog.exists() else ""))
        row = {"ms": statistics.median(times), "samples": times,
               "started_in": statistics.median(inside) if inside else None}
        if aot_log:
            row["cache"] = "used" if all(u for u, _ in used) else "NOT used: " + next(w for u, w in used if not u)
        rows[(service, label)] = row

    for service in services:
        ready = "http://localhost:%d/q/health/ready" % stack.management[service]
        flags = pod_flags(service)
        sample(service, "fast-jar", [*flags, *stack.config(service), "-jar",
                                     str(WORK / "apps" / "fast-jar" / service / "quarkus-run.jar")], ready)
        jar = str(WORK / "apps" / "secured" / service / "quarkus-run.jar")
        sample(service, "aot-jar, no cache", [*flags, *stack.config(service), "-jar", jar], ready)
        cache = train_aot_cache("secured", service, stack.management[service])
        if cache:
            args = [*flags, "-XX:AOTCache=" + str(cache), *stack.config(service), "-jar", jar]
            sample(service, "aot-jar + AOT cache", args, ready, aot_log=True)
            rows[(service, "aot-jar + AOT cache")]["steps"] = start_steps(service, args, ready)
    service = "customer-service"  # the minimal app is the same for every hop; the last hop calls out to no one
    sample("minimal", "aot-jar, no cache", [*pod_flags(service), *minimal.config(service), "-jar",
                                            str(minimal.jar(service))], minimal.url(service, "/"), any_answer=True)
    return rows


def start_steps(service, args, ready_url):
    """One more start as the pods run, with Quarkus's own timing of each recorded start-up step
    (`quarkus.debug.print-startup-times`, kept out of the timed starts): the steps of 50 ms or more, longest first."""
    log_file = WORK / "logs" / ("start-%s-steps.log" % service)
    p = Process(service, [JAVA, "-Dquarkus.debug.print-startup-times=true", *args], log_file)
    try:
        wait_ready(ready_url, p)
    finally:
        p.stop()
    steps = {m.group(1): int(m.group(2)) for m in
             re.finditer(r"Build step (\S+) completed in: (\d+)ms", log_file.read_text())}
    return sorted(((k, v) for k, v in steps.items() if v >= 50), key=lambda kv: -kv[1])


def start_row(value):
    """A row of results.json; older files held the median alone."""
    return value if isinstance(value, dict) else {"ms": value, "samples": [value], "started_in": None}


def verdict(*checks, measured=True):
    """met / missed / noisy / unmeasured from (ok, noisy) checks: one check missed by a ratio that is not noisy
    misses the goal whatever the others say; otherwise a noisy check makes it noisy, never met."""
    if not measured:
        return "unmeasured"
    if any(not ok and not noisy for ok, noisy in checks):
        return "**missed**"
    if any(noisy for _, noisy in checks):
        return "**noisy**"
    return "met"


def ratio_check(a, b, ok, metric="runs"):
    """(ok, noisy) of a paired ratio, ok judged on its median."""
    return ok(paired(a, b, metric)), spread(a, b, metric) > NOISY


def goals(saved):
    """Issue 20's goals (services against the minimal chain, start, memory, as the pods run), then issue 7's."""
    results, loaded, starts = saved["results"], saved.get("loaded", {}), saved["starts"]
    out = ["| goal | measured | verdict |", "|---|---|---|"]
    for name, label in ((TRACE, "`/api/trace`, 3 hops"), (LAST_HOP, "`/customers/trace`, the last hop alone")):
        s, m = results.get((name, "secured")), results.get((name, MINIMAL))
        if s is None or m is None or not saved.get("same_json", True):
            out.append("| %s: services / minimal req/s >= 0.85, p99 <= 1.2x | %s | unmeasured |" % (
                label, "not run" if s is None or m is None else "the minimal chain answered other JSON"))
            continue
        out.append("| %s: services / minimal req/s >= 0.85, p99 <= 1.2x | %s, p99 %s | %s |" % (
            label, ratio_cell(s, m), ratio_cell(s, m, "p99_runs"),
            verdict(ratio_check(s, m, lambda r: r >= 0.85), ratio_check(s, m, lambda r: r <= 1.2, "p99_runs"))))
    cached = {svc: start_row(v) for (svc, label), v in starts.items() if label == "aot-jar + AOT cache"}
    if cached:
        slowest = max(v["ms"] for v in cached.values())
        unused = [svc for svc, v in cached.items() if v.get("cache", "used") != "used"]
        out.append("| start to ready <= 1.0 s with the AOT cache, as the pods run (each service) | %s%s | %s |" % (
            ", ".join("%s %.2f s" % (svc, v["ms"] / 1000) for svc, v in cached.items()),
            "; cache NOT used by " + ", ".join(unused) if unused else "",
            verdict((slowest <= 1000 and not unused, False))))
    else:
        out.append("| start to ready <= 1.0 s with the AOT cache, as the pods run | no cache trained | unmeasured |")
    rss = loaded.get("secured")
    default = [(results[(n, "secured")], results[(n, "secured-default-heap")]) for n, *_ in PATHS
               if (n, "secured") in results and (n, "secured-default-heap") in results]
    loss = "unmeasured (no `secured-default-heap` stack in this run)"
    loss_check = None
    if default:
        worst = min(default, key=lambda pair: paired(*pair))
        loss_check = ratio_check(*worst, lambda r: r >= 0.9)
        loss = "worst path %s of the default heap's req/s" % ratio_cell(*worst)
    if rss:
        out.append("| RSS after load <= 180 MB per service with the JVM overlay's flags, <= 10%% throughput loss "
                   "against the JVM's default heap | %s; %s | %s |" % (
                       ", ".join("%s %.0f MB" % kv for kv in rss.items()), loss,
                       verdict((max(rss.values()) <= 180, False), *([loss_check] if loss_check else []),
                               measured=loss_check is not None or max(rss.values()) > 180)))
    out += ["", "Issue 7's goals (verification against the `unverified` build, and the start as a fast-jar):", "",
            "| goal | measured | verdict |", "|---|---|---|"]
    for name, floor in (("3 hops GET gateway /api/orders/{id}", 0.85), (TRACE, 0.85),
                        ("1 hop  GET customer-service /customers/me", 0.70)):
        s, u = results.get((name, "secured")), results.get((name, "unverified"))
        if s is None or u is None:
            out.append("| %s: secured/unverified req/s >= %.2f, p99 <= 1.2x | not run | unmeasured |" % (name, floor))
            continue
        out.append("| %s: secured/unverified req/s >= %.2f, p99 <= 1.2x | %s, p99 %s | %s |" % (
            name, floor, ratio_cell(s, u), ratio_cell(s, u, "p99_runs"),
            verdict(ratio_check(s, u, lambda r: r >= floor), ratio_check(s, u, lambda r: r <= 1.2, "p99_runs"))))
    for name, before in BEFORE_3HOP_RPS.items():
        r = results.get((name, "secured"))
        if r:
            out.append("| %s: >= 2x the issue's %d req/s | %.0f req/s (%.2fx) | %s |"
                       % (name, before, r["rps"], r["rps"] / before, verdict((r["rps"] >= 2 * before, False))))
    fast = [start_row(v)["ms"] for (svc, label), v in starts.items() if label == "fast-jar"]
    if fast:
        out.append("| start to ready <= 1.0 s as a fast-jar (slowest service) | %.2f s | %s |" % (
            max(fast) / 1000, verdict((max(fast) <= 1000, False))))
    login = saved.get("login")
    if login:
        out.append("| login: bcrypt cost and logins/s per core | cost 10, %.1f logins/s on %d cores = %.1f per core | "
                   "stated |" % (login["rps"], os.cpu_count(), login["rps"] / os.cpu_count()))
    out += ["", "A missed goal stays here as missed; the profiles above were taken in this run and say where the "
            "time and the memory go. A ratio whose rounds spread more than %d%% is noisy: rerun on a quieter machine."
            % (100 * NOISY)]
    return out


# Where each sample goes: the category of its innermost frame that has one (JDK frames such as HashMap fall
# through to the library that called them). First match wins, so the chassis's own classes come before the
# libraries they call. JFR names classes with slashes.
PROFILE_CATEGORIES = [
    ("metrics (Micrometer, chassis HttpHistograms)", ("chassis/metrics/", "io/micrometer/", "io/quarkus/micrometer/")),
    ("OpenTelemetry (chassis EndUserSpans included)", ("EndUserSpans", "io/opentelemetry/", "io/quarkus/opentelemetry/")),
    ("request ids (chassis RequestIds)", ("chassis/rest/RequestIds",)),
    ("audit (chassis Audit)", ("chassis/security/Audit",)),
    ("fault tolerance (SmallRye FT)", ("io/smallrye/faulttolerance/", "io/quarkus/smallrye/faulttolerance/")),
    ("validation (Hibernate Validator)", ("org/hibernate/validator/", "io/quarkus/hibernate/validator/")),
    ("token check (SmallRye JWT, jose4j, Quarkus security, chassis cache)",
     ("chassis/security/", "io/smallrye/jwt/", "io/quarkus/smallrye/jwt/", "org/jose4j/", "io/quarkus/security/",
      "io/quarkus/vertx/http/runtime/security/", "io/quarkus/resteasy/reactive/server/runtime/security/",
      "sun/security/", "java/math/BigInteger")),
    ("context propagation (SmallRye Context Propagation)", ("io/smallrye/context/", "io/quarkus/arc/runtime/context/")),
    ("hand-off to a worker thread (JBoss Threads, park/unpark)", ("org/jboss/threads/", "LockSupport")),
    ("JSON (Jackson)", ("com/fasterxml/jackson/",)),
    ("REST server and client (RESTEasy Reactive)", ("org/jboss/resteasy/", "io/quarkus/resteasy/", "io/quarkus/rest")),
    ("CDI (ArC)", ("io/quarkus/arc/",)),
    ("Mutiny", ("io/smallrye/mutiny/",)),
    ("HTTP I/O (Vert.x, Netty)", ("io/vertx/", "io/netty/")),
    ("logging (JBoss LogManager)", ("org/jboss/logmanager/", "org/jboss/logging/")),
    ("the profiler itself (JFR)", ("jdk/jfr/", "jdk/internal/event/")),
]
OTHER = "other (JDK, Quarkus core, the application)"


def jfr_events(jfr_file, event):
    """(frames innermost first, weight, class allocated) of each event, from `jfr print --json`."""
    out = subprocess.run([str(Path(JAVA).parent / "jfr"), "print", "--json", "--events", event, "--stack-depth",
                          "96", str(jfr_file)], check=True, capture_output=True, text=True).stdout
    events, threads = [], set()
    for e in json.loads(out)["recording"]["events"]:
        values = e["values"]
        thread = (values.get("eventThread") or {}).get("javaThreadId")
        if "weight" in values and thread not in threads:
            # A thread's first allocation sample weighs all it allocated before the recording began (hundreds of
            # MB at start-up): not this load's.
            threads.add(thread)
            continue
        frames = ["%s.%s" % (f["method"]["type"]["name"], f["method"]["name"])
                  for f in ((values.get("stackTrace") or {}).get("frames") or [])]
        events.append((frames, values.get("weight", 1), (values.get("objectClass") or {}).get("name")))
    return events


def categorised(events):
    """Share of the total (samples or allocated bytes) per category."""
    totals = {name: 0 for name, _ in PROFILE_CATEGORIES}
    totals[OTHER] = 0
    for frames, weight, _ in events:
        totals[next((name for f in frames for name, keys in PROFILE_CATEGORIES if any(k in f for k in keys)),
                    OTHER)] += weight
    whole = sum(totals.values()) or 1
    return {name: 100.0 * n / whole for name, n in totals.items()}


def trace_profile(stack, seconds):
    """JFR (`profile` settings: CPU samples every 10 ms, allocation samples) in all three services at once under
    the 3-hop trace: per service, where the CPU and the allocated bytes go, and the bytes allocated per request
    (JFR's estimate from its allocation samples; each service handles one request per trace)."""
    jcmd = str(Path(JAVA).parent / "jcmd")
    files = {}
    for service, p in stack.processes.items():
        files[service] = WORK / "logs" / ("trace-%s-%d.jfr" % (service, p.proc.pid))
        subprocess.run([jcmd, str(p.proc.pid), "JFR.start", "name=trace", "settings=profile"], check=True,
                       capture_output=True)
    run = wrk(stack.url("api-gateway", "/api/trace"), stack.token, seconds)
    for service, p in stack.processes.items():
        subprocess.run([jcmd, str(p.proc.pid), "JFR.stop", "name=trace", "filename=" + str(files[service])],
                       check=True, capture_output=True)
    requests = run["rps"] * seconds
    out = {"rps": run["rps"], "seconds": seconds, "services": {}}
    for service, jfr_file in files.items():
        cpu = jfr_events(jfr_file, "jdk.ExecutionSample")
        alloc = jfr_events(jfr_file, "jdk.ObjectAllocationSample")
        by_class = {}
        for _, weight, cls in alloc:
            by_class[cls] = by_class.get(cls, 0) + weight
        whole = sum(by_class.values()) or 1
        out["services"][service] = {
            "samples": len(cpu), "cpu": categorised(cpu), "alloc": categorised(alloc),
            "bytes_per_request": whole / requests if requests else None,
            "classes": [(c, 100.0 * n / whole) for c, n in sorted(by_class.items(), key=lambda kv: -kv[1])[:5]],
            "file": str(jfr_file.relative_to(ROOT))}
    return out


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
    parser.add_argument("--smoke", action="store_true", help="a few minutes, only to prove the harness works")
    parser.add_argument("--parts", action="store_true",
                        help="also measure what each chassis part costs, turning one off at a time (more builds)")
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--report", action="store_true", help="write BENCHMARKS.md again from the last results.json")
    parser.add_argument("--persistence-only", action="store_true",
                        help="measure only the persistence clients, add them to the last results.json and report")
    parser.add_argument("--compare", metavar="GIT_REF",
                        help="measure only the two trace paths of the build at GIT_REF against this build (before "
                             "and after, alternating, 5 rounds), add them to the last results.json and report")
    args = parser.parse_args()
    (WORK / "logs").mkdir(parents=True, exist_ok=True)
    if args.compare:
        saved = json.loads((WORK / "results.json").read_text())
        saved["compare"] = keyed(compare(args.compare, args.skip_build))
        saved["compare_ref"] = "%s (%s), measured at %s" % (args.compare, subprocess.run(
            ["git", "rev-parse", "--short", args.compare], cwd=ROOT, capture_output=True, text=True).stdout.strip(),
            time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
        (WORK / "results.json").write_text(json.dumps(saved, indent=1))
        args.report = True
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
        for key in KEYED:
            saved[key] = unkeyed(saved.get(key, {}))
        return report(saved, False)

    started = time.monotonic()
    seconds, rounds, warmups, samples = (1, 1, 0, 1) if args.smoke else (10, 3, 6, 3)
    parts = [p for p in PARTS if not p.why_not] if args.parts else []
    if not args.skip_build:
        build([b[0] for b in BUILDS] + [MINIMAL] + sorted({p.variant for p in parts if p.build}))
    build_persistence_clients()
    trace_paths = {TRACE, LAST_HOP}
    stacks = [Stack("secured", "secured", 18080, [], aot=True),
              # Native Memory Tracking (summary: a few MB, no measurable CPU) says where the memory goes; on this
              # stack, so that `secured` is measured as the pods run.
              Stack("secured-nocache", "secured", 20080, ["-Daccess-token.token-cache.enabled=false",
                                                          "-XX:NativeMemoryTracking=summary"], aot=True),
              Stack("unverified", "unverified", 22080, ["-Dbench.unverified-tokens=accept-forged-tokens"], aot=True),
              # The pods without the JVM overlay's GC and heap flags: what the small heap costs in throughput.
              Stack("secured-default-heap", "secured", 24080, [], jvm=default_heap_flags),
              Stack(MINIMAL, MINIMAL, 30080, [], paths=trace_paths)]
    threading = Stack("threading", "threading", 28080, [])
    startup = Stack("startup", "secured", 26080, [])
    minimal_start = Stack("minimal-start", MINIMAL, 30280, [])
    paths = PATHS
    if args.smoke:  # every part once, briefly: three stacks (one of them minimal), two paths, one service's starts
        # No AOT cache on the stacks (its training is proven by the start times): minutes less on a loaded CI.
        stacks = [Stack("secured", "secured", 18080, []),
                  Stack("unverified", "unverified", 22080, ["-Dbench.unverified-tokens=accept-forged-tokens"]),
                  stacks[-1]]
        paths = [p for p in PATHS if p[0] in ("3 hops GET gateway /api/orders/{id}", TRACE)]
    stacks[-1].token_source = stacks[0]
    part_stacks = []
    if parts:
        part_stacks = [Stack("all parts on", "secured", 16080, [], paths=trace_paths)] + [
            Stack(p.stack, p.variant, 16180 + 100 * i, p.run, paths=trace_paths) for i, p in enumerate(parts)]
    saved = {"variants": [s.name for s in stacks], "paths": [p[0] for p in paths],
             "flags": {s: pod_flags(s) for s in SERVICES}, "training": {s: docker_flags(s)[0] for s in SERVICES},
             "trained_arg": all(docker_flags(s)[2] for s in SERVICES), "default_heap": default_heap_flags(SERVICES[0])}
    databases = ["p_bench:p_bench"] + [d for s in stacks + part_stacks + [threading, startup] for d in s.databases()]
    with postgres_running(databases):
        try:
            for stack in stacks:
                start_stack(stack)
            saved["same_json"] = same_json(stacks[0], stacks[-1])
            saved["idle"] = {s.name: s.rss() for s in stacks}
            saved["results"] = measure(stacks, paths, seconds, rounds, warmups)
            focus(stacks[0])
            saved["login"] = login_rate(stacks[0], seconds)
            saved["loaded"] = {s.name: s.rss() for s in stacks}
            # Where the time and the allocations go on the 3-hop trace, and where a pod's memory goes.
            focus(stacks[0])
            saved["profile"] = trace_profile(stacks[0], seconds)
            nmt = next((s for s in stacks if s.name == "secured-nocache"), None)
            if nmt:
                focus(nmt)
                saved["nmt"] = {svc: native_memory(p) for svc, p in nmt.processes.items()}
        finally:
            stop_stacks(stacks)
        if part_stacks:
            try:
                for stack in part_stacks:
                    start_stack(stack)
                checks = {}
                for part, stack in zip(parts, part_stacks[1:]):
                    if part.check:
                        focus(stack)
                        ok, why = part.check(stack)
                        checks[part.name] = "" if ok else why
                saved["parts"] = measure(part_stacks, [p for p in PATHS if p[0] in trace_paths], seconds, rounds,
                                         warmups)
                saved["part_checks"] = checks
            finally:
                stop_stacks(part_stacks)
        try:
            start_stack(threading)
            saved["threading"] = measure_threading(threading, seconds, rounds, warmups)
        finally:
            stop_stacks([threading])
        saved["starts"] = start_times(startup, minimal_start, samples,
                                      ["customer-service"] if args.smoke else SERVICES)
        log("measuring the persistence clients ...")
        saved["persistence"] = persistence_clients(seconds, rounds)
    saved["written"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    saved["machine"] = machine()
    saved["command"] = "bash bench/run.sh" + (" --parts" if args.parts else "")
    if not args.smoke:
        (WORK / "results.json").write_text(json.dumps(
            {k: keyed(v) if k in KEYED else v for k, v in saved.items()}, indent=1))
    report(saved, args.smoke)
    log("done in %.0f s" % (time.monotonic() - started))


KEYED = ("results", "starts", "threading", "parts", "compare")


def compare(ref, skip_build):
    """Before and after: the services built at `ref` (a git worktree under target/bench) against this build, on
    the two trace paths, both stacks without an AOT cache, alone and alternating, 5 rounds."""
    if not skip_build:
        src = WORK / "before-src"
        subprocess.run(["git", "worktree", "remove", "--force", str(src)], cwd=ROOT, capture_output=True)
        shutil.rmtree(src, ignore_errors=True)
        sh("git", "worktree", "add", "--detach", str(src), ref)
        try:
            log("building", ref, "...")
            subprocess.run(["./mvnw", "-B", "-q", "package", "-DskipTests", "-Dnative.sources.skip=true",
                            "-pl", ",".join(SERVICES), "-am"], cwd=src, check=True)
            for service in SERVICES:
                target = WORK / "apps" / "before" / service
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(src / service / "target" / "quarkus-app", target)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(src)], cwd=ROOT, capture_output=True)
        build(["secured"])
    trace_paths = [p for p in PATHS if p[0] in (TRACE, LAST_HOP)]
    after = Stack("secured", "secured", 18080, [])
    before = Stack("before", "before", 20080, [])
    with postgres_running(["p_bench:p_bench"] + after.databases() + before.databases()):
        try:
            for stack in (after, before):
                start_stack(stack)
            return measure([after, before], trace_paths, 10, 5, 6)
        finally:
            stop_stacks([after, before])


def report(saved, smoke):
    results, variants = saved["results"], saved["variants"]
    paths = [p for p in PATHS if p[0] in saved["paths"]]
    lines = ["| path | variant | req/s | p50 ms | p99 ms | errors |", "|---|---|---:|---:|---:|---:|"]
    for name, *_ in paths:
        for variant in variants:
            r = results.get((name, variant))
            if r:
                lines.append("| %s | %s | %.0f | %.2f | %.2f | %d |" % (name, variant, r["rps"], r["p50"], r["p99"],
                                                                       r["errors"]))
    columns = [("secured / minimal req/s", "secured", MINIMAL, "runs"),
               ("secured / minimal p99", "secured", MINIMAL, "p99_runs"),
               ("secured / unverified req/s", "secured", "unverified", "runs"),
               ("secured / unverified p99", "secured", "unverified", "p99_runs"),
               ("cache on / off req/s", "secured", "secured-nocache", "runs"),
               ("overlay heap / default heap req/s", "secured", "secured-default-heap", "runs")]
    columns = [c for c in columns if c[1] in variants and c[2] in variants]
    lines += ["", "Ratios are medians of per-round ratios (each round runs the variants back to back, each alone), "
              "with the spread of the rounds' ratios ((max - min) / median); above %d%% a ratio is **noisy**:" % (
                  100 * NOISY), "",
              "| path | " + " | ".join(c[0] for c in columns) + " |", "|---|" + "---:|" * len(columns)]
    for name, *_ in paths:
        lines.append("| %s | %s |" % (name, " | ".join(ratio_cell(results.get((name, a)), results.get((name, b)), m)
                                                       for _, a, b, m in columns)))
    parts = saved.get("parts")
    if parts:
        checks = saved.get("part_checks", {})
        lines += ["", "What each chassis part costs on the trace paths (`--parts`): the normal build with every part on "
                  "against the same build with one part off, stacks alone and alternating as above, as the pods run "
                  "but without the AOT cache. Above 1.00 the part costs throughput; p99 below 1.00 it costs latency.",
                  "", "| part | how it is turned off | `/api/trace` req/s off / on | p99 off / on | "
                  "`/customers/trace` req/s off / on | p99 off / on |", "|---|---|---:|---:|---:|---:|"]
        for part in PARTS:
            if part.why_not:
                lines.append("| %s | %s | not measured | | | |" % (part.name, part.why_not))
                continue
            cells = []
            for name in (TRACE, LAST_HOP):
                off, on = parts.get((name, part.stack)), parts.get((name, "all parts on"))
                cells += [ratio_cell(off, on), ratio_cell(off, on, "p99_runs")]
            failed = checks.get(part.name)
            lines.append("| %s | %s%s | %s |" % (
                part.name, part.how, " **The switch had no effect (%s): not a measurement of this part.**" % failed
                if failed else "", " | ".join(cells)))
    before_after = saved.get("compare")
    if before_after:
        lines += ["", "Before and after (`--compare`): the build at %s against this one, both without an AOT cache, "
                  "alone and alternating, 5 rounds:" % saved.get("compare_ref", "?"), "",
                  "| path | before req/s | before p99 ms | after req/s | after p99 ms | after / before req/s | "
                  "after / before p99 |", "|---|---:|---:|---:|---:|---:|---:|"]
        for name in (LAST_HOP, TRACE):
            a, b = before_after.get((name, "secured")), before_after.get((name, "before"))
            if a and b:
                lines.append("| %s | %.0f | %.2f | %.0f | %.2f | %s | %s |" % (
                    name, b["rps"], b["p99"], a["rps"], a["p99"], ratio_cell(a, b), ratio_cell(a, b, "p99_runs")))
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
        lines.append("| %s | %.0f | %.2f | %.2f | %d | %s |" % (mode, r["rps"], r["p50"], r["p99"], r["errors"],
                                                                ratio_cell(r, worker)))
    login = saved["login"]
    lines += ["", "Login (bcrypt cost 10, 4 connections): %.1f logins/s, p50 %.0f ms, p99 %.0f ms, %d errors"
              % (login["rps"], login["p50"], login["p99"], login["errors"]), "",
              "| service | variant | RSS idle MB | RSS after load MB |", "|---|---|---:|---:|"]
    for variant in saved["idle"]:
        for service in SERVICES:
            lines.append("| %s | %s | %.0f | %.0f |" % (service, variant, saved["idle"][variant][service],
                                                        saved["loaded"][variant][service]))
    lines += ["", "Start to ready, each service alone with the pods' JVM flags: from the process start until "
              "`/q/health/ready` answers 200 (median; the minimal app: until its HTTP port answers); Quarkus \"started "
              "in\": what Quarkus logs for its own boot (connecting to PostgreSQL and Flyway included); the difference "
              "is the JVM's start before `main()` and the first readiness check. The AOT cache is trained as "
              "`Dockerfile.jvm` trains it; `-Xlog:aot` says whether the JVM used it.", "",
              "| service | start | start to ready ms | samples ms | Quarkus \"started in\" ms | AOT cache |",
              "|---|---|---:|---|---:|---|"]
    for (service, label), value in saved["starts"].items():
        row = start_row(value)
        lines.append("| %s | %s | %.0f | %s | %s | %s |" % (
            service, label, row["ms"], ", ".join("%.0f" % t for t in row["samples"]),
            "%.0f" % row["started_in"] if row.get("started_in") else "?", row.get("cache", "")))
    native = shutil.which("native-image")
    lines.append("| all | native | %s | | | |" % ("not built by this harness yet" if native else
                                                    "skipped: no GraalVM/Mandrel native-image on this machine"))
    steps = {service: start_row(v).get("steps") for (service, label), v in saved["starts"].items()
             if label == "aot-jar + AOT cache" and start_row(v).get("steps")}
    if steps:
        lines += ["", "Where Quarkus's start goes, as the pods run (one more start with the AOT cache and "
                  "`-Dquarkus.debug.print-startup-times=true`; each recorded step of 50 ms or more, in ms; static-init "
                  "steps are done at image build time by a native executable):", ""]
        for service, top in steps.items():
            lines.append("- %s: %s" % (service, ", ".join("`%s` %d" % (k, v) for k, v in top[:10])))
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
    if profile and "services" in profile:
        order = [svc for svc in ("api-gateway", "order-service", "customer-service") if svc in profile["services"]]
        per = profile["services"]
        lines += ["", "Where each service's CPU and allocations go on `GET /api/trace` (`secured`, JFR `profile` "
                  "settings in all three at once, %d s at %.0f req/s; CPU samples per service: %s). Each sample "
                  "goes to the innermost frame with a category, so a JDK map called by a library counts for that "
                  "library; `%%` of the service's CPU samples / of its allocated bytes:" % (
                      profile["seconds"], profile["rps"], ", ".join("%s %d" % (s, per[s]["samples"]) for s in order)),
                  "", "| category | " + " | ".join("%s CPU %% | alloc %%" % s for s in order) + " |",
                  "|---|" + "---:|---:|" * len(order)]
        for name in [c for c, _ in PROFILE_CATEGORIES] + [OTHER]:
            lines.append("| %s | %s |" % (name, " | ".join("%.1f | %.1f" % (per[s]["cpu"][name], per[s]["alloc"][name])
                                                         for s in order)))
        lines.append("| **bytes allocated per request** (JFR's estimate) | %s |" % " | ".join(
            "%.0f KB | " % (per[s]["bytes_per_request"] / 1024) for s in order))
        lines += ["", "Largest allocations by class: " + "; ".join(
            "%s: %s" % (s, ", ".join("`%s` %.0f%%" % (c, share) for c, share in per[s]["classes"][:3])) for s in order)
            + ". Recordings: " + ", ".join("`%s`" % per[s]["file"] for s in order) + "."]
    nmt = saved.get("nmt")
    if nmt:
        lines += ["", "Where a pod's memory goes (`secured-nocache`: the pods' flags, after load, Native Memory "
                  "Tracking, committed MB; RSS is lower where committed pages were never touched):", "",
                  "| service | total | largest areas |", "|---|---:|---|"]
        for service, n in nmt.items():
            lines.append("| %s | %s | %s |" % (service, "%.0f" % n["total"] if n["total"] else "?", ", ".join(
                "%s %.0f" % kv for kv in n["areas"].items())))
    lines += ["", "## Goals, from this run", ""] + goals(saved)
    table = "\n".join(lines)
    print(table)
    if not saved.get("same_json", True):
        lines += ["", "**The minimal chain's `/api/trace` answer differed from the services' for the same token: "
                  "services / minimal does not compare like with like until `bench/minimal` is brought in line.**"]
    if smoke:
        if not saved.get("same_json", True):
            raise SystemExit("smoke pass FAILED: bench/minimal no longer answers the trace as the services do")
        failed = [k for k, r in list(results.items()) + list(threading.items()) + list((parts or {}).items())
                  if r["errors"]]
        if failed:
            raise SystemExit("smoke pass FAILED: requests answered with errors on %s" % failed)
        log("smoke pass done: the harness works (numbers from --smoke mean nothing and are not written)")
        return
    flags = saved.get("flags", {})
    header = ("# Benchmarks\n\nWritten by `%s` on %s.\n\nMachine: %s.\n\n"
              "Each figure is the median of 3 alternating runs of `wrk -t2 -c16 -d10s --latency` after a warm-up "
              "that ran until two runs agreed within 10%%. One stack runs at a time: the others are frozen "
              "(SIGSTOP) while it is measured, so no stack shares the 2 cores with another, only with wrk. Every "
              "JVM runs as the JVM pods run it: the image's `JAVA_OPTS`, the JVM overlay's `JAVA_OPTS_APPEND` and "
              "the pod's memory limit, `%s`%s. Stacks: `secured` (the normal build, aot-jar, with an AOT cache "
              "trained as `Dockerfile.jvm` trains it, with `%s`), `secured-nocache` "
              "(`access-token.token-cache.enabled=false`), `unverified` (the benchmark-only build that reads tokens "
              "without verifying them), `secured-default-heap` (the normal build without the overlay's GC and heap "
              "flags: `%s`) and `minimal` (`bench/minimal`: the trace path with no security and no chassis, "
              "same hops, same JSON; no AOT cache). Compare stacks by the paired ratios, and only where their spread "
              "is below %d%%.\n\n"
              % (saved.get("command", "bash bench/run.sh"), saved["written"], saved.get("machine") or machine(),
                 " ".join(flags.get("customer-service", [])),
                 "" if len({tuple(v) for v in flags.values()}) <= 1 else " (each service's own)",
                 " ".join(saved.get("training", {}).get("customer-service", [])) or "the JVM's default flags",
                 " ".join(saved.get("default_heap", [])), 100 * NOISY))
    (ROOT / "BENCHMARKS.md").write_text(header + table + "\n")
    log("wrote BENCHMARKS.md")


if __name__ == "__main__":
    main()
