// SPDX-License-Identifier: GPL-2.0
/* Userspace shim state shared by every harness program. */
#include <linux/bug.h>

unsigned long gomem_shim_warnings;
