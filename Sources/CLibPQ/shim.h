#ifndef LUBEHUB_CLIBPQ_SHIM_H
#define LUBEHUB_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
