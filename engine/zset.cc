// ZSets operations (see zset.h).
#include "engine/zset.h"

namespace cairn {}  // namespace cairn
