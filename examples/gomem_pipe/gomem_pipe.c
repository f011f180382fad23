// SPDX-License-Identifier: GPL-2.0
/*
 * gomem_pipe: an example gomem consumer.  A character device whose writes
 * are stored in recyclable memory from a gomem pool and whose reads are
 * served straight from those buffers through the zero-copy reader.
 */

/**
 * DOC: gomem_pipe
 *
 * /dev/gomem_pipe is a byte pipe with one buffer for all openers.
 *
 * - write() takes a buffer of up to %PIPE_CHUNK bytes at a time from the
 *   pool "gomem_pipe" (gomem_malloc()), copies the user's bytes into it, and
 *   hands it to the recyclable memory (gomem_rm_add()), which appends it to
 *   its buffer list.  At most %PIPE_MAX bytes wait unread: beyond that
 *   write() returns -ENOSPC.
 * - read() asks the reader for the next bytes as pieces of those buffers
 *   (gomem_reader_pieces()), copies them to the user with no bounce buffer,
 *   and consumes what was copied (gomem_reader_skip()).
 * - Once everything written has been read, gomem_rm_recycle() gives every
 *   buffer back to the pool in one batch.
 *
 * The pool's arenas are small (64 KiB first, 256 KiB at most) so that a
 * few hundred KiB of writes span several arenas; see its stats in
 * /sys/kernel/debug/gomem/gomem_pipe/.  One mutex serialises the device.
 * It uses gomem only through <gomem/gomem.h> and gomem's Module.symvers,
 * as README.md tells driver authors to.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>

#include <gomem/gomem.h>

#define PIPE_CHUNK	4000		/* bytes per buffer, at most */
#define PIPE_MAX	SZ_4M		/* bytes waiting unread, at most */
#define PIPE_PIECES	16		/* pieces asked of the reader at once */

static DEFINE_MUTEX(pipe_mutex);	/* guards everything below */
static struct gomem_pool *pipe_pool;
static struct gomem_rm pipe_rm;
static struct gomem_reader pipe_reader;

static ssize_t pipe_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	size_t done = 0;
	int ret = 0;

	if (mutex_lock_interruptible(&pipe_mutex))
		return -EINTR;
	while (done < count) {
		size_t n = min_t(size_t, count - done, PIPE_CHUNK);
		void *buf;

		if (gomem_reader_remaining(&pipe_reader) + n > PIPE_MAX) {
			ret = -ENOSPC;
			break;
		}
		buf = gomem_malloc(pipe_pool, n, GFP_KERNEL);
		if (!buf) {
			ret = -ENOMEM;
			break;
		}
		if (copy_from_user(buf, ubuf + done, n)) {
			gomem_free(pipe_pool, buf, n);
			ret = -EFAULT;
			break;
		}
		/* A pool buffer: the recyclable memory owns it from here. */
		ret = gomem_rm_add(&pipe_rm, buf, n, GFP_KERNEL);
		if (ret) {
			gomem_free(pipe_pool, buf, n);
			break;
		}
		done += n;
	}
	mutex_unlock(&pipe_mutex);
	return done ? done : ret;
}

static ssize_t pipe_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	struct kvec vec[PIPE_PIECES];
	size_t done = 0;
	int ret = 0;

	if (mutex_lock_interruptible(&pipe_mutex))
		return -EINTR;
	count = min(count, gomem_reader_remaining(&pipe_reader));
	while (done < count) {
		size_t n = count - done;
		int i, nr;

		/* As many bytes as PIPE_PIECES pieces hold. */
		while ((nr = gomem_reader_pieces(&pipe_reader, n, vec,
						 PIPE_PIECES)) == -E2BIG)
			n /= 2;
		if (nr <= 0)
			break;
		for (i = 0; i < nr; i++) {
			size_t left = copy_to_user(ubuf + done, vec[i].iov_base,
						   vec[i].iov_len);
			size_t got = vec[i].iov_len - left;

			gomem_reader_skip(&pipe_reader, got);
			done += got;
			if (left) {
				ret = -EFAULT;
				goto out;
			}
		}
	}
out:
	if (!gomem_reader_remaining(&pipe_reader)) {
		/* All read: every buffer back to the pool at once. */
		gomem_rm_recycle(&pipe_rm);
		gomem_reader_init(&pipe_reader, &pipe_rm.bufs);
	}
	mutex_unlock(&pipe_mutex);
	return done ? done : ret;
}

static const struct file_operations pipe_fops = {
	.owner		= THIS_MODULE,
	.read		= pipe_read,
	.write		= pipe_write,
	.llseek		= noop_llseek,
};

static struct miscdevice pipe_dev = {
	.minor		= MISC_DYNAMIC_MINOR,
	.name		= "gomem_pipe",
	.fops		= &pipe_fops,
	.mode		= 0600,
};

static int __init pipe_init(void)
{
	struct gomem_pool_params params = {
		.initial_size	= SZ_64K,
		.max_arena_size	= SZ_256K,
	};
	int ret;

	pipe_pool = gomem_pool_create("gomem_pipe", &params);
	if (IS_ERR(pipe_pool))
		return PTR_ERR(pipe_pool);
	gomem_rm_init(&pipe_rm, pipe_pool);
	gomem_reader_init(&pipe_reader, &pipe_rm.bufs);
	ret = misc_register(&pipe_dev);
	if (ret)
		goto err_destroy_pool;
	return 0;

err_destroy_pool:
	gomem_rm_fini(&pipe_rm);
	gomem_pool_destroy(pipe_pool);
	return ret;
}

static void __exit pipe_exit(void)
{
	misc_deregister(&pipe_dev);
	gomem_rm_fini(&pipe_rm);
	gomem_pool_destroy(pipe_pool);
}

module_init(pipe_init);
module_exit(pipe_exit);

MODULE_DESCRIPTION("gomem example: a pipe stored in recyclable pool memory");
MODULE_LICENSE("GPL");
