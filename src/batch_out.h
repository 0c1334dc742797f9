// SPDX-License-Identifier: Apache-2.0
/* A batch worker's lines, each naming its packet (src/batch_out.c). */
#ifndef TKI_BATCH_OUT_H
#define TKI_BATCH_OUT_H

/* From now on every line this process writes to stdout or stderr starts
 * with `packet "NAME": ` (NAME through the one escaper). */
void tki_batch_name_lines(const char *name);

/* Flush both, a last line without its newline included; before _exit. */
void tki_batch_lines_end(void);

#endif
