// Sets operations (see set.h).
#include "engine/set.h"

namespace cairn {}  // namespace cairn
