# SPDX-License-Identifier: Apache-2.0
# Helpers for acceptance cases. A case prints one TAP line per check,
# unnumbered ("ok - ... #N", "not ok - ... #N", "ok - ... #N # SKIP why");
# tests/acceptance/run numbers them and adds TODO lines for ids nobody covers.
# Every description must name its matrix id as "#N".

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TKI=${TKI:-$ROOT/tki-inspector}
TKI_STATIC=${TKI_STATIC:-$ROOT/build/static/tki-inspector}
FIX=${FIX:-$ROOT/fixtures}
IMAGE=${IMAGE:-tki-inspector:latest}
SHARED=${SHARED:-$ROOT/../shared}

tap_ok()   { echo "ok - $1"; }
tap_fail() { echo "not ok - $1"; shift; local l; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done; }
tap_skip() { echo "ok - $1 # SKIP $2"; }
# tap_check DESC CMD...: ok when CMD succeeds; its output is shown on failure.
tap_check() {
	local desc=$1; shift
	local out
	if out=$("$@" 2>&1); then tap_ok "$desc"; else tap_fail "$desc" "command: $*" "$out"; fi
}

# A private scratch dir per case, removed at exit.
new_work() {
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/tki-acc.XXXXXX")
	chmod 0755 "$WORK"
	trap 'rm -rf "$WORK"' EXIT
}

# Docker venue: engine reachable and the image built (tests/acceptance/run
# builds it). Sets DOCKER_SKIP to the reason when not.
have_docker() {
	DOCKER_SKIP=
	if ! command -v docker >/dev/null 2>&1; then DOCKER_SKIP="docker client not installed"; return 1; fi
	if ! docker info >/dev/null 2>&1; then DOCKER_SKIP="docker engine not reachable (start dockerd)"; return 1; fi
	if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then DOCKER_SKIP="image $IMAGE not built (make image)"; return 1; fi
	return 0
}

# Rootful podman venue (scripts/run-podman): podman installed and able to
# run here, and the docker-built image there to load. Sets PODMAN_SKIP.
have_podman() {
	PODMAN_SKIP=
	if ! command -v podman >/dev/null 2>&1; then PODMAN_SKIP="podman not installed"; return 1; fi
	if ! podman info >/dev/null 2>&1; then PODMAN_SKIP="podman cannot run here: $(podman info 2>&1 | tail -1)"; return 1; fi
	if ! have_docker && ! podman image exists "$IMAGE" 2>/dev/null; then
		PODMAN_SKIP="image $IMAGE in neither podman nor docker (${DOCKER_SKIP:-make image})"; return 1
	fi
	return 0
}

have_bwrap() {
	BWRAP_SKIP=
	if ! command -v bwrap >/dev/null 2>&1; then BWRAP_SKIP="bubblewrap not installed"; return 1; fi
	if ! bwrap --unshare-all --ro-bind / / true 2>/dev/null; then BWRAP_SKIP="bwrap cannot create namespaces here"; return 1; fi
	return 0
}

# p1_all_ok JSON: `selfcheck` output with verdict OK and every invariant
# P1 documents (docs/selfcheck.md) listed and ok, none other failing; else
# prints what is missing or not ok and returns 1.
P1_INVARIANTS="mounts network env uid engine_sockets fds pid_namespace root seccomp no_new_privs capabilities rlimits landlock"
p1_all_ok() {
	local json=$1 n missing=
	for n in $P1_INVARIANTS; do
		jq -e --arg n "$n" '.invariants[] | select(.name == $n and .ok == true)' "$json" >/dev/null 2>&1 ||
			missing="$missing $n"
	done
	if [ -z "$missing" ] && [ "$(jq -r .verdict "$json" 2>/dev/null)" = OK ] &&
		[ "$(jq '[.invariants[] | select(.ok != true)] | length' "$json")" = 0 ]; then
		return 0
	fi
	echo "not listed or not ok:${missing:- (none)}"
	return 1
}

# Venues for the pipeline. tki_in VENUE CMD IN OUT [ARGS...] runs the real
# binary on packet IN writing into OUT, and returns its exit code:
#   self   - ./tki-inspector CMD --self-sandbox --in IN --out OUT ARGS
#   docker - the hardened container (scripts/run-container), IN at /in:ro,
#            OUT at /out (made writable for uid 65532 by the script)
#   bwrap  - bubblewrap around the static binary (scripts/run-bwrap)
#   podman - the same hardened container under rootful podman (scripts/run-podman)
# stdout/stderr are the inspector's.
tki_in() {
	local venue=$1 cmd=$2 in=$3 out=$4; shift 4
	case $venue in
	self) "$TKI" "$cmd" --self-sandbox --in "$in" --out "$out" "$@" ;;
	docker) "$ROOT/scripts/run-container" --image "$IMAGE" "$in" "$out" -- "$cmd" "$@" ;;
	podman) "$ROOT/scripts/run-podman" --image "$IMAGE" "$in" "$out" -- "$cmd" "$@" ;;
	bwrap) "$ROOT/scripts/run-bwrap" "$in" "$out" -- "$cmd" "$@" ;;
	*) echo "tki_in: unknown venue $venue" >&2; return 99 ;;
	esac
}

# The venues available here, for loops: "self" always (it reports its own
# failure), "docker" and "bwrap" when they can start. VENUE_SKIPS collects
# "venue: reason" for those that cannot.
venues() {
	VENUE_SKIPS=()
	local v=(self)
	if have_docker; then v+=(docker); else VENUE_SKIPS+=("docker: $DOCKER_SKIP"); fi
	if have_bwrap; then v+=(bwrap); else VENUE_SKIPS+=("bwrap: $BWRAP_SKIP"); fi
	echo "${v[@]}"
}
