// SPDX-License-Identifier: Apache-2.0
/* Command line parsing; pure except for the streams it is handed. */
#include "tki/batch.h"
#include "tki/cli.h"
#include "tki/common.h"
#include "tki/provenance.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"Usage: tki-inspector COMMAND [OPTIONS]\n"
	"\n"
	"Inspect an evidence packet offline, inside a sandbox, claim by claim.\n"
	"\n"
	"Commands:\n"
	"  inspect     read the packet in --in, write reports into --out\n"
	"  attest      run the 12 sandbox boundary probes, write the bundle into --out\n"
	"  selfcheck   run the P1 self-check alone; print JSON on stdout\n"
	"  merge       combine shard summaries (merge --out DIR SUMMARY.json...)\n"
	"              into one, as one batch run over all the packets\n"
	"  stage       (root, for the venue scripts) bind --in read-only and --out\n"
	"              idmapped to uid 65532 at --at DIR/in and DIR/out\n"
	"\n"
	"Options:\n"
	"  --in DIR             packet directory (default /in)\n"
	"  --out DIR            output directory (default /out)\n"
	"  --run-date YYYY-MM-DD  date the verdict is scoped to (default: today, UTC)\n"
	"  --max-age DAYS       evidence captured more than DAYS days before the run\n"
	"                       date is stale: UNVERIFIED (default 90; 0 to 36500)\n"
	"  --self-sandbox       build the sandbox ourselves (user, mount, pid, net,\n"
	"                       ipc, uts, cgroup namespaces), no container needed\n"
	"  --batch              inspect: every subdirectory of --in is a packet, each in\n"
	"                       its own sandboxed worker; reports in --out/packets/NAME/,\n"
	"                       summary.json, summary.md, summary.sarif in --out\n"
	"  --jobs N             with --batch: at most N workers at once (default: the\n"
	"                       CPUs, at most 6, within the cgroup's cpu.max and\n"
	"                       memory.max / 256 MiB)\n"
	"  --shard I/N          with --batch: only the packets of shard I of N\n"
	"                       (0 <= I < N; SHA-256 of the directory name mod N)\n"
	"  --format LIST        comma-separated subset of md,json,sarif,vsa\n"
	"                       (default md,json,sarif; vsa: an in-toto Statement\n"
	"                       with the SLSA verification summary, report.vsa.json)\n"
	"  --trust-key FILE     inspect: a PEM public key (ECDSA P-256 or Ed25519)\n"
	"                       whose DSSE signature makes an attestation bundle\n"
	"                       count; repeatable; \"-\" reads standard input. Read\n"
	"                       before the sandbox closes (docs/attestation.md)\n"
	"  --max-hash-bytes N   refuse a packet whose distinct artifacts total more\n"
	"                       than N bytes (st_size; suffix K, M, G, T; default 16G)\n"
	"  --max-cpu-seconds N  stop a run after N s of CPU time (default 600)\n"
	"  -h, --help           show this help\n"
	"  -V, --version        show the version\n"
	"\n"
	"Exit codes:\n"
	"  0  inspected; every claim is adequately evidenced (this packet only)\n"
	"  1  inspected; at least one claim is not adequately evidenced\n"
	"  2  usage error, or the packet is invalid (REJECTED report written)\n"
	"  3  BLOCKED: a sandbox invariant (P1) or an I/O guard failed; fail closed\n"
	"\n"
	"Outside a container, use --self-sandbox; on a bare host P1 refuses to run.\n"
	"See docs/exit-codes.md and tki-inspector(1).\n";

void tki_cli_usage(FILE *f)
{
	fputs(usage_text, f);
}

static bool parse_formats(const char *list, unsigned *out)
{
	unsigned f = 0;
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n == 2 && !strncmp(p, "md", 2))
			f |= TKI_FMT_MD;
		else if (n == 4 && !strncmp(p, "json", 4))
			f |= TKI_FMT_JSON;
		else if (n == 5 && !strncmp(p, "sarif", 5))
			f |= TKI_FMT_SARIF;
		else if (n == 3 && !strncmp(p, "vsa", 3))
			f |= TKI_FMT_VSA;
		else
			return false;
		p += n;
		if (*p == ',')
			p++;
	}
	*out = f;
	return f != 0;
}

/* 0..36500 days, plain decimal. */
static bool parse_days(const char *s, unsigned *out)
{
	unsigned v = 0;
	if (!*s || strlen(s) > 5)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (unsigned)(*p - '0');
	}
	if (v > 36500)
		return false;
	*out = v;
	return true;
}

/* N with an optional binary suffix (K, M, G, T), > 0, no overflow. */
static bool parse_size(const char *v, unsigned long long *out)
{
	if (*v < '0' || *v > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long long n = strtoull(v, &end, 10);
	if (errno || !n)
		return false;
	unsigned shift = 0;
	if (*end) {
		const char *u = strchr("KMGT", *end);
		if (!u || end[1])
			return false;
		shift = 10 * (unsigned)(u - "KMGT" + 1);
	}
	if (shift && n > (~0ull >> shift))
		return false;
	*out = n << shift;
	return true;
}

static enum tki_cli_result usage_error(FILE *err, const char *msg, const char *arg)
{
	/* the argument may carry anything (a CI variable, a file name) */
	fprintf(err, "tki-inspector: %s%s", msg, arg ? ": " : "");
	tki_fput_text(err, arg);
	fputc('\n', err);
	fputs("Hint: run 'tki-inspector --help' for the commands and options.\n", err);
	return TKI_CLI_USAGE;
}

enum tki_cli_result tki_cli_parse(int argc, char **argv, const char *today,
				  struct tki_opts *o, FILE *out, FILE *err)
{
	memset(o, 0, sizeof(*o));
	o->in_dir = "/in";
	o->out_dir = "/out";
	o->formats = TKI_FMT_ALL;
	o->max_age_days = TKI_DEFAULT_MAX_AGE_DAYS;
	o->max_hash_bytes = TKI_DEFAULT_MAX_HASH_BYTES;
	o->max_cpu_seconds = TKI_DEFAULT_MAX_CPU_SECONDS;
	snprintf(o->run_date, sizeof(o->run_date), "%s", today ? today : "");

	bool have_cmd = false, shard_given = false;
	o->shard_count = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			tki_cli_usage(out);
			return TKI_CLI_DONE;
		}
		if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			fprintf(out, "tki-inspector %s\n", TKI_VERSION);
			return TKI_CLI_DONE;
		}
		if (!strcmp(a, "--self-sandbox")) {
			o->self_sandbox = true;
			continue;
		}
		if (!strcmp(a, "--batch")) {
			o->batch = true;
			continue;
		}
		if (!strcmp(a, "--jobs")) {
			char *end = NULL;
			errno = 0;
			unsigned long n = i + 1 < argc ? strtoul(argv[i + 1], &end, 10) : 0;
			if (i + 1 >= argc || argv[i + 1][0] < '1' || argv[i + 1][0] > '9' || *end || errno || n > 4096)
				return usage_error(err, "--jobs takes N, at most N workers at once, 1 <= N <= 4096",
						   i + 1 < argc ? argv[i + 1] : NULL);
			o->jobs = (unsigned)n;
			i++;
			continue;
		}
		if (!strcmp(a, "--shard")) {
			if (i + 1 >= argc || !tki_shard_parse(argv[i + 1], &o->shard_index, &o->shard_count))
				return usage_error(err, "--shard takes I/N, shard I of N with 0 <= I < N <= 4096 (e.g. 0/3)",
						   i + 1 < argc ? argv[i + 1] : NULL);
			i++;
			shard_given = true;
			continue;
		}
		if (!strcmp(a, "--trust-key")) {
			if (i + 1 >= argc || !*argv[i + 1])
				return usage_error(err, "--trust-key needs a PEM public key file", NULL);
			if (o->n_trust_files >= TKI_CLI_MAX_TRUST_FILES)
				return usage_error(err, "too many --trust-key options (at most 16)", NULL);
			for (unsigned k = 0; k < o->n_trust_files; k++)
				if (!strcmp(argv[i + 1], "-") && !strcmp(o->trust_files[k], "-"))
					return usage_error(err, "--trust-key - (standard input) may be given once", NULL);
			o->trust_files[o->n_trust_files++] = argv[++i];
			continue;
		}
		if (!strcmp(a, "--in") || !strcmp(a, "--out") || !strcmp(a, "--run-date") ||
		    !strcmp(a, "--format") || !strcmp(a, "--at") || !strcmp(a, "--max-hash-bytes") ||
		    !strcmp(a, "--max-cpu-seconds") || !strcmp(a, "--max-age")) {
			if (i + 1 >= argc)
				return usage_error(err, "option needs a value", a);
			val = argv[++i];
			if (!*val)
				return usage_error(err, "option value is empty", a);
			if (!strcmp(a, "--in")) {
				o->in_dir = val;
				o->in_given = true;
			} else if (!strcmp(a, "--out")) {
				o->out_dir = val;
				o->out_given = true;
			}
			else if (!strcmp(a, "--at"))
				o->stage_at = val;
			else if (!strcmp(a, "--max-hash-bytes")) {
				if (!parse_size(val, &o->max_hash_bytes))
					return usage_error(err, "--max-hash-bytes takes a positive byte count, optionally with K, M, G or T", val);
			} else if (!strcmp(a, "--max-cpu-seconds")) {
				unsigned long long n;
				if (strchr(val, 'K') || strchr(val, 'M') || strchr(val, 'G') || strchr(val, 'T') ||
				    !parse_size(val, &n) || n > 86400ull * 365)
					return usage_error(err, "--max-cpu-seconds takes a positive number of seconds", val);
				o->max_cpu_seconds = (unsigned long)n;
			} else if (!strcmp(a, "--run-date")) {
				if (!tki_date_valid(val))
					return usage_error(err, "--run-date must be a real date as YYYY-MM-DD", val);
				snprintf(o->run_date, sizeof(o->run_date), "%s", val);
			} else if (!strcmp(a, "--max-age")) {
				if (!parse_days(val, &o->max_age_days))
					return usage_error(err, "--max-age takes a number of days from 0 to 36500", val);
			} else if (!parse_formats(val, &o->formats))
				return usage_error(err, "--format takes a comma-separated list of md, json, sarif, vsa", val);
			continue;
		}
		if (a[0] == '-')
			return usage_error(err, "unknown option", a);
		if (have_cmd && o->cmd == TKI_CMD_MERGE) {
			o->merge_files = tki_xrealloc(o->merge_files, (o->n_merge_files + 1) * sizeof(char *));
			o->merge_files[o->n_merge_files++] = a;
			continue;
		}
		if (have_cmd)
			return usage_error(err, "unexpected argument", a);
		if (!strcmp(a, "inspect"))
			o->cmd = TKI_CMD_INSPECT;
		else if (!strcmp(a, "attest"))
			o->cmd = TKI_CMD_ATTEST;
		else if (!strcmp(a, "selfcheck"))
			o->cmd = TKI_CMD_SELFCHECK;
		else if (!strcmp(a, "stage"))
			o->cmd = TKI_CMD_STAGE;
		else if (!strcmp(a, "merge"))
			o->cmd = TKI_CMD_MERGE;
		else
			return usage_error(err, "unknown command (expected inspect, attest or selfcheck)", a);
		have_cmd = true;
	}
	if (!have_cmd)
		return usage_error(err, "missing command (inspect, attest or selfcheck)", NULL);
	if (o->cmd == TKI_CMD_STAGE && (!o->in_given || !o->out_given || !o->stage_at || o->self_sandbox))
		return usage_error(err, "stage needs --in IN --out OUT --at DIR (and no --self-sandbox)", NULL);
	if (o->cmd != TKI_CMD_STAGE && o->stage_at)
		return usage_error(err, "--at is for the stage command only", NULL);
	if (o->n_trust_files && o->cmd != TKI_CMD_INSPECT)
		return usage_error(err, "--trust-key is an option of inspect (it checks signed bundles)", NULL);
	if ((o->batch || shard_given) && o->cmd != TKI_CMD_INSPECT)
		return usage_error(err, "--batch and --shard are options of inspect", NULL);
	if (o->jobs && !o->batch)
		return usage_error(err, "--jobs needs --batch (it bounds the batch's workers)", NULL);
	if (shard_given && !o->batch)
		return usage_error(err, "--shard needs --batch (it selects packets of a batch dir)", NULL);
	if (o->cmd == TKI_CMD_MERGE && (!o->out_given || !o->n_merge_files || o->in_given || o->self_sandbox))
		return usage_error(err, "merge needs --out DIR and one or more SUMMARY.json files (no --in, no "
				   "--self-sandbox)", NULL);
	if (!tki_date_valid(o->run_date))
		return usage_error(err, "cannot determine today's date; pass --run-date YYYY-MM-DD", NULL);
	return TKI_CLI_RUN;
}
