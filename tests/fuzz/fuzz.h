/* fuzz.h: what every libFuzzer target of tests/fuzz shares: CHECK (a
 * violated invariant abort()s, which libFuzzer reports as a crash), the
 * entry points' prototypes, and an LLVMFuzzerInitialize that starts APR
 * (a target that needs more defines FUZZ_OWN_INIT and writes its own).
 * Included once per target: each target is one program. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <apr_general.h>

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef FUZZ_OWN_INIT
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return apr_initialize() == APR_SUCCESS ? 0 : 1;
}
#endif

#endif
