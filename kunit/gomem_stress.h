/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The every-context stress (kunit/gomem_stress.c), shared by the suite
 * gomem_pool_percpu (a fixed number of operations, in gomem_test.ko) and
 * the soak, gomem_soak (a time, in gomem_soak.ko).  Kernel only.
 */
#ifndef _GOMEM_STRESS_H
#define _GOMEM_STRESS_H

#include <linux/atomic.h>
#include <linux/irq_work.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>

struct gomem_pool;

#define GOMEM_STRESS_LIVE	32	/* blocks a thread holds at most */
#define GOMEM_STRESS_BOX	64	/* blocks waiting for the other thread */

/* One block handed out: its pool, where, how long, its byte pattern. */
struct gomem_stress_blk {
	struct gomem_pool *pool;
	u8 *p;
	u32 len;
	u8 pat;
};

/**
 * struct gomem_stress - one run of the every-context stress
 * @pool: each malloc picks one of the two at random (they may be the same)
 * @cpu: the CPUs of the two threads
 * @seed: of the threads' random streams
 * @ops: operations per thread; 0 to run until @until instead
 * @until: jiffies at which the threads stop, when @ops is 0
 * @shrink: call the shrinker (gomem_shrinker_run()) now and then too
 * @mallocs: successful gomem_malloc() calls
 * @frees: gomem_free() calls (a block freed in two pieces counts two)
 * @failures: gomem_malloc() calls that returned NULL (GFP_ATOMIC ones may)
 * @errors: a pattern found changed, a free refused, a blocking malloc that
 *	failed, a pool check that failed: every one is a bug
 * @bytes_checked: bytes of patterns compared before their free
 * @trims: gomem_pool_trim() calls
 * @checks: gomem_pool_check() calls
 * @shrinks: shrinker calls
 * @timer_runs: timer (softirq) rounds
 * @irq_runs: irq_work rounds
 * @hardirq: an irq_work round ran in hard interrupt context
 *
 * The rest is the run's own.  Zero the struct, set the first fields and
 * call gomem_stress_run().
 */
struct gomem_stress {
	struct gomem_pool *pool[2];
	unsigned int cpu[2];
	u32 seed;
	unsigned long ops;
	unsigned long until;
	bool shrink;

	atomic_long_t mallocs;
	atomic_long_t frees;
	atomic_long_t failures;
	atomic_long_t errors;
	atomic_long_t bytes_checked;
	atomic_long_t trims;
	atomic_long_t checks;
	atomic_long_t shrinks;
	atomic_t timer_runs;
	atomic_t irq_runs;
	atomic_t rng;			/* stress_random()'s sequence */
	bool hardirq;

	spinlock_t box_lock;		/* guards box and box_nr */
	struct gomem_stress_blk box[2][GOMEM_STRESS_BOX];
	unsigned int box_nr[2];		/* blocks thread i is to free */
	struct timer_list timer;
	struct irq_work work;
	bool stop;			/* the timer stops rearming */
};

int gomem_stress_run(struct gomem_stress *s);

#endif /* _GOMEM_STRESS_H */
