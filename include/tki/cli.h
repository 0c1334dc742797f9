// SPDX-License-Identifier: Apache-2.0
/* Command line: a pure parser, so that usage errors are unit-testable. */
#ifndef TKI_CLI_H
#define TKI_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* TKI_CMD_STAGE is for the venue scripts only (docs/deploy.md): root binds
 * --in and --out, idmapped to the sandbox uid, beneath --at. */
enum tki_cmd { TKI_CMD_INSPECT, TKI_CMD_ATTEST, TKI_CMD_SELFCHECK, TKI_CMD_STAGE, TKI_CMD_MERGE };

enum tki_format {
	TKI_FMT_MD = 1 << 0,
	TKI_FMT_JSON = 1 << 1,
	TKI_FMT_SARIF = 1 << 2,
	TKI_FMT_ALL = TKI_FMT_MD | TKI_FMT_JSON | TKI_FMT_SARIF,
	TKI_FMT_VSA = 1 << 3, /* report.vsa.json, on request only (docs/reports.md) */
};

/* --trust-key FILE, repeatable (inspect only). */
#define TKI_CLI_MAX_TRUST_FILES 16

struct tki_opts {
	enum tki_cmd cmd;
	const char *in_dir;  /* default /in (the container layout) */
	const char *out_dir; /* default /out */
	char run_date[11];   /* YYYY-MM-DD; default: today (UTC) */
	unsigned max_age_days; /* freshness window (--max-age); default TKI_DEFAULT_MAX_AGE_DAYS */
	bool self_sandbox;
	bool in_given, out_given; /* --in / --out passed explicitly */
	unsigned formats; /* enum tki_format bits */
	const char *stage_at; /* stage: the root-owned dir that gets in/ and out/ */
	/* Work limits (docs/tki-inspector.1, "Work limits"). */
	unsigned long long max_hash_bytes; /* total st_size of the distinct artifacts hashed */
	unsigned long max_cpu_seconds;     /* RLIMIT_CPU soft limit of the run */
	const char *trust_files[TKI_CLI_MAX_TRUST_FILES]; /* --trust-key, in order ("-": stdin) */
	unsigned n_trust_files;
	/* inspect --batch: every subdirectory of in_dir is a packet
	 * (include/tki/batch.h); --shard I/N keeps those of shard I. */
	bool batch;
	unsigned shard_index, shard_count; /* 0/1 unless --shard */
	unsigned jobs;                     /* --jobs: at most this many workers; 0 unset */
	unsigned cgroup_jobs;              /* set by main before the walls: the cgroup's cap, 0 none */
	/* merge: the shard summary files, in the order given (malloc'd
	 * array of argv strings). */
	const char **merge_files;
	unsigned n_merge_files;
	/* A batch worker's Landlock rules: these fds (its guard's roots)
	 * instead of in_dir and out_dir. Set by src/batch.c only. */
	bool ll_fds;
	int ll_in_fd, ll_out_fd;
	/* --self-sandbox: the engine sockets the outer venue has, one a line,
	 * found before the namespaces are made, and whether that venue is a
	 * container (a seccomp filter in force, or we are its PID 1). In a
	 * container (or when /proc had to be bound in) P1 inside judges them
	 * with its own (docs/self-sandbox.md, "/proc in a pod"). */
	char *outer_sockets;
	bool outer_confined;
};

#define TKI_DEFAULT_MAX_HASH_BYTES (16ull << 30)
#define TKI_DEFAULT_MAX_CPU_SECONDS 600ul

enum tki_cli_result {
	TKI_CLI_RUN,  /* options parsed: run the command */
	TKI_CLI_DONE, /* --help or --version printed: exit 0 */
	TKI_CLI_USAGE /* a usage error was printed on err: exit 2 */
};

/* Parse argv. today is "YYYY-MM-DD", used when --run-date is absent.
 * Help and version go to out, errors (with a hint) to err. */
enum tki_cli_result tki_cli_parse(int argc, char **argv, const char *today,
				  struct tki_opts *o, FILE *out, FILE *err);

void tki_cli_usage(FILE *f);

#endif
