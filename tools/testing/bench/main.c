// SPDX-License-Identifier: GPL-2.0
/* Runs every registered benchmark section; an argument filters by name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"

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
	struct bench_entry *e;

	for (e = head; e; e = e->next) {
		if (argc > 1 && !strstr(e->name, argv[1]))
			continue;
		printf("\n## %s\n", e->name);
		e->run();
		fflush(stdout);
	}
	return 0;
}
