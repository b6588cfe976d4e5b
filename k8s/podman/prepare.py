#!/usr/bin/env python3
"""Turns the rendered podman overlay into what Debian 12's podman (4.3) can play.

Usage: prepare.py RENDERED.yaml OUTDIR

Writes:
  OUTDIR/play.yaml          the documents less the Secrets, with two fixes:
                            - secret volumes get `optional: false` where unset
                              (podman 4.3 dereferences the unset field and
                              crashes, containers/podman#16636);
                            - emptyDir volumes are renamed per Deployment
                              (podman makes a named volume of each, by the
                              volume's name, which the pods would otherwise
                              share).
  OUTDIR/secrets/NAME.json  one per Secret that a pod uses, for `podman secret
                            create`, in the form podman 4.3 reads: a Secret
                            mounted as a volume is stored as the Secret object
                            with its data as plain text; a Secret read by
                            secretKeyRef is stored as a {key: base64} map.
                            Secrets no pod refers to (api-gateway-tls, which
                            only the Ingress uses, and podman has no Ingress)
                            are skipped.
  OUTDIR/env                shell variables for run.sh: DEPLOYMENTS (in document
                            order), PLAY_IPS (one per Deployment, in that order:
                            the hostAliases address of its own name), SUBNET,
                            SECRETS, VOLUMES (to remove), IMAGES, HOSTPORT_<dep>.
Stdlib plus PyYAML (Debian: python3-yaml).
"""
import base64
import ipaddress
import json
import os
import re
import shlex
import sys

import yaml

POD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job")


def pod_spec(doc):
    if doc.get("kind") == "Pod":
        return doc.get("spec") or {}
    if doc.get("kind") in POD_KINDS:
        return ((doc.get("spec") or {}).get("template") or {}).get("spec") or {}
    return None


def var(name):
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def main(rendered, outdir):
    with open(rendered, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    secrets = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "Secret"}
    keep = [d for d in docs if d.get("kind") != "Secret"]

    env_use, vol_use = set(), set()
    deployments, ips, images, volumes, hostports = [], [], [], [], {}
    for doc in keep:
        spec = pod_spec(doc)
        if spec is None:
            continue
        name = doc["metadata"]["name"]
        if doc.get("kind") != "Pod":
            deployments.append(name)
            # One pod per workload: hostPorts would clash anyway.
            if "replicas" in (doc.get("spec") or {}):
                doc["spec"]["replicas"] = 1
        renames = {}
        for vol in spec.get("volumes") or []:
            if "secret" in vol:
                vol["secret"].setdefault("optional", False)
                vol_use.add(vol["secret"]["secretName"])
                volumes.append(vol["name"])
                volumes.append(vol["secret"]["secretName"])
            elif "emptyDir" in vol:
                new = f"access-token-{name}-{vol['name']}"
                renames[vol["name"]] = new
                vol["name"] = new
                volumes.append(new)
        for c in (spec.get("initContainers") or []) + (spec.get("containers") or []):
            images.append(c["image"])
            for m in c.get("volumeMounts") or []:
                m["name"] = renames.get(m["name"], m["name"])
            for e in c.get("env") or []:
                ref = (e.get("valueFrom") or {}).get("secretKeyRef")
                if ref:
                    env_use.add(ref["name"])
            for e in c.get("envFrom") or []:
                if "secretRef" in e:
                    env_use.add(e["secretRef"]["name"])
            for p in c.get("ports") or []:
                if p.get("hostPort"):
                    hostports.setdefault(name, p["hostPort"])
        own = [a["ip"] for a in spec.get("hostAliases") or [] if name in (a.get("hostnames") or [])]
        if doc.get("kind") != "Pod":
            if len(own) != 1:
                sys.exit(f"prepare.py: Deployment {name} needs exactly one hostAliases entry for its own name, found {own}")
            ips.append(own[0])

    both = env_use & vol_use
    if both:
        sys.exit(f"prepare.py: Secret(s) {sorted(both)} are used both as a volume and by secretKeyRef;"
                 " podman 4.3 stores one form only")
    missing = (env_use | vol_use) - set(secrets)
    if missing:
        sys.exit(f"prepare.py: Secret(s) {sorted(missing)} are referenced but not in the rendered YAML"
                 " (run k8s/generate-secrets.sh)")

    # Only what the pods use: the Ingress's TLS Secret has no place in podman.
    unused = sorted(set(secrets) - env_use - vol_use)
    if unused:
        print(f"prepare.py: skipping Secret(s) {unused}, which no pod refers to", file=sys.stderr)
    secrets = {name: s for name, s in secrets.items() if name in env_use or name in vol_use}

    os.makedirs(os.path.join(outdir, "secrets"), mode=0o700, exist_ok=True)
    for name, s in secrets.items():
        raw = {k: base64.b64decode(v) for k, v in (s.get("data") or {}).items()}
        raw.update({k: v.encode() for k, v in (s.get("stringData") or {}).items()})
        if name in vol_use:
            obj = {k: v for k, v in s.items() if k not in ("data", "stringData")}
            obj["data"] = {k: v.decode() for k, v in raw.items()}
        else:
            obj = {k: base64.b64encode(v).decode() for k, v in raw.items()}
        path = os.path.join(outdir, "secrets", name + ".json")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(obj, f)

    nets = {ipaddress.ip_network(ip + "/24", strict=False) for ip in ips}
    if len(nets) > 1:
        sys.exit(f"prepare.py: the hostAliases addresses {ips} are not in one /24")

    with open(os.path.join(outdir, "play.yaml"), "w", encoding="utf-8") as f:
        yaml.safe_dump_all(keep, f, sort_keys=False)
    with open(os.path.join(outdir, "env"), "w", encoding="utf-8") as f:
        q = lambda xs: shlex.quote(" ".join(xs))
        f.write(f"DEPLOYMENTS={q(deployments)}\n")
        f.write(f"PLAY_IPS={q(ips)}\n")
        f.write(f"SUBNET={shlex.quote(str(nets.pop()) if nets else '')}\n")
        f.write(f"SECRETS={q(sorted(secrets))}\n")
        f.write(f"VOLUMES={q(sorted(set(volumes)))}\n")
        f.write(f"IMAGES={q(sorted(set(images)))}\n")
        for dep in deployments:
            f.write(f"HOSTPORT_{var(dep)}={shlex.quote(str(hostports.get(dep, '')))}\n")
            ip = ips[deployments.index(dep)]
            f.write(f"IP_{var(dep)}={shlex.quote(ip)}\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
