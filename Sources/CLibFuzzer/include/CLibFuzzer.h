#ifndef KCHAT_CLIBFUZZER_H
#define KCHAT_CLIBFUZZER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry point for a program that has its own main (LLVM >= 11). It is defined only
/// when linking with -sanitize=fuzzer; kchat-fuzz calls it only when built with -DKCHAT_FUZZING.
typedef int (*KChatFuzzCallback)(const uint8_t *data, size_t size);
int LLVMFuzzerRunDriver(int *argc, char ***argv, KChatFuzzCallback callback);

#endif
