/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the gomem KUnit suites. */
#ifndef _GOMEM_KUNIT_H
#define _GOMEM_KUNIT_H

#include <kunit/test.h>
#include "gomem_compat.h"
#include "../gomem_debug.h"

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
