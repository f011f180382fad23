/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the gomem KUnit suites need that differs between the kernels they
 * build on (6.1 and 6.12): one shim per difference, each naming the kernel
 * version and the change.  Nothing else under kunit/ tests the version.
 */
#ifndef _GOMEM_COMPAT_H
#define _GOMEM_COMPAT_H

#include <kunit/test.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <linux/version.h>
#include <net/checksum.h>

/*
 * GOMEM_KASAN_HOOK: the KUnit hook of generic KASAN's reports that
 * kunit/gomem_kasan_test.c uses.  6.1's mm/kasan/report.c, built with
 * CONFIG_KASAN_KUNIT_TEST, marks a KUnit resource named "kasan_status" on
 * the current test when it reports; 6.12 has no such resource (its KASAN
 * tests announce themselves with kasan_kunit_test_suite_start()), so there
 * the cases skip.  Verified on 6.1 only, hence the bound.
 */
#if defined(CONFIG_KASAN_GENERIC) && IS_ENABLED(CONFIG_KASAN_KUNIT_TEST) && \
	LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define GOMEM_KASAN_HOOK	1
/* Exported with CONFIG_KASAN_KUNIT_TEST; declared in mm/kasan/kasan.h. */
bool kasan_save_enable_multi_shot(void);
void kasan_restore_multi_shot(bool enabled);
#else
#define GOMEM_KASAN_HOOK	0
#endif

/* 6.6 added case attributes and KUNIT_CASE_SLOW(); 6.1 runs them as plain. */
#ifndef KUNIT_CASE_SLOW
#define KUNIT_CASE_SLOW(test_name)	KUNIT_CASE(test_name)
#endif

/*
 * 6.12 has no KUNIT_ASSERT_FAILURE(); an assertion that cannot hold fails
 * and leaves the case the same way on 6.1 and 6.12.
 */
#define GOMEM_KUNIT_ABORT(test, fmt, ...)				\
	KUNIT_ASSERT_TRUE_MSG(test, false, fmt, ##__VA_ARGS__)

/*
 * gomem_csum_copy_from_iter() - csum_and_copy_from_iter() on every kernel:
 * copy @bytes from @i to @addr and set *@folded to their folded checksum.
 * 6.12 moved csum_and_copy_from_iter() to networking code
 * (net/core/skbuff.c), leaving csum_and_copy_from_iter_full(), declared in
 * <linux/skbuff.h> and built with CONFIG_NET only; without it
 * GOMEM_HAVE_CSUM_ITER is false and the helper copies nothing.
 * Return: the bytes copied (6.12: all or nothing).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#define GOMEM_HAVE_CSUM_ITER	true
static inline size_t gomem_csum_copy_from_iter(void *addr, size_t bytes,
					       struct iov_iter *i, u16 *folded)
{
	__wsum sum = 0;
	size_t copied = csum_and_copy_from_iter(addr, bytes, &sum, i);

	*folded = (__force u16)csum_fold(sum);
	return copied;
}
#elif IS_ENABLED(CONFIG_NET)
#include <linux/skbuff.h>
#define GOMEM_HAVE_CSUM_ITER	true
static inline size_t gomem_csum_copy_from_iter(void *addr, size_t bytes,
					       struct iov_iter *i, u16 *folded)
{
	__wsum sum = 0;
	bool full = csum_and_copy_from_iter_full(addr, bytes, &sum, i);

	*folded = (__force u16)csum_fold(sum);
	return full ? bytes : 0;
}
#else
#define GOMEM_HAVE_CSUM_ITER	false
static inline size_t gomem_csum_copy_from_iter(void *addr, size_t bytes,
					       struct iov_iter *i, u16 *folded)
{
	*folded = 0;
	return 0;
}
#endif

/*
 * 6.13 takes symbol namespaces as string literals; before, as a bare name.
 * The suites import the namespace EXPORT_SYMBOL_IF_KUNIT() puts gomem's
 * test-only exports in.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define GOMEM_IMPORT_KUNIT_NS()	MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING")
#else
#define GOMEM_IMPORT_KUNIT_NS()	MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING)
#endif

/* 6.16 renamed from_timer() to timer_container_of(). */
#ifndef timer_container_of
#define timer_container_of(var, timer, field)	from_timer(var, timer, field)
#endif

#endif /* _GOMEM_COMPAT_H */
