/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim of <linux/compiler.h>. */
#ifndef _SHIM_LINUX_COMPILER_H
#define _SHIM_LINUX_COMPILER_H

#include <linux/kconfig.h>

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define _RET_IP_	((unsigned long)__builtin_return_address(0))
#ifndef __always_inline
#define __always_inline	inline __attribute__((__always_inline__))
#endif
#ifndef __aligned
#define __aligned(x)	__attribute__((__aligned__(x)))
#endif
#define noinline	__attribute__((__noinline__))
#define __must_check	__attribute__((__warn_unused_result__))
#define __noreturn	__attribute__((__noreturn__))
#define __maybe_unused	__attribute__((__unused__))
#define __init
#define __exit
#define __user
#define __force
#define __rcu
#define fallthrough	__attribute__((__fallthrough__))
#define READ_ONCE(x)	(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))
#define barrier()	__asm__ __volatile__("" ::: "memory")
/* x86-64, as the kernel: loads and stores are not reordered among themselves. */
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define cpu_relax()	__builtin_ia32_pause()
#define data_race(expr)	(expr)

#endif
