// SPDX-License-Identifier: GPL-2.0
/*
 * gomem_soak.ko's copy of the every-context stress: Kbuild links an object
 * into one module only, and gomem_test.ko has kunit/gomem_stress.o.
 */
#include "gomem_stress.c"
