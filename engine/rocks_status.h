// Conversion of RocksDB statuses into engine Statuses (engine-internal).
#pragma once

#include <rocksdb/status.h>

#include "engine/status.h"

namespace cairn {

inline Status FromRocks(const rocksdb::Status& s) {
  if (s.ok()) return Status::OK();
  if (s.IsNotFound()) return Status::NotFound(s.ToString());
  if (s.IsCorruption()) return Status::Corruption(s.ToString());
  if (s.IsNoSpace()) return Status::NoSpace(s.ToString());
  if (s.IsBusy() || s.IsTryAgain()) return Status::Busy(s.ToString());
  if (s.IsInvalidArgument()) return Status::InvalidArgument(s.ToString());
  return Status::IOError(s.ToString());
}

}  // namespace cairn
