// How the RDB subcommands reach a Cairn data directory: the RocksDB directory inside it, and the
// Storage opened for a migration (never while a server holds it).
#pragma once

#include <memory>
#include <string>

#include "engine/status.h"
#include "engine/storage.h"

namespace cairn {

// DATA_DIR/db for a server's data directory, or DATA_DIR itself when it is a RocksDB directory (a
// checkpoint under DATA_DIR/checkpoints); empty when neither holds a database.
std::string ExistingDbDir(const std::string& data_dir);

// Opens the storage in `db_dir` (created when missing) with active expiry off and the WAL synced
// only at Close, the fastest safe way to load or read a whole database. Busy with an
// operator-facing message when a running server holds the directory.
Status OpenForMigration(const std::string& db_dir, std::unique_ptr<Storage>* out);

}  // namespace cairn
