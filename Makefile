# SPDX-License-Identifier: GPL-2.0
#
# `make`           build gomem.ko against KDIR (default: the running kernel)
# `make tests`     build gomem.ko and gomem_test.ko (KDIR must have KUnit)
# `make install`   install gomem.ko (extra/, depmod), the public headers and
#                  Module.symvers for consumer drivers; `make uninstall`
# `make dkms-src`  the DKMS source tree, /usr/src/gomem-$(VERSION)
# `make deb`       the Debian package gomem-dkms, in out/deb/
# `make demo`      the main job: stock kernel under qemu, load gomem, benchmark
# `make check`     every test; exits non-zero on any failure
# `make check-all` `make check` plus KUnit in the PREEMPT_RT debug kernel
# `make soak`      the every-context stress for SOAK_MINUTES (default 30) in
#                  the debug kernel, every detector on; not in `make check`
# See README.md.

VERSION := $(shell cat $(CURDIR)/VERSION)

# KVER picks an installed kernel by its release (uname -r); otherwise KDIR
# names the build tree and its release is read from it.
ifdef KVER
KDIR ?= /lib/modules/$(KVER)/build
else
KDIR ?= /lib/modules/$(shell uname -r)/build
KVER = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h)
endif

# Where consumer drivers find gomem (README.md, "Calling gomem from your
# driver"): the headers, and one Module.symvers per kernel.
GOMEM_SRC := /usr/src/gomem-$(VERSION)
# What DKMS builds from: gomem.ko's sources only (no tests).
DKMS_FILES := Kbuild Makefile VERSION dkms.conf $(wildcard gomem_*.c gomem_*.h) \
	include tools/dkms

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tests:
	$(MAKE) -C $(KDIR) M=$(CURDIR) GOMEM_KUNIT=y modules

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) KERNELRELEASE=$(KVER) CONFIG_MODULE_SIG_ALL= \
		INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=extra modules_install
	install -d $(DESTDIR)$(GOMEM_SRC)/include/gomem
	install -m 0644 include/gomem/*.h $(DESTDIR)$(GOMEM_SRC)/include/gomem/
	install -D -m 0644 Module.symvers $(DESTDIR)$(GOMEM_SRC)/$(KVER)/Module.symvers
	depmod $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)

uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KVER)/extra/gomem.ko*
	[ ! -d $(DESTDIR)/lib/modules/$(KVER)/extra ] || \
		rmdir --ignore-fail-on-non-empty $(DESTDIR)/lib/modules/$(KVER)/extra
	rm -rf $(DESTDIR)$(GOMEM_SRC)/$(KVER)
	find $(DESTDIR)$(GOMEM_SRC) -mindepth 1 -maxdepth 1 -name '[0-9]*' | \
		grep -q . || rm -rf $(DESTDIR)$(GOMEM_SRC)
	depmod $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)

dkms-src:
	install -d $(DESTDIR)$(GOMEM_SRC)
	cp -r --parents $(DKMS_FILES) $(DESTDIR)$(GOMEM_SRC)/

deb:
	tools/deb.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	if [ -f tools/Makefile ]; then $(MAKE) -C tools clean; fi

demo:
	tools/vm/demo.sh

check:
	tools/vm/check.sh

check-all:
	tools/vm/check.sh --all

SOAK_MINUTES ?= 30
soak:
	SOAK_MINUTES=$(SOAK_MINUTES) tools/vm/soak.sh

.PHONY: all modules tests install uninstall dkms-src deb clean demo check \
	check-all soak
