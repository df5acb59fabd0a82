// Lists: the list commands over elements stored at 64-bit indexes in `sub`.
// See encoding/collection_layout.h for the layout and engine/collection.h for the skeleton.
#pragma once

#include "engine/status.h"

namespace cairn {

class Storage;

class Lists {
 public:
  explicit Lists(Storage* storage) : storage_(storage) {}

 private:
  [[maybe_unused]] Storage* storage_;
};

}  // namespace cairn
