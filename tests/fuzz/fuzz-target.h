/* fuzz-target.h — what every fuzz target shares.
 *
 * A target is one LLVMFuzzerTestOneInput(). Built with clang
 * -fsanitize=fuzzer it is a libFuzzer binary (meson -Dfuzz=true); built with
 * replay-main.c it replays the committed corpus in the ordinary test suites,
 * so every seed and every input that once found a bug runs in CI whatever the
 * compiler. A broken invariant aborts, which libFuzzer reports as a crash and
 * keeps as an input. */
#ifndef AJAR_FUZZ_TARGET_H
#define AJAR_FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with the failed condition and a reason when @cond is false. */
#define FUZZ_CHECK(cond, ...)                                                            \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: invariant failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                                \
            fputc('\n', stderr);                                                         \
            abort();                                                                     \
        }                                                                                \
    } while (0)

#endif /* AJAR_FUZZ_TARGET_H */
