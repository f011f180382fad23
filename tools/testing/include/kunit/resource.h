/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <kunit/resource.h>: all of it is in test.h. */
#include <kunit/test.h>
