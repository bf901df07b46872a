#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, since LLVM 11): runs the fuzzing loop with `callback`, as
/// libFuzzer's own `main` would. SwiftPM links an executable's `main` to `<module>_main`, which a
/// harness defines to call this (libFuzzer's `main` is then not linked in).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
