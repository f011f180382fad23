/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim of <linux/errno.h>: libc's codes plus the kernel-only ones. */
#ifndef _SHIM_LINUX_ERRNO_H
#define _SHIM_LINUX_ERRNO_H

/* The real one (asm codes): libc's errno.h reaches us, not it. */
#include_next <linux/errno.h>
#include <errno.h>
/*
 * glibc's <errno.h> reaches the codes through <linux/errno.h>, which is this
 * shim: pull in the real table directly.
 */
#include <asm/errno.h>

#ifndef EUCLEAN
#define EUCLEAN 117
#endif

#endif
