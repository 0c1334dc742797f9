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

have_bwrap() {
	BWRAP_SKIP=
	if ! command -v bwrap >/dev/null 2>&1; then BWRAP_SKIP="bubblewrap not installed"; return 1; fi
	if ! bwrap --unshare-all --ro-bind / / true 2>/dev/null; then BWRAP_SKIP="bwrap cannot create namespaces here"; return 1; fi
	return 0
}
