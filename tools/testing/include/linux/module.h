/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim of <linux/module.h> for the KUnit files: see moduleparam.h. */
#ifndef _SHIM_LINUX_MODULE_H
#define _SHIM_LINUX_MODULE_H

#include <linux/moduleparam.h>

#define MODULE_DESCRIPTION(d)
#define MODULE_LICENSE(l)
#define MODULE_IMPORT_NS(ns)

#endif
