// SPDX-License-Identifier: Apache-2.0
/* libFuzzer: the signed-bundle layer (DSSE envelope, base64, PAE, ECDSA DER
 * and Ed25519 verification, the in-toto Statement, then the re-judge) and
 * the PEM/SPKI key reader, on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tki/dsse.h"

static const char KEYS[] = "-----BEGIN PUBLIC KEY-----\n"
			   "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEABkz0MDst1WDaEGOlFBzVigwQdBk\n"
			   "PFJJtHFeWgbJMN/X0hRs6dcxrpDT6hlUx/AzOc6qTpIBjRgLcENJwAknFA==\n"
			   "-----END PUBLIC KEY-----\n"
			   "-----BEGIN PUBLIC KEY-----\n"
			   "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
			   "-----END PUBLIC KEY-----\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct tki_keyring kr;
	char err[300];
	if (!kr.n && !tki_keyring_add_pem(&kr, KEYS, strlen(KEYS), "fuzz", err, sizeof(err)))
		__builtin_trap();
	struct tki_attest_verdict v;
	struct tki_attest_signed s;
	tki_attest_judge_signed((const char *)data, len, &kr, &v, &s);
	tki_attest_verdict_free(&v);
	struct tki_keyring scratch = {0};
	(void)tki_keyring_add_pem(&scratch, (const char *)data, len, "input", err, sizeof(err));
	return 0;
}
