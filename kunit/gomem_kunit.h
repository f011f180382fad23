/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the gomem KUnit suites. */
#ifndef _GOMEM_KUNIT_H
#define _GOMEM_KUNIT_H

#include <kunit/test.h>
#include "gomem_compat.h"
#include "../gomem_report.h"

/*
 * The one place where the suites tell the two worlds apart.  The userspace
 * harness (tools/testing, no __KERNEL__) runs under ASan without qemu or
 * KASAN: its random cases run GOMEM_TEST_SCALE times longer, and the
 * granules a test holds allocated are poisoned, so an index that touches
 * them is caught (in the kernel KASAN sees only the region's bounds).
 */
#ifdef __KERNEL__
#define GOMEM_TEST_SCALE	1
#define gomem_test_poison(addr, size)	do { } while (0)
#define gomem_test_unpoison(addr, size)	do { } while (0)
#else
#include <sanitizer/asan_interface.h>
#define GOMEM_TEST_SCALE	16
#define gomem_test_poison(addr, size)	ASAN_POISON_MEMORY_REGION(addr, size)
#define gomem_test_unpoison(addr, size)	ASAN_UNPOISON_MEMORY_REGION(addr, size)
#endif

/*
 * GOMEM_EXPECT_MISUSE() - evaluate @expr, a call that is a caller bug
 * on purpose, with GOMEM_WARN_CALLER() silenced; yields the value of @expr.
 * The test then asserts the error code and the bad-input counter.
 */
#define GOMEM_EXPECT_MISUSE(expr) ({				\
	typeof(expr) __gomem_ret;					\
	WRITE_ONCE(gomem_quiet_caller_bugs, 1);				\
	__gomem_ret = (expr);						\
	WRITE_ONCE(gomem_quiet_caller_bugs, 0);				\
	__gomem_ret;							\
})

#endif /* _GOMEM_KUNIT_H */
