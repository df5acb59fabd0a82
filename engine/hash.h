// Hashes: the hash commands (HSET, HGET, ... ) over fields stored as members in `sub`.
// See encoding/collection_layout.h for the layout and engine/collection.h for the skeleton.
#pragma once

#include "engine/status.h"

namespace cairn {

class Storage;

class Hashes {
 public:
  explicit Hashes(Storage* storage) : storage_(storage) {}

 private:
  [[maybe_unused]] Storage* storage_;
};

}  // namespace cairn
