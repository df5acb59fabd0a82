// Online snapshots for `cairn-backup create --server`: asks a running cairn-server on this
// host to SAVE (one atomic RocksDB checkpoint under its dir) and hard-links that checkpoint
// into a private directory before the server can prune it.
#pragma once

#include <memory>
#include <string>

#include "engine/status.h"
#include "tools/backup/source_db.h"

namespace cairn {

struct ServerAddress {
  std::string host;
  int port = 0;
  std::string password;  // empty: no AUTH
};

// Parses HOST:PORT (the host may be an [IPv6] literal); false if malformed.
bool ParseServerAddress(const std::string& text, ServerAddress* out);

// Runs SAVE on the server and returns a private copy of the checkpoint it made.
Status SnapshotServer(const ServerAddress& address, std::unique_ptr<PrivateCopy>* out);

}  // namespace cairn
