// Hashes operations (see hash.h).
#include "engine/hash.h"

namespace cairn {}  // namespace cairn
