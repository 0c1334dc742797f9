// SPDX-License-Identifier: Apache-2.0
/* The two directories named on the command line (--in, --out, or /in and
 * /out by default), opened without following a symlink in any component.
 * One openat2 lookup both checks and opens: a symlink swapped in before it
 * is refused, one swapped in after it no longer matters, since everything
 * later uses the descriptor, never the path again (issue 14, point 2). */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tki/common.h"
#include "tki/guard.h"

/* The first prefix of path that is a symlink now, for the message only
 * (the refusal itself was the kernel's). NULL if none is found any more. */
static char *first_link(const char *path)
{
	tki_autofree char *buf = tki_xstrdup(path);
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		struct stat st;
		if (p > buf && p[-1] != '/' && fstatat(AT_FDCWD, buf, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode))
			return tki_xstrdup(buf);
		if (saved == '\0')
			return NULL;
		*p = saved;
	}
}

int tki_guard_open_dir(const char *path, unsigned long long flags, char **link)
{
	/* NO_SYMLINKS implies NO_MAGICLINKS: /proc/self/fd/N is refused too.
	 * Mount crossings are fine: /in and /out are mount points. */
	struct open_how how = {.flags = flags | O_DIRECTORY | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS};
	int fd;
	if (link)
		*link = NULL;
	do
		fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	while (fd < 0 && (errno == EINTR || errno == EAGAIN));
	if (fd < 0 && errno == ELOOP && link) {
		*link = first_link(path);
		errno = ELOOP;
	}
	return fd;
}
