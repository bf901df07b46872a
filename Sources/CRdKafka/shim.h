#ifndef LUBEHUB_CRDKAFKA_SHIM_H
#define LUBEHUB_CRDKAFKA_SHIM_H
#include <librdkafka/rdkafka.h>
#endif
