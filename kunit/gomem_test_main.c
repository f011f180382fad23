// SPDX-License-Identifier: GPL-2.0
/*
 * gomem_test.ko: every KUnit suite under kunit/ is linked into this one
 * module; each suite file registers itself with kunit_test_suite().  The
 * suites reach gomem's internal functions through the GOMEM_INTERNAL symbol
 * namespace.
 */
#include <linux/module.h>

MODULE_DESCRIPTION("KUnit suites for gomem");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(GOMEM_INTERNAL);
