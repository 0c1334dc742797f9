// SPDX-License-Identifier: Apache-2.0
/* A deliberately bad object for #35: it references system(3). The import
 * check must fail any build that links it (tests/acceptance/cases/35-imports.sh). */
#include <stdlib.h>

int tki_bad_import(const char *cmd);
int tki_bad_import(const char *cmd)
{
	return system(cmd);
}
