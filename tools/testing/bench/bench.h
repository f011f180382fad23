/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace benchmark registry: each bench file registers its sections with
 * GOMEM_BENCH(); bench/main.c runs them all in one process, in file order,
 * so every table compares numbers taken in the same run.  Benchmarks print
 * numbers and assert nothing about time.
 */
#ifndef _GOMEM_BENCH_H
#define _GOMEM_BENCH_H

#include <stdint.h>
#include <time.h>

struct bench_entry {
	const char *name;
	void (*run)(void);
	struct bench_entry *next;
};

void bench_register(struct bench_entry *e);

#define GOMEM_BENCH(fn)							\
	static struct bench_entry __bench_##fn = { #fn, fn, NULL };	\
	__attribute__((constructor)) static void __bench_reg_##fn(void)	\
	{ bench_register(&__bench_##fn); }

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Keep the compiler from optimising away a value. */
static inline void bench_keep(uintptr_t x)
{
	__asm__ __volatile__("" : : "g"(x) : "memory");
}

/* Scale for iteration counts: BENCH_SCALE env, default 1.0. */
double bench_scale(void);

#endif
