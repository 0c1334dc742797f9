# SPDX-License-Identifier: Apache-2.0
# Shared by the L4 cases (08, 13, 14, 18, 19, 38-44): inspect a packet in
# every venue through the real binary, then judge report.json with jq.
# Not a case itself (cases are *.sh).
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
RUN_DATE=2026-06-10
new_work
venues >"$WORK/.venues"
read -r -a VENUES <"$WORK/.venues"

# skip_venues ID WHAT: one SKIP line per venue that cannot start.
skip_venues() {
	local s
	for s in "${VENUE_SKIPS[@]}"; do tap_skip "$1 [${s%%:*}] $2" "${s#*: }"; done
}

# inspect VENUE PACKET_DIR NAME [ARGS]: run into $WORK/NAME-VENUE; sets OUT,
# RC and ERR (the inspector's stderr).
inspect() {
	local v=$1 in=$2 name=$3; shift 3
	OUT=$WORK/$name-$v
	rm -rf "$OUT"; mkdir -p "$OUT"
	tki_in "$v" inspect "$in" "$OUT" --run-date "${RUN_DATE_OVERRIDE:-$RUN_DATE}" "$@" >"$OUT.stdout" 2>"$OUT.stderr"
	RC=$?
	ERR=$(cat "$OUT.stderr")
}

# jq_check DESC FILTER: ok when the filter is true on $OUT/report.json.
jq_check() {
	local desc=$1 filter=$2
	if [ -f "$OUT/report.json" ] && jq -e "$filter" "$OUT/report.json" >/dev/null 2>&1; then
		tap_ok "$desc"
	else
		tap_fail "$desc" "exit $RC; filter: $filter" "stderr: $ERR" \
			"$( [ -f "$OUT/report.json" ] && jq -c '{verdict, exit_code, claims, warnings}' "$OUT/report.json" || echo 'no report.json')"
	fi
}

# class_of CLAIM: the class report.json gives it.
class_is() { jq_check "$1" ".claims[] | select(.id == \"$2\") | .class == \"$3\""; }
