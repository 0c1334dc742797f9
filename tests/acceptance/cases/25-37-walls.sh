#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #25-#34, #36, #37: the L1 walls, tried from inside every venue by the test
# program tests/l1/walls.c (built into build/tests/, never shipped). The
# program applies the binary's own layer and then tries each escape; one TAP
# line per (id, venue, attempt). Venues: self as root, self as an
# unprivileged user, bwrap, docker; one that cannot start is SKIP.
#
# Each wall is made able to fail: a real listener on 127.0.0.1:5432 and
# /var/run/postgresql/.s.PGSQL.5432 is reached from the host first, the
# sentinel and the home dir are readable outside, the secret is exported in
# the launching environment, the setuid copy is root-owned 4755.
set -u
. "$(dirname "$0")/../lib.sh"
new_work
make -C "$ROOT" -s l1tests static >/dev/null 2>&1 || { tap_fail "build the walls test program (make l1tests static) #25"; exit 0; }
WALLS=$ROOT/build/tests/walls
WALLS_STATIC=$ROOT/build/tests/walls-static
PY=/usr/bin/python3
SECRET_KEY=TKI_TEST_SECRET_TOKEN
# The pid namespace the venue is launched from (ours: /proc/1 of the host may be unreadable).
HOST_PIDNS=$(readlink /proc/self/ns/pid)
WIMAGE=tki-walls:${IMAGE##*:}
[ "$WIMAGE" = "tki-walls:latest" ] && WIMAGE=tki-walls:ns

# ---- a real database-shaped listener on the host (#26) ----
PGDIR=/var/run/postgresql PGSOCK=/var/run/postgresql/.s.PGSQL.5432
LISTENER=
cleanup() {
	[ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null && wait "$LISTENER" 2>/dev/null
	[ -n "${MADE_SOCK:-}" ] && rm -f "$PGSOCK"
	[ -n "${MADE_PGDIR:-}" ] && rmdir "$PGDIR" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
if ! [ -d "$PGDIR" ]; then mkdir -p "$PGDIR" && MADE_PGDIR=1; fi
if ! [ -S "$PGSOCK" ]; then MADE_SOCK=1; fi
"$PY" - "$PGSOCK" "${MADE_SOCK:-}" >"$WORK/listener.log" 2>&1 <<'EOF' &
import os, socket, sys, select
socks = []
try:
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind(("127.0.0.1", 5432)); t.listen(16); socks.append(t)
except OSError as e:
    print("tcp:", e)
if sys.argv[2]:
    u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    u.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o777); u.listen(16); socks.append(u)
print("ready", flush=True)
while socks:
    for s in select.select(socks, [], [])[0]:
        c, _ = s.accept(); c.close()
EOF
LISTENER=$!
for _ in $(seq 50); do grep -q ready "$WORK/listener.log" 2>/dev/null && break; sleep 0.1; done
if "$PY" -c '
import socket, sys
t = socket.create_connection(("127.0.0.1", 5432), timeout=2); t.close()
u = socket.socket(socket.AF_UNIX); u.settimeout(2); u.connect(sys.argv[1]); u.close()' "$PGSOCK" 2>"$WORK/reach.err"; then
	tap_ok "host: a listener on 127.0.0.1:5432 and $PGSOCK accepts connections outside the sandbox (precondition) #26"
else
	tap_fail "host: a listener on 127.0.0.1:5432 and $PGSOCK accepts connections outside the sandbox (precondition) #26" "$(cat "$WORK/listener.log" "$WORK/reach.err")"
fi

# The engine socket the walls must not see is really there outside (#36).
if [ -S /var/run/docker.sock ]; then
	tap_ok "host: /var/run/docker.sock exists outside the sandbox (precondition) #36"
else
	tap_skip "host: /var/run/docker.sock exists outside the sandbox (precondition) #36" "no docker engine socket on this host"
fi

# ---- one venue's run: prepare dirs, run, turn WALL lines into TAP ----
# prep_dirs OWNER INMODE: fresh IN (with a root-owned setuid copy), OUT
# (with a host-planted symlink to the sentinel), a readable sentinel and home.
prep_dirs() {
	local owner=$1 inmode=$2
	D=$(mktemp -d "$WORK/v.XXXXXX"); chmod 0755 "$D"
	mkdir -m "$inmode" "$D/in"; mkdir -m 0755 "$D/out" "$D/home"
	echo "packet" >"$D/in/packet.json"
	cp "$WALLS_STATIC" "$D/in/suid-walls"; chown root:root "$D/in/suid-walls"; chmod 4755 "$D/in/suid-walls"
	echo "sentinel-$RANDOM" >"$D/sentinel"; chmod 0644 "$D/sentinel"
	cp "$D/sentinel" "$D/sentinel.orig"
	ln -s "$D/sentinel" "$D/out/escape"
	chown -h "$owner" "$D/in" "$D/in/packet.json" "$D/out" "$D/out/escape" "$D/home"
}
wall_args() {
	echo --secret-key "$SECRET_KEY" --sentinel "$D/sentinel" --home "$D/home" \
		--host-pidns "$HOST_PIDNS" --suid suid-walls --link escape
}
# report VENUE FILE: one TAP line per WALL line; a venue with no lines fails.
report() {
	local venue=$1 file=$2 n=0 tag name exp obs res id
	while read -r tag name exp obs res; do
		[ "$tag" = WALL ] || continue
		n=$((n + 1)); id=${name%%:*}
		if [ "$res" = PASS ]; then
			if [ "$exp" = written ]; then tap_ok "$venue: ${name#*:} succeeded (positive control), observed $obs #$id"
			else tap_ok "$venue: ${name#*:} refused as expected ($exp), observed $obs #$id"; fi
		else
			tap_fail "$venue: ${name#*:} expected $exp, observed $obs #$id" "$(grep -v '^WALL' "$file" | head -20)"
		fi
	done <"$file"
	[ $n -gt 0 ] || tap_fail "$venue: the walls program produced no result #25" "$(head -30 "$file")"
}
# host_after VENUE [OWNER_UID]: what the walls must have left untouched.
host_after() {
	local venue=$1 want_uid=${2:-}
	if cmp -s "$D/sentinel" "$D/sentinel.orig" && ! [ -e "$D/tki-wall-escape" ] && ! [ -e "$D/etc" ]; then
		tap_ok "$venue: host sentinel outside /out unchanged, nothing created beside OUT #31"
	else
		tap_fail "$venue: host sentinel outside /out unchanged, nothing created beside OUT #31" "$(ls -la "$D"; cat "$D/sentinel")"
	fi
	if [ -f "$D/out/tki-wall-ok" ] && ! [ -e "$D/in/tki-wall" ]; then
		local u; u=$(stat -c %u "$D/out/tki-wall-ok")
		if [ -z "$want_uid" ] || [ "$u" = "$want_uid" ]; then
			tap_ok "$venue: the /out write landed in OUT on the host (owner uid $u), IN untouched #33"
		else
			tap_fail "$venue: the /out write landed in OUT as uid $u, expected uid $want_uid #33"
		fi
	else
		tap_fail "$venue: the /out write landed in OUT on the host, IN untouched #33" "$(ls -la "$D/in" "$D/out")"
	fi
}

# ---- self, as root: a private (0700) root-owned packet dir ----
if [ "$(id -u)" = 0 ]; then
	prep_dirs root:root 0700
	env "$SECRET_KEY=hunter2-self-root" "$WALLS" --venue self --in "$D/in" --out "$D/out" $(wall_args) >"$D/log" 2>&1
	report "self(root)" "$D/log"
	host_after "self(root)" 0
else
	tap_skip "self(root): walls #25 #26 #27 #28 #29 #30 #31 #32 #33 #34 #36 #37" "$(venue_skip 'self(root)' "not running as root")"
fi

# ---- self, as an unprivileged user (nobody) ----
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	prep_dirs nobody:nogroup 0700
	cp "$WALLS" "$D/walls"; chmod 0755 "$D/walls"
	env "$SECRET_KEY=hunter2-self-user" setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$D/walls" --venue self --in "$D/in" --out "$D/out" $(wall_args) >"$D/log" 2>&1
	report "self(user)" "$D/log"
	host_after "self(user)" "$(id -u nobody)"
else
	tap_skip "self(user): walls #25 #26 #27 #28 #29 #30 #31 #32 #33 #34 #36 #37" "$(venue_skip 'self(user)' "needs root to switch to an unprivileged user (setpriv)")"
fi

# ---- bwrap: the static walls run exactly as run-bwrap runs the inspector ----
if have_bwrap; then
	prep_dirs root:root 0755
	env "$SECRET_KEY=hunter2-bwrap" "$ROOT/scripts/run-bwrap" --binary "$WALLS_STATIC" "$D/in" "$D/out" -- \
		--venue bwrap $(wall_args) >"$D/log" 2>&1
	report "bwrap" "$D/log"
	host_after "bwrap"
else
	tap_skip "bwrap: walls #25 #26 #27 #28 #29 #30 #31 #32 #33 #34 #36 #37" "$BWRAP_SKIP"
fi

# ---- docker: FROM scratch with walls-static, the hardened run flags ----
docker_ok() { command -v docker >/dev/null && docker info >/dev/null 2>&1; }
build_walls_image() {
	local ctx="$WORK/img"
	mkdir -p "$ctx"; cp "$WALLS_STATIC" "$ctx/walls"
	printf 'FROM scratch\nCOPY walls /walls\nUSER 65532:65532\nENTRYPOINT ["/walls"]\n' >"$ctx/Dockerfile"
	docker build -q -t "$WIMAGE" "$ctx" >/dev/null 2>"$WORK/build.err" || { cat "$WORK/build.err" >&2; return 1; }
}
# The flags of scripts/run-container when it is there (one source of truth);
# until then the list of issue 4 point 3, with Docker's default profile.
docker_walls() {
	if [ -x "$ROOT/scripts/run-container" ]; then
		"$ROOT/scripts/run-container" --image "$WIMAGE" "$D/in" "$D/out" -- "$@"
		return
	fi
	chown 65532:65532 "$D/out"
	docker run --rm --network none --ipc none --read-only --cap-drop ALL \
		--security-opt no-new-privileges --user 65532:65532 --pids-limit 64 \
		--memory 256m --memory-swap 256m --cpus 1 --env-file /dev/null \
		--tmpfs /tmp:rw,noexec,nosuid,nodev,size=16m \
		-v "$D/in:/in:ro" -v "$D/out:/out:rw" "$WIMAGE" "$@"
}
if docker_ok && ! build_walls_image; then
	tap_fail "docker: build the walls image #25" "$(cat "$WORK/build.err")"
elif docker_ok; then
	prep_dirs root:root 0755
	export "$SECRET_KEY=hunter2-docker" # on the launcher; --env-file /dev/null must keep it out
	docker_walls --venue docker $(wall_args) >"$D/log" 2>&1
	if grep -q 'harness-fork:' "$D/log"; then
		# The container profile refuses fork to the harness: one container
		# per attempt, a KILL read from the exit status (128+SIGSYS).
		: >"$D/log2"
		for w in $("$WALLS" --list); do
			out=$(docker_walls --venue docker $(wall_args) --only "$w" 2>&1); rc=$?
			if grep -q '^WALL' <<<"$out"; then grep '^WALL' <<<"$out" >>"$D/log2"
			elif [ $rc -eq 159 ] && [ "$w" != 33:write_out ]; then echo "WALL $w refused killed:SIGSYS(rc159) PASS" >>"$D/log2"
			else echo "WALL $w refused no-result:exit$rc FAIL" >>"$D/log2"; fi
		done
		mv "$D/log2" "$D/log"
	fi
	unset "$SECRET_KEY"
	report "docker" "$D/log"
	host_after "docker"
else
	tap_skip "docker: walls #25 #26 #27 #28 #29 #30 #31 #32 #33 #34 #36 #37" "$(venue_skip docker "$(docker_why)")"
fi
exit 0
