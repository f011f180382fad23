# SPDX-License-Identifier: GPL-2.0
#
# `make`        build gomem.ko
# `make tests`  build gomem.ko and gomem_test.ko (KDIR must have KUnit)
# `make demo`   the main job: stock kernel under qemu, load gomem, benchmark
# `make check`  every test; exits non-zero on any failure
# See README.md.

KDIR ?= /lib/modules/$(shell uname -r)/build

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tests:
	$(MAKE) -C $(KDIR) M=$(CURDIR) GOMEM_KUNIT=y modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools clean

demo:
	tools/vm/demo.sh

check:
	tools/vm/check.sh

.PHONY: all modules tests clean demo check
