/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gomem caller-bug reporting, shared by the module glue and the algorithm
 * files (userspace-compilable: tools/ defines the flag in its shim).
 *
 * A caller bug (double free, foreign pointer, size 0, ...) is refused with
 * an error code, counted by the caller of the algorithm, and reported with
 * GOMEM_WARN_CALLER(): a WARN_ONCE naming the bug.
 *
 * Tests provoke caller bugs on purpose.  They set gomem_quiet_caller_bugs
 * around those calls (kunit/gomem_kunit.h: GOMEM_EXPECT_MISUSE()), which
 * silences only this macro: the test-kernel verdict still fails on every
 * other WARNING, and the tests assert the bad-input counters instead.
 */
#ifndef _GOMEM_DEBUG_H
#define _GOMEM_DEBUG_H

#include <linux/bug.h>
#include <linux/compiler.h>

extern int gomem_quiet_caller_bugs;

#define GOMEM_WARN_CALLER(cond, fmt...) ({				\
	int __gomem_bug = !!(cond);					\
	if (unlikely(__gomem_bug) && !READ_ONCE(gomem_quiet_caller_bugs)) \
		WARN_ONCE(1, fmt);					\
	unlikely(__gomem_bug);						\
})

#endif /* _GOMEM_DEBUG_H */
