// Sets: the set commands over members stored in `sub`.
// See encoding/collection_layout.h for the layout and engine/collection.h for the skeleton.
#pragma once

#include "engine/status.h"

namespace cairn {

class Storage;

class Sets {
 public:
  explicit Sets(Storage* storage) : storage_(storage) {}

 private:
  [[maybe_unused]] Storage* storage_;
};

}  // namespace cairn
