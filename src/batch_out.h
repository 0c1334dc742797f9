// SPDX-License-Identifier: Apache-2.0
/* A batch worker's lines, each naming its packet (src/batch_out.c). */
#ifndef TKI_BATCH_OUT_H
#define TKI_BATCH_OUT_H

/* From now on every line this process writes to stdout or stderr starts
 * with `packet "NAME": ` (NAME through the one escaper) and goes out in one
 * write of at most PIPE_BUF bytes (a longer line as several lines). */
void tki_batch_name_lines(const char *name);

/* Flush both, a last line without its newline given one; before _exit. */
void tki_batch_lines_end(void);

#endif
