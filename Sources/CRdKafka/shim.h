#ifndef LUBEHUB_CRDKAFKA_SHIM_H
#define LUBEHUB_CRDKAFKA_SHIM_H
#include <librdkafka/rdkafka.h>
// librdkafka's built-in mock cluster, used by tests for faults a real broker cannot easily produce.
#include <librdkafka/rdkafka_mock.h>

#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
/// The kernel id of the calling thread (for per-thread CPU accounting in /proc).
static inline int lubehub_thread_id(void) { return (int)syscall(SYS_gettid); }
#else
static inline int lubehub_thread_id(void) { return 0; }
#endif
#endif
