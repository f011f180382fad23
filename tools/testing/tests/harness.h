/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal test harness for the userspace tests: EXPECT() records a failure
 * with file, line and the values involved, and harness_done() prints the
 * closing "N passed, N failed" line and returns the exit status.
 */
#ifndef _GOMEM_HARNESS_H
#define _GOMEM_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

extern unsigned long harness_passed, harness_failed;

#define EXPECT(cond, fmt, ...) do {					\
	if (cond) {							\
		harness_passed++;					\
	} else {							\
		harness_failed++;					\
		fprintf(stderr, "%s:%d: expected %s: " fmt "\n",	\
			__FILE__, __LINE__, #cond, ##__VA_ARGS__);	\
	}								\
} while (0)

#define EXPECT_EQ(a, b) do {						\
	long long __a = (long long)(a), __b = (long long)(b);		\
	EXPECT(__a == __b, "%s = %lld, %s = %lld", #a, __a, #b, __b);	\
} while (0)

/* Print the closing line for program @name; return its exit status. */
int harness_done(const char *name);

/* Seed from GOMEM_SEED, else from the clock; printed so a run can be redone. */
unsigned long harness_seed(void);

#endif
