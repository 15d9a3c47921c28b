/* SPDX-License-Identifier: MIT */
#include "bindep/target.h"

#include <elf.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct known {
	unsigned machine, ei_class, ei_data; /* ei_data 0: either */
	const char *triplet, *platform;
	const char *hwcaps[5];
};

/* Debian's multiarch triplets; hwcaps as glibc 2.36 defines them. */
static const struct known known[] = {
	{ EM_X86_64,
	  ELFCLASS64,
	  0,
	  "x86_64-linux-gnu",
	  "x86_64",
	  { "x86-64-v4", "x86-64-v3", "x86-64-v2" } },
	{ EM_386, ELFCLASS32, 0, "i386-linux-gnu", "i686", { NULL } },
	{ EM_AARCH64, ELFCLASS64, 0, "aarch64-linux-gnu", "aarch64", { NULL } },
	{ EM_ARM, ELFCLASS32, 0, "arm-linux-gnueabihf", "v7l", { NULL } },
	/* Soft-float 32-bit ARM: its PT_INTERP is /lib/ld-linux.so.3. */
	{ EM_ARM, ELFCLASS32, 0, "arm-linux-gnueabi", "v5l", { NULL } },
	{ EM_RISCV, ELFCLASS64, 0, "riscv64-linux-gnu", "riscv64", { NULL } },
	{ EM_PPC64,
	  ELFCLASS64,
	  ELFDATA2LSB,
	  "powerpc64le-linux-gnu",
	  "power8",
	  { "power10", "power9" } },
	{ EM_PPC64,
	  ELFCLASS64,
	  ELFDATA2MSB,
	  "powerpc64-linux-gnu",
	  "power8",
	  { NULL } },
	{ EM_S390,
	  ELFCLASS64,
	  0,
	  "s390x-linux-gnu",
	  "z900",
	  { "z16", "z15", "z14", "z13" } },
	{ EM_MIPS,
	  ELFCLASS32,
	  ELFDATA2MSB,
	  "mips-linux-gnu",
	  "mips",
	  { NULL } },
	{ EM_MIPS,
	  ELFCLASS32,
	  ELFDATA2LSB,
	  "mipsel-linux-gnu",
	  "mips",
	  { NULL } },
	{ EM_MIPS,
	  ELFCLASS64,
	  ELFDATA2LSB,
	  "mips64el-linux-gnuabi64",
	  "mips",
	  { NULL } },
	{ EM_LOONGARCH,
	  ELFCLASS64,
	  0,
	  "loongarch64-linux-gnu",
	  "loongarch64",
	  { NULL } },
};

static const struct known *lookup(unsigned cls, unsigned machine, unsigned data,
				  bool armel)
{
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(known); i++) {
		const struct known *k = &known[i];

		if (k->machine != machine || k->ei_class != cls ||
		    (k->ei_data && k->ei_data != data))
			continue;
		if (machine == EM_ARM &&
		    armel != !strcmp(k->triplet, "arm-linux-gnueabi"))
			continue;
		return k;
	}
	return NULL;
}

static void add(struct bd_target *t, const char *dir)
{
	if (t->ndirs < BD_TARGET_MAX_DIRS)
		t->dirs[t->ndirs++] = dir;
}

/* The interned "/lib/<triplet>" and "/usr/lib/<triplet>" of each entry,
 * made once for all: the scanning threads ask too (collect.c foresees
 * what the search finds), and a string made on first use could be read
 * half written. */
static char multiarch_dirs[BD_ARRAY_SIZE(known)][2][48];
static pthread_once_t multiarch_once = PTHREAD_ONCE_INIT;

static void make_multiarch_dirs(void)
{
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(known); i++) {
		snprintf(multiarch_dirs[i][0], sizeof(multiarch_dirs[i][0]),
			 "/lib/%s", known[i].triplet);
		snprintf(multiarch_dirs[i][1], sizeof(multiarch_dirs[i][1]),
			 "/usr/lib/%s", known[i].triplet);
	}
}

static const char *multiarch_dir(const struct known *k, bool usr)
{
	pthread_once(&multiarch_once, make_multiarch_dirs);
	return multiarch_dirs[k - known][usr];
}

void bd_target_for(unsigned ei_class, unsigned e_machine, unsigned ei_data,
		   const char *interp, bool multiarch, struct bd_target *t)
{
	bool armel = interp && !strcmp(interp, "/lib/ld-linux.so.3");
	const struct known *k = lookup(ei_class, e_machine, ei_data, armel);
	bool is64 = ei_class == ELFCLASS64;
	size_t i;

	memset(t, 0, sizeof(*t));
	if (k) {
		t->triplet = k->triplet;
		t->platform = k->platform;
		for (i = 0; i < BD_ARRAY_SIZE(k->hwcaps) && k->hwcaps[i]; i++)
			t->hwcaps[i] = k->hwcaps[i];
	}
	if (bd_target_is_musl(interp)) {
		bd_target_musl(t);
	} else if (multiarch && k) {
		/* Debian: $LIB is lib/<triplet>, and the system directories
		 * are these four (measured: ld.so --help, glibc 2.36). */
		t->lib = multiarch_dir(k, false) + 1;
		add(t, multiarch_dir(k, false));
		add(t, multiarch_dir(k, true));
		add(t, "/lib");
		add(t, "/usr/lib");
	} else if (is64) {
		t->lib = "lib64"; /* Fedora, openSUSE, Arch: lib64 only */
		add(t, "/lib64");
		add(t, "/usr/lib64");
	} else {
		t->lib = "lib";
		add(t, "/lib");
		add(t, "/usr/lib");
	}
}

void bd_target_musl(struct bd_target *t)
{
	/* musl's loader: no cache, no hwcaps, these three unless the root's
	 * path file says others (musl ldso/dynlink.c). */
	memset(t->hwcaps, 0, sizeof(t->hwcaps));
	t->ndirs = 0;
	t->musl = true;
	t->lib = "lib";
	add(t, "/lib");
	add(t, "/usr/local/lib");
	add(t, "/usr/lib");
}

const char *bd_target_biarch_loader(unsigned ei_class, unsigned e_machine)
{
	if (e_machine == EM_386 && ei_class == ELFCLASS32)
		return "/lib/ld-linux.so.2";
	if (e_machine == EM_X86_64 && ei_class == ELFCLASS32)
		return "/libx32/ld-linux-x32.so.2";
	return NULL;
}

/*
 * Debian's biarch loaders (libc6-i386 and libc6-x32 on amd64) have the
 * PT_INTERP of the multiarch ones (/lib/ld-linux.so.2 for i386), but live
 * in /lib32 (/libx32), and search /lib32:/usr/lib32:/lib:/usr/lib, $LIB
 * lib32 (measured: ld.so --help and the x32 loader's strings, glibc
 * 2.36-9+deb12u14).
 */
bool bd_target_biarch(struct bd_target *t, const char *loader_dir)
{
	static const char *const dirs[][3] = {
		{ "lib32", "/lib32", "/usr/lib32" },
		{ "libx32", "/libx32", "/usr/libx32" },
	};
	size_t i;

	for (i = 0; i < BD_ARRAY_SIZE(dirs); i++) {
		if (strcmp(loader_dir, dirs[i][1]) &&
		    strcmp(loader_dir, dirs[i][2]))
			continue;
		t->ndirs = 0;
		t->lib = dirs[i][0];
		add(t, dirs[i][1]);
		add(t, dirs[i][2]);
		add(t, "/lib");
		add(t, "/usr/lib");
		return true;
	}
	return false;
}

bool bd_target_is_musl(const char *interp)
{
	return interp && strstr(interp, "/ld-musl-");
}

/*
 * musl's loader names, ld-musl-$(ARCH)$(SUBARCH).so.1, as its configure
 * makes them: the variants (endianness, float ABI, ISA revision, MIPS's
 * n32) are compiler settings the ELF header does not all carry, so each
 * machine lists every variant of its class and byte order, the common one
 * first; the caller takes the first a root has. EM_MIPS's ELFCLASS32 is
 * o32 or n32 (EF_MIPS_ABI2).
 */
struct musl_arch {
	unsigned machine;
	unsigned char class_; /* ELFCLASS32/64; 0: either */
	unsigned char data;   /* ELFDATA2LSB/MSB; 0: either */
	const char *names[BD_TARGET_MUSL_ARCHS];
};

static const struct musl_arch musl_archs[] = {
	{ EM_X86_64, ELFCLASS64, 0, { "x86_64" } },
	{ EM_X86_64, ELFCLASS32, 0, { "x32" } },
	{ EM_386, 0, 0, { "i386" } },
	{ EM_AARCH64, 0, ELFDATA2LSB, { "aarch64" } },
	{ EM_AARCH64, 0, ELFDATA2MSB, { "aarch64_be" } },
	{ EM_ARM, 0, ELFDATA2LSB, { "armhf", "arm" } },
	{ EM_ARM, 0, ELFDATA2MSB, { "armebhf", "armeb" } },
	{ EM_PPC64, 0, ELFDATA2MSB, { "powerpc64" } },
	{ EM_PPC64, 0, ELFDATA2LSB, { "powerpc64le" } },
	{ EM_PPC, 0, 0, { "powerpc", "powerpc-sf" } },
	{ EM_S390, 0, 0, { "s390x" } },
	{ EM_RISCV, ELFCLASS64, 0, { "riscv64", "riscv64-sf", "riscv64-sp" } },
	{ EM_RISCV, ELFCLASS32, 0, { "riscv32", "riscv32-sf", "riscv32-sp" } },
	{ EM_LOONGARCH,
	  0,
	  0,
	  { "loongarch64", "loongarch64-sf", "loongarch64-sp" } },
	{ EM_MIPS,
	  ELFCLASS32,
	  ELFDATA2MSB,
	  { "mips", "mips-sf", "mipsr6", "mipsr6-sf", "mipsn32", "mipsn32-sf",
	    "mipsn32r6", "mipsn32r6-sf" } },
	{ EM_MIPS,
	  ELFCLASS32,
	  ELFDATA2LSB,
	  { "mipsel", "mipsel-sf", "mipsr6el", "mipsr6el-sf", "mipsn32el",
	    "mipsn32el-sf", "mipsn32r6el", "mipsn32r6el-sf" } },
	{ EM_MIPS,
	  ELFCLASS64,
	  ELFDATA2MSB,
	  { "mips64", "mips64-sf", "mips64r6", "mips64r6-sf" } },
	{ EM_MIPS,
	  ELFCLASS64,
	  ELFDATA2LSB,
	  { "mips64el", "mips64el-sf", "mips64r6el", "mips64r6el-sf" } },
	{ EM_68K, 0, 0, { "m68k", "m68k-fp64", "m68k-sf" } },
	{ EM_MICROBLAZE, 0, ELFDATA2MSB, { "microblaze" } },
	{ EM_MICROBLAZE, 0, ELFDATA2LSB, { "microblazeel" } },
	{ EM_OPENRISC, 0, 0, { "or1k" } },
	{ EM_SH,
	  0,
	  ELFDATA2LSB,
	  { "sh", "sh-nofpu", "sh-fdpic", "sh-nofpu-fdpic" } },
	{ EM_SH,
	  0,
	  ELFDATA2MSB,
	  { "sheb", "sheb-nofpu", "sheb-fdpic", "sheb-nofpu-fdpic" } },
};

size_t bd_target_musl_archs(unsigned ei_class, unsigned e_machine,
			    unsigned ei_data, const char **out, size_t n)
{
	const struct musl_arch *a;
	size_t i, k = 0;

	for (i = 0; i < BD_ARRAY_SIZE(musl_archs); i++) {
		a = &musl_archs[i];
		if (a->machine != e_machine ||
		    (a->class_ && a->class_ != ei_class) ||
		    (a->data && a->data != ei_data))
			continue;
		for (k = 0; k < n && k < BD_TARGET_MUSL_ARCHS && a->names[k];
		     k++)
			out[k] = a->names[k];
		return k;
	}
	return 0;
}
