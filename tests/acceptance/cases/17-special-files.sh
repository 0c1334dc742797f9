#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# #17: a FIFO, device node, socket or directory where a file is cited is
# refused without blocking: the inspector never hangs (timeout 60 s = fail).
. "$ROOT/tests/acceptance/lib.sh"; . "$ROOT/tests/acceptance/reader-lib.sh"
new_work
venues >"$WORK/venues"; read -ra VS <"$WORK/venues"
for v in "${VS[@]}"; do
	p=$WORK/$v-fifo; mkpacket "$p"; mkfifo -m 644 "$p/artifacts/pipe"; set_path "$p" '"artifacts/pipe"'
	run_in "$v" "$p" "$WORK/$v-o1"
	expect "FIFO cited: refused, no hang, exit 3 [$v] #17" 3 'E1' 'a FIFO, not a regular file'
	p=$WORK/$v-dir; mkpacket "$p"; set_path "$p" '"artifacts"'
	run_in "$v" "$p" "$WORK/$v-o2"
	expect "directory cited: refused, exit 3 [$v] #17" 3 'E1' 'a directory, not a regular file'
	p=$WORK/$v-dev; mkpacket "$p"
	if mknod -m 666 "$p/artifacts/zero" c 1 5 2>/dev/null; then
		set_path "$p" '"artifacts/zero"'
		run_in "$v" "$p" "$WORK/$v-o3"
		expect "device node cited: refused, exit 3 [$v] #17" 3 'E1' 'a character device, not a regular file'
	else
		tap_skip "device node cited [$v] #17" "mknod not permitted here"
	fi
	p=$WORK/$v-sock; mkpacket "$p"
	python3 -c "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])" "$p/artifacts/sock"
	set_path "$p" '"artifacts/sock"'
	run_in "$v" "$p" "$WORK/$v-o4"
	expect "socket cited: refused, exit 3 [$v] #17" 3 'E1' 'a socket, not a regular file'
	p=$WORK/$v-mfifo; mkpacket "$p"; rm "$p/packet.json"; mkfifo -m 644 "$p/packet.json"
	run_in "$v" "$p" "$WORK/$v-o5"
	expect "packet.json a FIFO: refused, no hang, exit 3 [$v] #17" 3 '"packet.json" refused: a FIFO'
done
skip_venues "special files #17"
