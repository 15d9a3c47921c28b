/* SPDX-License-Identifier: MIT */
#ifndef BINDEP_FUZZ_H
#define BINDEP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The libFuzzer entry point every harness defines; tests/fuzz/replay.c
 * calls it for each corpus file in `make check`. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
