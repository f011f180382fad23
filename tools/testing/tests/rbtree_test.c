// SPDX-License-Identifier: GPL-2.0
/*
 * The shim's red-black tree (shim/rbtree.c) keeps the invariants through
 * random inserts and erases: keys in order, parent links right, the root
 * black, no red node with a red child, one black height, and so a height
 * of at most 2 log2(n + 1) (the kernel's lib/rbtree.c guarantees the same;
 * the pool's arena lookup cost depends on it).  Ascending inserts, what a
 * pool's arenas at rising addresses do, must stay as shallow.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/gomem_kshim.h>

struct item {
	struct rb_node node;
	unsigned long key;
	bool in;
};

#define N	2000

static struct item items[N];
static struct rb_root root = RB_ROOT;
static int failures;

/* Report a broken rule; return -1 for the caller to return. */
static int bad(int line, const char *fmt, ...)
{
	va_list ap;

	printf("FAIL %s:%d: ", __FILE__, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failures++;
	return -1;
}

static void insert(struct item *it)
{
	struct rb_node **link = &root.rb_node, *parent = NULL;

	while (*link) {
		struct item *x = rb_entry(*link, struct item, node);

		parent = *link;
		link = it->key < x->key ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&it->node, parent, link);
	rb_insert_color(&it->node, &root);
	it->in = true;
}

/* Black height of @n's subtree, or -1 after reporting a broken rule. */
static int check(struct rb_node *n, struct rb_node *parent, int depth,
		 int *height)
{
	int l, r;

	if (!n)
		return 1;
	if (depth > *height)
		*height = depth;
	if (!(rb_parent(n) == parent))
		return bad(__LINE__, "parent link");
	if (!(n->__rb_parent_color & 1))
		if (!((!n->rb_left || (n->rb_left->__rb_parent_color & 1)) &&
		      (!n->rb_right || (n->rb_right->__rb_parent_color & 1))))
			return bad(__LINE__, "red node with a red child");
	if (n->rb_left)
		if (!(rb_entry(n->rb_left, struct item, node)->key <=
		      rb_entry(n, struct item, node)->key))
			return bad(__LINE__, "order");
	if (n->rb_right)
		if (!(rb_entry(n->rb_right, struct item, node)->key >=
		      rb_entry(n, struct item, node)->key))
			return bad(__LINE__, "order");
	l = check(n->rb_left, n, depth + 1, height);
	r = check(n->rb_right, n, depth + 1, height);
	if (l < 0 || r < 0)
		return -1;
	if (!(l == r))
		return bad(__LINE__, "black heights %d and %d", l, r);
	return l + (n->__rb_parent_color & 1);
}

static int verify(int nr)
{
	struct rb_node *n, *prev = NULL;
	int height = 0, count = 0;

	if (root.rb_node)
		if (!(root.rb_node->__rb_parent_color & 1))
			return bad(__LINE__, "red root");
	if (check(root.rb_node, NULL, 1, &height) < 0)
		return -1;
	if (!(height <= 2 * log2(nr + 1)))
		return bad(__LINE__, "height %d for %d nodes",
	      height, nr);
	for (n = rb_first(&root); n; prev = n, n = rb_next(n), count++)
		if (prev)
			if (!(rb_entry(prev, struct item, node)->key <=
			      rb_entry(n, struct item, node)->key))
				return bad(__LINE__, "walk order");
	if (!(count == nr))
		return bad(__LINE__, "walk saw %d of %d", count, nr);
	for (n = rb_last(&root), count = 0; n; n = rb_prev(n))
		count++;
	if (!(count == nr))
		return bad(__LINE__, "backward walk saw %d of %d", count, nr);
	return 0;
}

int main(void)
{
	int i, nr = 0, step, height = 0;

	srand(1);
	/*
	 * Ascending keys, as a pool's arenas: 12 of them make a tree of
	 * height 5 (the unbalanced tree the shim had: 12).
	 */
	for (i = 0; i < 12; i++) {
		items[i].key = i;
		insert(&items[i]);
		nr++;
		if (verify(nr))
			return 1;
	}
	check(root.rb_node, NULL, 1, &height);
	if (height > 5) {
		printf("FAIL: 12 ascending keys make a tree of height %d\n",
		       height);
		return 1;
	}
	for (i = 0; i < 12; i++) {
		rb_erase(&items[i].node, &root);
		items[i].in = false;
		nr--;
		if (verify(nr))
			return 1;
	}
	/* Random inserts and erases, duplicates included. */
	for (step = 0; step < 40000; step++) {
		struct item *it = &items[rand() % N];

		if (it->in) {
			rb_erase(&it->node, &root);
			it->in = false;
			nr--;
		} else {
			it->key = rand() % (N / 2);
			insert(it);
			nr++;
		}
		if ((step < 3000 || step % 97 == 0) && verify(nr))
			return 1;
	}
	if (verify(nr))
		return 1;
	printf("rbtree: invariants held over 40,000 random steps (%d nodes at the end)\n",
	       nr);
	return failures ? 1 : 0;
}
