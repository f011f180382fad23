// SPDX-License-Identifier: GPL-2.0
/*
 * The caller-bug switch of gomem_debug.h, for the programs that do not
 * link the module's glue (gomem_core.c defines it); build/kunit does.
 */
int gomem_quiet_caller_bugs;
