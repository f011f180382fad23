// SPDX-License-Identifier: GPL-2.0
/*
 * Runs every registered benchmark section; an argument filters by name.
 * INIT_ON_ALLOC=1 / INIT_ON_FREE=1 in the environment switch the shim's
 * memory-initialisation policy on (the kernel's init_on_alloc= and
 * init_on_free=), to show what gomem's zeroing costs.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"

extern bool shim_init_on_alloc, shim_init_on_free;

static struct bench_entry *head, **tail = &head;

void bench_register(struct bench_entry *e)
{
	*tail = e;
	tail = &e->next;
}

double bench_scale(void)
{
	const char *s = getenv("BENCH_SCALE");

	return s ? atof(s) : 1.0;
}

int main(int argc, char **argv)
{
	/* BENCH_QUIET=1: no headers (a section re-running itself fresh). */
	bool quiet = getenv("BENCH_QUIET");
	struct bench_entry *e;

	/* The shim read INIT_ON_ALLOC and INIT_ON_FREE from the environment. */
	if (!quiet)
		printf("memory init (shim): init_on_alloc=%d init_on_free=%d\n",
		       shim_init_on_alloc, shim_init_on_free);

	for (e = head; e; e = e->next) {
		if (argc > 1 && !strstr(e->name, argv[1]))
			continue;
		if (!quiet)
			printf("\n## %s\n", e->name);
		e->run();
		fflush(stdout);
	}
	return 0;
}
