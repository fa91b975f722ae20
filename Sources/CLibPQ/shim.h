#ifndef LAZARUS_CLIBPQ_SHIM_H
#define LAZARUS_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
