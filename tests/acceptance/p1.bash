# SPDX-License-Identifier: Apache-2.0
# Venues for the P1 cases (#1-#6), sourced by tests/acceptance/cases/0[1-6]-*.sh
# (not a case itself: the runner only runs cases/*.sh).
#
# Each check runs a baseline venue (bwrap or the hardened Docker run) and a
# variant that changes exactly one thing, then asserts that the variant
# exits 3, names the broken invariant on stderr, writes nothing, and fails
# exactly the baseline's failed invariants plus the broken one. Until the
# own layer (sandbox branch) lands, the baseline itself still fails
# seccomp/caps/rlimits/landlock; that is printed as a TAP diagnostic.

# One tag per IMAGE (tki-inspector:NAME -> tki-inspector:NAME-p1), so that
# parallel runs with their own IMAGE never rebuild each other's image.
P1_IMAGE=${P1_IMAGE:-${IMAGE:-tki-inspector:latest}-p1}

# The static binary is what runs in bwrap's tmpfs root and FROM scratch.
p1_static() {
	P1_STATIC_SKIP=
	if ! make -C "$ROOT" -s static >/dev/null 2>"$WORK/static.err"; then
		P1_STATIC_SKIP="make static failed: $(tail -1 "$WORK/static.err")"
		return 1
	fi
	[ -x "$TKI_STATIC" ] || { P1_STATIC_SKIP="no $TKI_STATIC"; return 1; }
}

p1_have_bwrap() {
	have_bwrap || { P1_SKIP=$BWRAP_SKIP; return 1; }
	command -v setpriv >/dev/null || { P1_SKIP="setpriv (util-linux) not installed"; return 1; }
	p1_static || { P1_SKIP=$P1_STATIC_SKIP; return 1; }
}

# Our own FROM scratch image of the static binary (the product image comes
# from the sandbox branch); rebuilt only when the binary changed.
p1_have_docker() {
	P1_SKIP=
	command -v docker >/dev/null 2>&1 || { P1_SKIP="docker client not installed"; return 1; }
	docker info >/dev/null 2>&1 || { P1_SKIP="docker engine not reachable (scripts/start-dockerd)"; return 1; }
	p1_static || { P1_SKIP=$P1_STATIC_SKIP; return 1; }
	local sum have
	sum=$(sha256sum "$TKI_STATIC" | cut -c1-64)
	have=$(docker image inspect -f '{{index .Config.Labels "tki.sha256"}}' "$P1_IMAGE" 2>/dev/null || true)
	[ "$have" = "$sum" ] && return 0
	local ctx=$WORK/ctx
	mkdir -p "$ctx" && cp "$TKI_STATIC" "$ctx/tki-inspector"
	printf 'FROM scratch\nCOPY tki-inspector /tki-inspector\nLABEL tki.sha256=%s\nUSER 65532:65532\nENTRYPOINT ["/tki-inspector"]\n' \
		"$sum" >"$ctx/Dockerfile"
	docker build -q -t "$P1_IMAGE" "$ctx" >/dev/null 2>"$WORK/build.err" ||
		{ P1_SKIP="docker build of $P1_IMAGE failed: $(tail -1 "$WORK/build.err")"; return 1; }
}

# Fresh IN (with a file, so that an open of it would show) and empty OUT.
p1_dirs() {
	P1_IN=$(mktemp -d "$WORK/in.XXXXXX")
	P1_OUT=$(mktemp -d "$WORK/out.XXXXXX")
	chmod 0755 "$P1_IN"
	chmod 0777 "$P1_OUT"
	echo '{"packet_id": "p1-probe"}' >"$P1_IN/manifest.json"
	chmod 0644 "$P1_IN/manifest.json"
}

# p1_bwrap [VARIANT ARGS...] -- CMD...: the baseline bwrap venue as an
# unprivileged user (65532) with one user namespace (uid 0 inside maps to
# 65532), a read-only tmpfs root holding only the copied static binary,
# /proc, IN at /in (ro) and OUT at /out (rw); no /dev and no /tmp, as in
# scripts/run-bwrap (bwrap's tmpfs can be neither noexec nor, for /dev,
# size-limited: P1 refuses both). Variant args:
#   in-rw        bind /in read-write
#   root-rw      leave the root writable (no --remount-ro /)
#   as-root      run bwrap as root without a user namespace
#   anything else is passed to bwrap before the remount.
p1_bwrap() {
	local inb=--ro-bind remount=(--remount-ro /) pre=(setpriv --reuid 65532 --regid 65532 --clear-groups)
	local ns=(--unshare-all --uid 0 --gid 0) extra=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		case $1 in
		in-rw) inb=--bind ;;
		root-rw) remount=() ;;
		as-root) pre=(); ns=(--unshare-pid --unshare-net --unshare-ipc --unshare-uts) ;;
		*) extra+=("$1") ;;
		esac
		shift
	done
	shift
	"${pre[@]}" bwrap "${ns[@]}" --die-with-parent --tmpfs / \
		--perms 0755 --file 9 /tki-inspector --proc /proc \
		--clearenv --setenv PATH /usr/bin:/bin --chdir / \
		"$inb" "$P1_IN" /in --bind "$P1_OUT" /out "${extra[@]}" "${remount[@]}" \
		/tki-inspector "$@" 9<"$TKI_STATIC"
}

# p1_docker [VARIANT ARGS...] -- CMD...: the hardened run (DESIGN.md) with
# one flag changed. Variant args: net=MODE, no-read-only, no-cap-drop,
# no-nnp, in-rw; anything else is passed to docker run.
p1_docker() {
	local net=--network=none rof=--read-only caps=--cap-drop=ALL nnp=(--security-opt no-new-privileges) inm=ro extra=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		case $1 in
		net=*) net=--network=${1#net=} ;;
		no-read-only) rof= ;;
		no-cap-drop) caps= ;;
		no-nnp) nnp=() ;;
		in-rw) inm=rw ;;
		*) extra+=("$1") ;;
		esac
		shift
	done
	shift
	docker run --rm $net --ipc none $rof $caps "${nnp[@]}" --user 65532:65532 \
		--env-file /dev/null --tmpfs /tmp:rw,noexec,nosuid,nodev,size=16m \
		--pids-limit 64 --memory 256m \
		-v "$P1_IN:/in:$inm" -v "$P1_OUT:/out:rw" "${extra[@]}" "$P1_IMAGE" "$@"
}

# Failed invariant names in a selfcheck JSON document, sorted, one a line.
p1_failed() { jq -r '.invariants[] | select(.ok == false) | .name' <<<"$1" | sort; }

# p1_variant ID DESC INV VENUE "BASE ARGS" "VARIANT ARGS" [EXTRA_INV...]
# Runs selfcheck in the baseline and the variant, and inspect in the
# variant. ok when: inspect exits 3, stderr has "BLOCKED: INV:", OUT stays
# empty, and the variant's failed set is the baseline's plus INV (and any
# EXTRA_INV the change necessarily breaks too, e.g. a socket bind is a mount).
p1_variant() {
	local id=$1 desc=$2 inv=$3 venue=$4; shift 4
	local variant=() extra_inv=()
	read -r -a variant <<<"$1"; shift
	extra_inv=("$@")
	local run=p1_$venue
	p1_dirs
	local base var rc err
	base=$($run -- selfcheck 2>/dev/null)
	if ! jq -e .verdict >/dev/null 2>&1 <<<"$base"; then
		tap_fail "$desc #$id" "baseline $venue selfcheck gave no JSON: $base"
		return
	fi
	var=$($run "${variant[@]}" -- selfcheck 2>/dev/null)
	p1_dirs
	err=$($run "${variant[@]}" -- inspect 2>&1 >"$WORK/inspect.out"); rc=$?
	local want got problems=()
	want=$( (p1_failed "$base"; printf '%s\n' "$inv" "${extra_inv[@]}") | sed '/^$/d' | sort -u)
	got=$(p1_failed "$var")
	[ "$rc" -eq 3 ] || problems+=("inspect exit $rc, want 3")
	grep -q "^BLOCKED: $inv: " <<<"$err" || problems+=("stderr does not name $inv")
	[ -z "$(ls -A "$P1_OUT")" ] || problems+=("OUT is not empty: $(ls -A "$P1_OUT")")
	[ "$want" = "$got" ] || problems+=("failed invariants: got [$(echo $got)], want baseline + $inv = [$(echo $want)]")
	if [ ${#problems[@]} -eq 0 ]; then
		tap_ok "$desc #$id"
		[ "$(jq -r .verdict <<<"$base")" = OK ] ||
			echo "# baseline $venue not OK yet (own layer pending): $(p1_failed "$base" | tr '\n' ' ')"
	else
		tap_fail "$desc #$id" "${problems[@]}" "stderr: $err"
	fi
	P1_LAST_ERR=$err
	P1_LAST_OUT=$(cat "$WORK/inspect.out")
	P1_LAST_JSON=$var
}
