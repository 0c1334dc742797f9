# SPDX-License-Identifier: Apache-2.0
# Helpers for acceptance cases. A case prints one TAP line per check,
# unnumbered ("ok - ... #N", "not ok - ... #N", "ok - ... #N # SKIP why");
# tests/acceptance/run numbers them and fails the run for an id with no
# passing line (HACKING.md, "Acceptance cases"). Every description must
# name its matrix id as "#N".

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TKI=${TKI:-$ROOT/tki-inspector}
TKI_STATIC=${TKI_STATIC:-$ROOT/build/static/tki-inspector}
FIX=${FIX:-$ROOT/fixtures}
IMAGE=${IMAGE:-tki-inspector:latest}
# Vendored test data (tests/data/README.md).
DATA=${DATA:-$ROOT/tests/data}

tap_ok()   { echo "ok - $1"; }
tap_fail() { echo "not ok - $1"; shift; local l; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done; }
tap_skip() { echo "ok - $1 # SKIP $2"; }
# The one kind of SKIP that may stand alone for an id: its venue cannot
# start here. venue_skip VENUE REASON prints the reason in the form
# tests/acceptance/run recognises and counts per venue.
venue_skip() { echo "venue $1 cannot start: $2"; }
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
	if ! command -v docker >/dev/null 2>&1; then DOCKER_SKIP=$(venue_skip docker "docker client not installed (scripts/deps)"); return 1; fi
	if ! docker info >/dev/null 2>&1; then DOCKER_SKIP=$(venue_skip docker "$(docker_why)"); return 1; fi
	if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then DOCKER_SKIP=$(venue_skip docker "image $IMAGE not built (make image)"); return 1; fi
	return 0
}

# Why no engine answers, in words a user can act on.
docker_why() {
	if [ "$(id -u)" -ne 0 ] && [ -S /var/run/docker.sock ] && [ ! -w /var/run/docker.sock ]; then
		echo "docker engine not reachable: no access to /var/run/docker.sock as uid $(id -u) (join the docker group, or run make check as root)"
	elif [ "$(id -u)" -ne 0 ]; then
		echo "docker engine not running (make check starts it only as root: run it as root, or start dockerd)"
	else
		echo "docker engine not reachable (scripts/start-dockerd)"
	fi
}

# Rootful podman venue (scripts/run-podman): podman installed and able to
# run here, and the docker-built image there to load. Sets PODMAN_SKIP.
have_podman() {
	PODMAN_SKIP=
	if ! command -v podman >/dev/null 2>&1; then PODMAN_SKIP=$(venue_skip podman "podman not installed"); return 1; fi
	if ! podman info >/dev/null 2>&1; then PODMAN_SKIP=$(venue_skip podman "podman cannot run here: $(podman info 2>&1 | tail -1)"); return 1; fi
	if ! have_docker && ! podman image exists "$IMAGE" 2>/dev/null; then
		PODMAN_SKIP=$(venue_skip podman "image $IMAGE in neither podman nor docker (${DOCKER_SKIP#venue docker cannot start: })"); return 1
	fi
	return 0
}

have_bwrap() {
	BWRAP_SKIP=
	if ! command -v bwrap >/dev/null 2>&1; then BWRAP_SKIP=$(venue_skip bwrap "bubblewrap not installed (scripts/deps)"); return 1; fi
	if ! bwrap --unshare-all --ro-bind / / true 2>/dev/null; then BWRAP_SKIP=$(venue_skip bwrap "bwrap cannot create namespaces here"); return 1; fi
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

# md_text FILE: report.md as a reader sees it rendered (GFM, by Debian's
# cmark-gfm): the Markdown escapes are gone, the text is the report's.
md_text() {
	cmark-gfm -e table -e autolink -e strikethrough -t plaintext "$1"
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

# test_keys DIR: an ECDSA P-256 and an Ed25519 key pair made by openssl (the
# independent signer): DIR/ec.pem, ec.pub, ed.pem, ed.pub.
test_keys() {
	mkdir -p "$1"
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1/ec.pem" 2>/dev/null
	openssl genpkey -algorithm ed25519 -out "$1/ed.pem" 2>/dev/null
	openssl pkey -in "$1/ec.pem" -pubout -out "$1/ec.pub"
	openssl pkey -in "$1/ed.pem" -pubout -out "$1/ed.pub"
}

# allpass_statement OUT: fixtures/attest/all-pass's bundle as an in-toto
# Statement v1 of our predicateType (subject: its image).
allpass_statement() {
	jq '{_type: "https://in-toto.io/Statement/v1",
	     subject: [{name: "image", digest: {sha256: (.image_digest | ltrimstr("sha256:"))}}],
	     predicateType: "https://tki-inspector.dev/attestation/sandbox/v1", predicate: .}' \
		"$FIX/attest/all-pass/bundle.json" >"$1"
}
