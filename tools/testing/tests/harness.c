// SPDX-License-Identifier: GPL-2.0
#include <time.h>
#include "harness.h"

unsigned long harness_passed, harness_failed;

int harness_done(const char *name)
{
	printf("%s: %lu passed, %lu failed\n", name, harness_passed,
	       harness_failed);
	return harness_failed ? 1 : 0;
}

unsigned long harness_seed(void)
{
	const char *env = getenv("GOMEM_SEED");
	unsigned long seed = env ? strtoul(env, NULL, 0) : (unsigned long)time(NULL);

	printf("seed %lu (set GOMEM_SEED to repeat)\n", seed);
	return seed;
}
