// SPDX-License-Identifier: Apache-2.0
/* --self-sandbox: pure judgements on paths and wait statuses. */
#include "sandbox_ns.h"

#include <string.h>
#include <sys/wait.h>

bool tki_ns_path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		return path[0] == '/';
	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

const char *tki_ns_dirs_conflict(const char *in_real, const char *out_real)
{
	if (!strcmp(in_real, out_real))
		return "--in and --out are the same directory";
	if (tki_ns_path_within(out_real, in_real))
		return "--out lies inside --in (the report would be written into the packet)";
	if (tki_ns_path_within(in_real, out_real))
		return "--in lies inside --out (the sandbox could write into the packet)";
	return NULL;
}

int tki_ns_exit_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 3;
}
