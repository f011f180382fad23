// SPDX-License-Identifier: GPL-2.0
/*
 * gomem fault injection: the module's injection point, a fault_attr shown
 * in /sys/kernel/debug/gomem/fail/, behind gomem_should_fail()
 * (gomem_report.h).  Built only into kernels with CONFIG_FAULT_INJECTION.
 */

/**
 * DOC: Fault injection
 *
 * Every place gomem allocates memory for itself asks gomem_should_fail()
 * first and, when told to, fails exactly as if that allocation had: arena
 * create (gomem_arena_create(), gomem_arena_create_on(); the end map and
 * quick cache, without which an arena still works), pool create (the pool
 * and its per-CPU caches), pool growth (the arena struct and its region,
 * gomem_region_get()), the module buddy (its creation and each block:
 * growth then falls back to vmalloc), gomem_buddy_create() and
 * gomem_buddy_create_on(), the recycle array of recyclable memory and the
 * segment array of buffer lists, and a pool's debugfs directory (the
 * create fails with -ENOMEM).  Callers then see what a real shortage gives
 * them: NULL or -ENOMEM, every structure unchanged.  The same calls ask the
 * kernel with __GFP_NOWARN, so that a real shortage (or the kernel's own
 * failslab and fail_page_alloc) is as quiet: the failure is returned and
 * counted, not warned about.
 *
 * The kernel's fault-injection framework decides
 * (Documentation/fault-injection/fault-injection.rst): in a kernel with
 * CONFIG_FAULT_INJECTION_DEBUG_FS the attributes are the files of
 * /sys/kernel/debug/gomem/fail/ (probability in percent, interval, times,
 * space, verbose, task-filter, ...), and the module parameter ``fail``
 * (interval,probability,space,times, as the kernel's ``failslab=``) sets
 * them at load.  Off by default (probability 0).  Each injected failure is
 * counted in ``faults_injected`` of /sys/kernel/debug/gomem/stats.  Kernels
 * without CONFIG_FAULT_INJECTION build none of this and the checks are a
 * constant false.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/fault-inject.h>
#include <linux/moduleparam.h>

#include "gomem_internal.h"
#include "gomem_kcompat.h"
#include "gomem_report.h"

#ifdef CONFIG_FAULT_INJECTION

/* The tests set its fields directly (kunit/gomem_fault_test.c). */
struct fault_attr gomem_fault_attr = FAULT_ATTR_INITIALIZER;
EXPORT_SYMBOL_IF_KUNIT(gomem_fault_attr);

static char *fail_param;
module_param_named(fail, fail_param, charp, 0444);
MODULE_PARM_DESC(fail,
		 "fault injection at load: interval,probability,space,times (as failslab=; CONFIG_FAULT_INJECTION kernels only)");

/**
 * gomem_should_fail() - should this allocation of gomem fail on purpose?
 * @size: bytes it asks for (the fault_attr's ``space`` counts them)
 *
 * Context: any.
 * Return: true to fail it (counted in ``faults_injected``).
 */
bool gomem_should_fail(size_t size)
{
	if (likely(!should_fail(&gomem_fault_attr, size)))
		return false;
	gomem_stat_inc(GOMEM_STAT_FAULTS_INJECTED);
	return true;
}

/**
 * gomem_fault_init() - the ``fail`` parameter and directory
 * @root: /sys/kernel/debug/gomem/
 *
 * A bad parameter or a missing directory is reported, never fatal.
 *
 * Context: process context; module init.
 */
void gomem_fault_init(struct dentry *root)
{
	if (fail_param && !setup_fault_attr(&gomem_fault_attr, fail_param))
		pr_warn("fail=%s ignored: not interval,probability,space,times\n",
			fail_param);
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	if (IS_ERR(fault_create_debugfs_attr("fail", root, &gomem_fault_attr)))
		pr_info("no fail/ directory in debugfs\n");
#endif
}

/**
 * gomem_fault_exit() - after the debugfs root is gone
 *
 * Context: process context; module exit.
 */
void gomem_fault_exit(void)
{
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	gomem_fault_attr_put(&gomem_fault_attr);
#endif
}

#else /* !CONFIG_FAULT_INJECTION */

void gomem_fault_init(struct dentry *root)
{
}

void gomem_fault_exit(void)
{
}

#endif /* CONFIG_FAULT_INJECTION */
