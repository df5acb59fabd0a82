// Lists operations (see list.h).
#include "engine/list.h"

namespace cairn {}  // namespace cairn
