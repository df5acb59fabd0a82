// ZSets: the sorted-set commands over members in `sub` (member -> score) and the
// `zscore` order index.
// See encoding/collection_layout.h for the layout and engine/collection.h for the skeleton.
#pragma once

#include "engine/status.h"

namespace cairn {

class Storage;

class ZSets {
 public:
  explicit ZSets(Storage* storage) : storage_(storage) {}

 private:
  [[maybe_unused]] Storage* storage_;
};

}  // namespace cairn
