# SPDX-License-Identifier: Apache-2.0
"""Assert the hardening of deploy/k8s/*.yaml and that docs/deploy.md shows
the exact flags of scripts/run-container. Run by tests/deploy/check-k8s."""
import os
import re
import sys

import yaml

root = sys.argv[1]
k8s = os.path.join(root, "deploy", "k8s")
errors = []


def need(cond, what):
    if not cond:
        errors.append(what)


docs = {}
for name in sorted(os.listdir(k8s)):
    if not name.endswith(".yaml"):
        continue
    with open(os.path.join(k8s, name)) as f:
        try:
            loaded = list(yaml.safe_load_all(f))
        except yaml.YAMLError as e:
            print(f"check-k8s: {name}: not valid YAML: {e}", file=sys.stderr)
            sys.exit(1)
    for d in loaded:
        need(isinstance(d, dict) and "kind" in d and "apiVersion" in d, f"{name}: a document without kind/apiVersion")
        if isinstance(d, dict):
            docs.setdefault(d.get("kind"), []).append(d)

ns = docs.get("Namespace", [{}])[0]
need(ns.get("metadata", {}).get("labels", {}).get("pod-security.kubernetes.io/enforce") == "restricted",
     "Namespace: pod-security.kubernetes.io/enforce is not restricted")
name = ns.get("metadata", {}).get("name")

np = [p for p in docs.get("NetworkPolicy", []) if p.get("spec", {}).get("podSelector") == {}]
need(np, "no NetworkPolicy selecting every pod")
for p in np:
    s = p["spec"]
    need(sorted(s.get("policyTypes", [])) == ["Egress", "Ingress"], "NetworkPolicy: policyTypes is not Ingress+Egress")
    need(not s.get("ingress") and not s.get("egress"), "NetworkPolicy: it allows something (deny-all has no rules)")
    need(p["metadata"].get("namespace") == name, "NetworkPolicy: not in the inspector's namespace")

jobs = docs.get("Job", [])
need(len(jobs) >= 1, "want a Job")
# The Indexed Job of the shards (docs/deploy.md, "Sharding"): N completions,
# each pod running shard $(JOB_COMPLETION_INDEX) of the same N, a batch, an
# index failing alone, each shard into its own output subdirectory.
indexed = [j for j in jobs if j["spec"].get("completionMode") == "Indexed"]
need(len(indexed) == 1, "want one Indexed Job (deploy/k8s/indexed-job.yaml)")
for job in indexed:
    s = job["spec"]
    n = s.get("completions")
    need(isinstance(n, int) and n >= 1 and s.get("parallelism", 1) <= n, "Indexed Job: completions/parallelism")
    need(s.get("backoffLimitPerIndex") == 0, "Indexed Job: a failed index must not be retried nor stop the others")
    c = s["template"]["spec"]["containers"][0]
    args = c.get("args", [])
    need("--batch" in args, "Indexed Job: args lack --batch")
    need("--shard" in args and args[args.index("--shard") + 1:][:1] == [f"$(JOB_COMPLETION_INDEX)/{n}"],
         f"Indexed Job: args lack --shard $(JOB_COMPLETION_INDEX)/{n} (N must equal completions)")
    out = [m for m in c.get("volumeMounts", []) if m["mountPath"] == "/out"]
    need(out and "$(JOB_COMPLETION_INDEX)" in out[0].get("subPathExpr", ""),
         "Indexed Job: /out is not a per-shard subPathExpr")
profiles = [os.path.join(root, "seccomp", p) for p in ("tki-container.json", "tki-pod.json")]
profiles = {os.path.basename(p): p for p in profiles if os.path.exists(p)}
for job in jobs:
    need(job["metadata"].get("namespace") == name, "Job: not in the inspector's namespace")
    pod = job["spec"]["template"]["spec"]
    need(pod.get("automountServiceAccountToken") is False, "Job: automountServiceAccountToken is not false")
    need(pod.get("enableServiceLinks") is False, "Job: enableServiceLinks is not false")
    for h in ("hostNetwork", "hostPID", "hostIPC"):
        need(not pod.get(h), f"Job: {h} is set")
    psc = pod.get("securityContext", {})
    need(psc.get("runAsNonRoot") is True and psc.get("runAsUser") == 65532 and psc.get("runAsGroup") == 65532,
         "Job: pod securityContext is not runAsNonRoot 65532:65532")
    vols = {v["name"]: v for v in pod.get("volumes", [])}
    need(not any("hostPath" in v for v in vols.values()), "Job: a hostPath volume")
    for c in pod.get("containers", []) + pod.get("initContainers", []):
        sc = c.get("securityContext", {})
        need(sc.get("allowPrivilegeEscalation") is False, f"{c['name']}: allowPrivilegeEscalation is not false")
        need(sc.get("readOnlyRootFilesystem") is True, f"{c['name']}: readOnlyRootFilesystem is not true")
        need(not sc.get("privileged"), f"{c['name']}: privileged")
        need(sc.get("capabilities", {}).get("drop") == ["ALL"] and not sc.get("capabilities", {}).get("add"),
             f"{c['name']}: capabilities are not drop ALL")
        sp = sc.get("seccompProfile") or psc.get("seccompProfile") or {}
        need(sp.get("type") == "Localhost", f"{c['name']}: seccompProfile is not Localhost")
        need(os.path.basename(sp.get("localhostProfile", "")) in profiles,
             f"{c['name']}: localhostProfile is not one of our seccomp/{'|'.join(sorted(profiles))}")
        need(c.get("imagePullPolicy") == "Never", f"{c['name']}: imagePullPolicy is not Never (no registry)")
        need("limits" in c.get("resources", {}) and "memory" in c["resources"]["limits"], f"{c['name']}: no memory limit")
        mounts = {m["mountPath"]: m for m in c.get("volumeMounts", [])}
        need(set(mounts) == {"/in", "/out"}, f"{c['name']}: mounts are {sorted(mounts)}, want exactly /in and /out")
        if "/in" in mounts:
            m = mounts["/in"]
            need(m.get("readOnly") is True, f"{c['name']}: /in is not readOnly")
            v = vols.get(m["name"], {})
            need(v.get("persistentVolumeClaim", {}).get("readOnly", True) is True, "packet volume: PVC not read-only")
        need(not any(e.get("valueFrom") for e in c.get("env", [])), f"{c['name']}: env from secrets or fields")
        args = c.get("args", [])
        need(args[:1] in (["inspect"], ["attest"], ["selfcheck"]), f"{c['name']}: args do not start with a command")

# docs/deploy.md shows the exact flags of scripts/run-container.
with open(os.path.join(root, "scripts", "run-container")) as f:
    script = f.read()
block = script[script.index('"$engine" run --rm'):script.index('"$image" "$@"')]
flags = [l.strip().rstrip("\\").strip() for l in block.splitlines()[1:]]
flags = [l for l in flags if l and not l.startswith('"${')]
with open(os.path.join(root, "docs", "deploy.md")) as f:
    doc = f.read()
m = re.search(r"```sh\n(docker run --rm.*?)```", doc, re.S)
need(m, "docs/deploy.md: no ```sh block starting with docker run --rm")
if m:
    shown = m.group(1)
    for fl in flags:
        want = fl.replace('"', "").replace("$seccomp", "seccomp/tki-container.json")
        want = want.replace("$uid", "65532").replace("$in", "IN").replace("$out", "OUT")
        need(want in shown, f"docs/deploy.md: the docker run lacks {fl!r} of scripts/run-container")

if errors:
    for e in errors:
        print("check-k8s:", e, file=sys.stderr)
    sys.exit(1)
print(f"check-k8s: {sum(len(v) for v in docs.values())} manifests ok; docs/deploy.md has the {len(flags)} flags of scripts/run-container")
