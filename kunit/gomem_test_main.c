// SPDX-License-Identifier: GPL-2.0
/*
 * gomem_test.ko: every KUnit suite under kunit/ is linked into this one
 * module; each suite file registers itself with kunit_test_suite().  The
 * suites reach gomem's internal functions through the symbols gomem
 * exports only to KUnit (EXPORT_SYMBOL_IF_KUNIT, include/kunit/visibility.h).
 */
#include <linux/module.h>
#include "gomem_compat.h"

MODULE_DESCRIPTION("KUnit suites for gomem");
MODULE_LICENSE("GPL");
GOMEM_IMPORT_KUNIT_NS();
