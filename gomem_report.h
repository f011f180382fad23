/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem reporting: how every gomem file reports a caller bug and counts it.
 *
 * The leaf header: the algorithm files (treap, AVL, quick cache, buddy,
 * reader) include it and nothing else of gomem's glue.  The kernel module
 * implements it in gomem_core.c; the userspace harness implements it in its
 * shim (tools/testing/shim/shim.c), so the same algorithm files build in
 * both worlds without asking which one they are in.
 *
 * A caller bug (double free, foreign pointer, size 0, ...) is refused with
 * an error code, counted with gomem_stat_inc(), and reported with
 * GOMEM_WARN_CALLER(): a WARN_ONCE naming the bug.
 *
 * Tests provoke caller bugs on purpose.  They set gomem_quiet_caller_bugs
 * around those calls (kunit/gomem_kunit.h: GOMEM_EXPECT_MISUSE()), which
 * silences only this macro: the test-kernel verdict still fails on every
 * other WARNING, and the tests assert the bad-input counters instead.
 */
#ifndef _GOMEM_REPORT_H
#define _GOMEM_REPORT_H

#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/types.h>

/*
 * Module-wide counters, shown in /sys/kernel/debug/gomem/stats.  Add new
 * ones before GOMEM_STAT_COUNT and give them a name in gomem_core.c.
 */
enum gomem_stat {
	GOMEM_STAT_ARENAS_LIVE,		/* arenas created and not destroyed */
	GOMEM_STAT_ARENA_BAD_INPUT,	/* arena calls refused as caller bugs */
	GOMEM_STAT_POOLS_LIVE,		/* pools created and not destroyed */
	GOMEM_STAT_POOL_BAD_INPUT,	/* pool calls refused as caller bugs */
	GOMEM_STAT_BUDDY_BAD_INPUT,	/* buddy calls refused as caller bugs */
	GOMEM_STAT_READER_BAD_INPUT,	/* list and reader caller bugs */
	GOMEM_STAT_POISON_BAD,		/* poison mode: free memory overwritten */
	GOMEM_STAT_FAULTS_INJECTED,	/* allocations failed on purpose */
	GOMEM_STAT_COUNT,
};

void gomem_stat_inc(enum gomem_stat s);
void gomem_stat_dec(enum gomem_stat s);
long gomem_stat_read(enum gomem_stat s);

extern int gomem_quiet_caller_bugs;

/*
 * Fault injection.  Every place gomem allocates memory for itself (arena
 * and pool create, pool growth, the module buddy, buddy create, list and
 * recycle arrays, a pool's debugfs directory; see the DOC block in
 * gomem_fault.c) first asks gomem_should_fail(): true means "fail this
 * allocation as if memory had run out", counted in
 * GOMEM_STAT_FAULTS_INJECTED.  The module answers through the kernel's
 * fault_attr (/sys/kernel/debug/gomem/fail/, gomem_fault.c) when the
 * kernel has CONFIG_FAULT_INJECTION, and is a constant false otherwise:
 * the check compiles away.  The userspace harness answers at a rate
 * (tools/testing/shim/shim.c).
 */
#if defined(CONFIG_FAULT_INJECTION) || !defined(__KERNEL__)
bool gomem_should_fail(size_t size);
#else
static inline bool gomem_should_fail(size_t size)
{
	return false;
}
#endif

#define GOMEM_WARN_CALLER(cond, fmt...) ({				\
	int __gomem_bug = !!(cond);					\
	if (unlikely(__gomem_bug) && !READ_ONCE(gomem_quiet_caller_bugs)) \
		WARN_ONCE(1, fmt);					\
	unlikely(__gomem_bug);						\
})

#endif /* _GOMEM_REPORT_H */
