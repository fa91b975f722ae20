#ifndef LAZARUS_CCAIRO_SHIM_H
#define LAZARUS_CCAIRO_SHIM_H
#include <cairo.h>
#include <cairo-pdf.h>
#endif
