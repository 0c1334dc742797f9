# SPDX-License-Identifier: Apache-2.0
"""Assert the hardening of deploy/k8s/*.yaml (the pod venue: --self-sandbox
under the pod seccomp profile) and that docs/deploy.md shows the exact flags
of scripts/run-container and scripts/run-pod. Run by tests/deploy/check-k8s."""
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
need(len(jobs) == 2, "want exactly two Jobs (job.yaml, indexed-job.yaml)")
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
    # Each worker may need 256 MiB (the heaviest admissible packet): the
    # pod's memory limit must hold --jobs of them (src/batch_jobs.c).
    njobs = args[args.index("--jobs") + 1] if "--jobs" in args else None
    need(njobs is not None and njobs.isdigit() and int(njobs) >= 1, "Indexed Job: args lack --jobs N")
    mem = str(c.get("resources", {}).get("limits", {}).get("memory", ""))
    units = {"Mi": 1, "Gi": 1024}
    mib = int(mem[:-2]) * units[mem[-2:]] if mem[-2:] in units and mem[:-2].isdigit() else 0
    need(njobs is not None and njobs.isdigit() and mib >= int(njobs) * 256,
         f"Indexed Job: limits.memory {mem} is less than --jobs {njobs} x 256Mi")
    out = [m for m in c.get("volumeMounts", []) if m["mountPath"] == "/out"]
    need(out and "$(JOB_COMPLETION_INDEX)" in out[0].get("subPathExpr", ""),
         "Indexed Job: /out is not a per-shard subPathExpr")
# The pod venue: the entrypoint builds its own sandbox inside the pod
# (--self-sandbox), which needs the pod profile, a second profile generated
# from seccomp/syscalls.txt (docs/deploy.md, "The pod venue").
profile = os.path.join(root, "seccomp", "tki-pod.json")
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
        need(sc.get("procMount", "Default") == "Default", f"{c['name']}: procMount is not Default")
        need(not sc.get("runAsUser") or sc.get("runAsUser") == 65532, f"{c['name']}: runAsUser is not 65532")
        need(sc.get("capabilities", {}).get("drop") == ["ALL"] and not sc.get("capabilities", {}).get("add"),
             f"{c['name']}: capabilities are not drop ALL")
        sp = sc.get("seccompProfile") or psc.get("seccompProfile") or {}
        need(sp.get("type") == "Localhost", f"{c['name']}: seccompProfile is not Localhost")
        need(os.path.basename(sp.get("localhostProfile", "")) == os.path.basename(profile) and os.path.exists(profile),
             f"{c['name']}: localhostProfile is not our {os.path.relpath(profile, root)}")
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
        need("--self-sandbox" in args, f"{c['name']}: args lack --self-sandbox (a pod alone fails P1 on eth0)")
        need(not c.get("command"), f"{c['name']}: command overrides the image's entrypoint")

# The pod profile is tki-container.json's allowlist plus more, never less
# (the drift check, make seccomp-check, holds both to seccomp/syscalls.txt).
import json
with open(os.path.join(root, "seccomp", "tki-container.json")) as f:
    cprof = json.load(f)
with open(profile) as f:
    pprof = json.load(f)
need(pprof.get("defaultAction") == cprof.get("defaultAction") == "SCMP_ACT_ERRNO",
     "tki-pod.json: the default action is not the container profile's SCMP_ACT_ERRNO")
need(pprof.get("architectures") == cprof.get("architectures"), "tki-pod.json: other architectures")
pod_allowed = {n for e in pprof["syscalls"] if e["action"] == "SCMP_ACT_ALLOW" for n in e["names"]}
for e in cprof["syscalls"]:
    if e["action"] == "SCMP_ACT_ALLOW":
        for n in e["names"]:
            need(n in pod_allowed, f"tki-pod.json: {n} is allowed in the container profile, not in the pod's")
for n in ("unshare", "setns", "bpf", "ptrace", "socket", "connect", "execveat", "keyctl", "io_uring_setup"):
    need(n not in pod_allowed, f"tki-pod.json: {n} is allowed")

# docs/deploy.md shows the exact flags of scripts/run-container and of
# scripts/run-pod, each in its own ```sh block.
with open(os.path.join(root, "docs", "deploy.md")) as f:
    doc = f.read()
n_flags = 0
for script_name, first, prof in (("run-container", "--network none", "seccomp/tki-container.json"),
                                 ("run-pod", "--network bridge", "seccomp/tki-pod.json")):
    with open(os.path.join(root, "scripts", script_name)) as f:
        script = f.read()
    block = script[script.index('"$engine" run --rm'):script.index('"$image" "$@"')]
    flags = [l.strip().rstrip("\\").strip() for l in block.splitlines()[1:]]
    flags = [l for l in flags if l and not l.startswith('"${')]
    n_flags += len(flags)
    m = re.search(r"```sh\n(docker run --rm \\\n\t" + re.escape(first) + r".*?)```", doc, re.S)
    need(m, f"docs/deploy.md: no ```sh block starting with docker run --rm {first} ({script_name})")
    if m:
        shown = m.group(1)
        for fl in flags:
            want = fl.replace('"', "").replace("$seccomp", prof)
            want = want.replace("$uid", "65532").replace("$in", "IN").replace("$out", "OUT")
            need(want in shown, f"docs/deploy.md: the docker run lacks {fl!r} of scripts/{script_name}")
    if script_name == "run-pod":
        need('--security-opt seccomp=seccomp/tki-pod.json' in (m.group(1) if m else ""),
             "docs/deploy.md: the run-pod block lacks the pod profile")
flags = range(n_flags)

if errors:
    for e in errors:
        print("check-k8s:", e, file=sys.stderr)
    sys.exit(1)
print(f"check-k8s: {sum(len(v) for v in docs.values())} manifests ok; docs/deploy.md has the {len(flags)} flags of scripts/run-container and scripts/run-pod")
