/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim of <linux/errno.h>: libc's codes plus the kernel-only ones. */
#ifndef _SHIM_LINUX_ERRNO_H
#define _SHIM_LINUX_ERRNO_H

/*
 * The codes come from the uapi header: glibc's <errno.h> includes
 * <linux/errno.h>, which is this file, so it cannot provide them here.
 */
#include <asm/errno.h>
#include <errno.h>

#ifndef EUCLEAN
#define EUCLEAN 117
#endif

#endif
