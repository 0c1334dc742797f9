# SPDX-License-Identifier: Apache-2.0
# Sourced by scripts/run-container and scripts/run-bwrap when they run as
# root: the packet and the output dir reach uid 65532 through idmapped bind
# mounts made by `tki-inspector stage`, never through ACLs, chmod or chown.
# Nothing outside IN and OUT is touched, and nothing inside them either:
# the on-disk owner of IN (OUT) is shown as 65532, so the sandbox gets
# exactly that owner's rights on the files it can reach, whatever the owner
# swaps or links while the run goes on (docs/deploy.md, "Why no ACLs").
#
#   stage_begin BIN IN OUT   sets STAGE_IN and STAGE_OUT (absolute paths
#                            beneath a fresh root-owned dir, group 65532
#                            may traverse it); exits 2/3 on failure
#   stage_end                unmounts and removes them (idempotent); call
#                            it from an EXIT trap set before stage_begin
stage_dir=
STAGE_IN= STAGE_OUT=

stage_end() {
	[ -n "$stage_dir" ] || return 0
	local m
	for m in in out; do
		if mountpoint -q "$stage_dir/$m" 2>/dev/null; then
			umount "$stage_dir/$m" 2>/dev/null || umount -l "$stage_dir/$m" || true
		fi
		rmdir "$stage_dir/$m" 2>/dev/null || true
	done
	rmdir "$stage_dir" 2>/dev/null || true
	stage_dir=
}

stage_begin() {
	local bin=$1 in=$2 out=$3 rc
	if [ ! -x "$bin" ]; then
		echo "${0##*/}: no tki-inspector binary at $bin to stage IN and OUT" >&2
		echo "Hint: run 'make static' (or 'make image', which builds it) first." >&2
		exit 3
	fi
	# mktemp -d: 0700 and root's; 0710 with group 65532 lets the sandbox
	# uid (bwrap) traverse it and nobody else; nobody else may write it.
	stage_dir=$(mktemp -d "${TKI_STAGE_ROOT:-/run}/tki-stage.XXXXXX") || exit 3
	chgrp 65532 "$stage_dir" && chmod 0710 "$stage_dir" || exit 3
	"$bin" stage --in "$in" --out "$out" --at "$stage_dir" && rc=0 || rc=$?
	[ "$rc" -eq 0 ] || exit "$rc"
	STAGE_IN=$stage_dir/in STAGE_OUT=$stage_dir/out
}
