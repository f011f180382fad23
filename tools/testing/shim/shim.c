// SPDX-License-Identifier: GPL-2.0
/* Userspace shim state shared by every harness program. */
#include <linux/bug.h>

unsigned long gomem_shim_warnings;
/* Weak: a program that links gomem_core.c gets the module's own flag. */
int gomem_quiet_caller_bugs __attribute__((weak));
