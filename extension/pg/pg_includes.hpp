// The one way the PostgreSQL layer includes PostgreSQL.
//
// Standard and Boost headers come first: c.h defines likely()/unlikely() and
// port.h redefines printf and friends, which break C++ headers included after
// them. Every header the core uses is therefore included here, before
// postgres.h, so including core headers later is harmless.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

extern "C" {
#include "postgres.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"
}
