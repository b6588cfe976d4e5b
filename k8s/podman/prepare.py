#!/usr/bin/env python3
"""Turns the rendered podman overlay into what Debian 12's podman (4.3) can play.

Usage: prepare.py RENDERED.yaml OUTDIR

Writes:
  OUTDIR/play-db.yaml       the databases, played (and waited for) first, so that
                            the services find them when they start (Flyway
                            migrates at start-up). podman 4.3 plays Pod,
                            Deployment, PersistentVolumeClaim and ConfigMap
                            documents, not StatefulSets ("YAML document does not
                            contain any supported kube kind"), so each StatefulSet
                            becomes:
                            - a PersistentVolumeClaim per volumeClaimTemplate,
                              named as Kubernetes names the claim of pod 0
                              (data-order-db-0), which podman makes a named
                              volume of; it outlives the pod like a PVC, and
                              run.sh removes it at the end;
                            - a Deployment with the same pod template (1 replica)
                              that mounts that claim (persistentVolumeClaim
                              volume) in place of the template;
                            plus the ConfigMaps.
  OUTDIR/play.yaml          everything else less the Secrets (the services).
                            In both files:
                            - secret and configMap volumes get `optional: false`
                              where unset
                              (podman 4.3 dereferences the unset field and
                              crashes, containers/podman#16636);
                            - emptyDir volumes are renamed per workload (podman
                              makes a named volume of each, by the volume's name,
                              which the pods would otherwise share);
                            - container ports without a hostPort are dropped
                              (podman 4.3 would publish them on every host
                              address).
  OUTDIR/secrets/NAME.json  one per Secret that a pod uses, for `podman secret
                            create`, in the form podman 4.3 reads: a Secret
                            mounted as a volume is stored as the Secret object
                            with its data as plain text; a Secret read by
                            secretKeyRef is stored as a {key: base64} map.
                            Secrets no pod refers to (api-gateway-tls, which
                            only the Ingress uses, and podman has no Ingress)
                            are skipped.
  OUTDIR/env                shell variables for run.sh: DEPLOYMENTS (the services,
                            in document order), DATABASES (the StatefulSets),
                            PLAY_IPS and DB_PLAY_IPS (one per workload, in that
                            order: the hostAliases address of its own name),
                            SUBNET, SECRETS, VOLUMES (to remove), IMAGES (the
                            services', built by run.sh), DB_IMAGES (built by
                            base-image.sh), HOSTPORT_<dep> (its http port),
                            MANAGEMENT_HOSTPORT_<dep> (its management port:
                            health, metrics), IP_<workload>.
Stdlib plus PyYAML (Debian: python3-yaml).
"""
import base64
import copy
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


def from_statefulset(sts):
    """A StatefulSet as PersistentVolumeClaims plus a Deployment that mounts them."""
    name = sts["metadata"]["name"]
    spec = sts.get("spec") or {}
    template = copy.deepcopy(spec.get("template") or {})
    pod = template.setdefault("spec", {})
    claims = []
    for tpl in spec.get("volumeClaimTemplates") or []:
        claim = f"{tpl['metadata']['name']}-{name}-0"
        claims.append({
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": claim, "namespace": sts["metadata"].get("namespace"),
                         "labels": (tpl.get("metadata") or {}).get("labels") or {}},
            "spec": tpl.get("spec") or {},
        })
        pod.setdefault("volumes", []).append(
            {"name": tpl["metadata"]["name"], "persistentVolumeClaim": {"claimName": claim}})
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": copy.deepcopy(sts["metadata"]),
        "spec": {"replicas": 1, "selector": copy.deepcopy(spec.get("selector")), "template": template},
    }
    return claims, deployment


def main(rendered, outdir):
    with open(rendered, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    secrets = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "Secret"}
    configmaps = [d for d in docs if d.get("kind") == "ConfigMap"]
    databases_docs, keep = [], []
    database_names = []
    for d in docs:
        if d.get("kind") == "Secret":
            continue
        if d.get("kind") == "StatefulSet":
            claims, deployment = from_statefulset(d)
            databases_docs += claims + [deployment]
            database_names.append(deployment["metadata"]["name"])
        else:
            keep.append(d)

    env_use, vol_use = set(), set()
    workloads, ips, images, db_images, volumes, hostports, mgmt_hostports = [], {}, [], [], [], {}, {}
    for doc in databases_docs + keep:
        if doc.get("kind") == "PersistentVolumeClaim":
            volumes.append(doc["metadata"]["name"])
            continue
        spec = pod_spec(doc)
        if spec is None:
            continue
        name = doc["metadata"]["name"]
        database = name in database_names
        if doc.get("kind") != "Pod":
            workloads.append(name)
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
            elif "configMap" in vol:
                # As for secrets: podman 4.3's configMap volume code dereferences
                # the optional field (containers/podman#12440).
                vol["configMap"].setdefault("optional", False)
            elif "emptyDir" in vol:
                new = f"access-token-{name}-{vol['name']}"
                renames[vol["name"]] = new
                vol["name"] = new
                volumes.append(new)
        for c in (spec.get("initContainers") or []) + (spec.get("containers") or []):
            (db_images if database else images).append(c["image"])
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
                    (mgmt_hostports if p.get("name") == "management" else hostports).setdefault(name, p["hostPort"])
            # podman 4.3 publishes a containerPort without hostPort on the host,
            # on every address and the same port ("listen tcp4 :5432: address
            # already in use"): that would open the databases to the network.
            # On the pod network every port is reachable anyway, so only the
            # ports with a hostPort stay.
            if "ports" in c:
                c["ports"] = [p for p in c["ports"] if p.get("hostPort")]
                if not c["ports"]:
                    del c["ports"]
        own = [a["ip"] for a in spec.get("hostAliases") or [] if name in (a.get("hostnames") or [])]
        if doc.get("kind") != "Pod":
            if len(own) != 1:
                sys.exit(f"prepare.py: {name} needs exactly one hostAliases entry for its own name, found {own}")
            ips[name] = own[0]

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

    nets = {ipaddress.ip_network(ip + "/24", strict=False) for ip in ips.values()}
    if len(nets) > 1:
        sys.exit(f"prepare.py: the hostAliases addresses {sorted(ips.values())} are not in one /24")
    if len(set(ips.values())) != len(ips):
        sys.exit(f"prepare.py: two workloads share a hostAliases address: {ips}")

    deployments = [w for w in workloads if w not in database_names]
    with open(os.path.join(outdir, "play-db.yaml"), "w", encoding="utf-8") as f:
        yaml.safe_dump_all(databases_docs + configmaps, f, sort_keys=False)
    with open(os.path.join(outdir, "play.yaml"), "w", encoding="utf-8") as f:
        yaml.safe_dump_all(keep, f, sort_keys=False)
    with open(os.path.join(outdir, "env"), "w", encoding="utf-8") as f:
        q = lambda xs: shlex.quote(" ".join(xs))
        f.write(f"DEPLOYMENTS={q(deployments)}\n")
        f.write(f"DATABASES={q(database_names)}\n")
        f.write(f"PLAY_IPS={q([ips[d] for d in deployments])}\n")
        f.write(f"DB_PLAY_IPS={q([ips[d] for d in database_names])}\n")
        f.write(f"SUBNET={shlex.quote(str(nets.pop()) if nets else '')}\n")
        f.write(f"SECRETS={q(sorted(secrets))}\n")
        f.write(f"VOLUMES={q(sorted(set(volumes)))}\n")
        f.write(f"IMAGES={q(sorted(set(images)))}\n")
        f.write(f"DB_IMAGES={q(sorted(set(db_images)))}\n")
        for dep in deployments:
            f.write(f"HOSTPORT_{var(dep)}={shlex.quote(str(hostports.get(dep, '')))}\n")
            f.write(f"MANAGEMENT_HOSTPORT_{var(dep)}={shlex.quote(str(mgmt_hostports.get(dep, '')))}\n")
        for w in workloads:
            f.write(f"IP_{var(w)}={shlex.quote(ips[w])}\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
