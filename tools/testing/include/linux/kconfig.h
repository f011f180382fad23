/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim of <linux/kconfig.h>: IS_ENABLED(CONFIG_X) is 1 when
 * CONFIG_X is defined to 1 (or, for a module, CONFIG_X_MODULE is), else 0.
 * No CONFIG_ symbol is defined in the harness.
 */
#ifndef _SHIM_LINUX_KCONFIG_H
#define _SHIM_LINUX_KCONFIG_H

#define __shim_arg_placeholder_1	0,
#define __shim_take_second(ignored, val, ...)	val
#define __shim_is_one(x)	___shim_is_one(__shim_arg_placeholder_##x)
#define ___shim_is_one(arg)	__shim_take_second(arg 1, 0, 0)
#define IS_BUILTIN(option)	__shim_is_one(option)
#define IS_MODULE(option)	__shim_is_one(option##_MODULE)
#define IS_ENABLED(option)	(IS_BUILTIN(option) || IS_MODULE(option))

#endif
