#ifndef LAZARUS_CLIBFUZZER_H
#define LAZARUS_CLIBFUZZER_H
#include <stddef.h>
#include <stdint.h>
// libFuzzer's driver, linked in by -sanitize=fuzzer. Called from the fuzz target's own main, because SwiftPM
// names an executable's entry point itself and libFuzzer's main cannot take its place.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
