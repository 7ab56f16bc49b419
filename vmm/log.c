// SPDX-License-Identifier: GPL-2.0
#include "log.h"

/* Set by --verbose; read by pr_debug everywhere. */
bool log_verbose;
