/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim of <linux/moduleparam.h> for the KUnit files' own
 * parameters (their random seeds): a parameter is a plain variable here.
 * The library's files set no parameters (gomem_core.c, kernel-only, does).
 */
#ifndef _SHIM_LINUX_MODULEPARAM_H
#define _SHIM_LINUX_MODULEPARAM_H

#define module_param(name, type, perm)
#define module_param_named(name, value, type, perm)
#define MODULE_PARM_DESC(name, desc)

#endif
