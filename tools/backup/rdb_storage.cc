// Opening a Cairn data directory for import-rdb / export-rdb.
#include "tools/backup/rdb_storage.h"

#include <filesystem>

#include "tools/backup/source_db.h"

namespace cairn {

std::string ExistingDbDir(const std::string& data_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(fs::path(data_dir) / "db" / "CURRENT", ec)) return data_dir + "/db";
  if (fs::exists(fs::path(data_dir) / "CURRENT", ec)) return data_dir;
  return {};
}

Status OpenForMigration(const std::string& db_dir, std::unique_ptr<Storage>* out) {
  {
    // RocksDB's own lock would refuse too, but with a message operators cannot act on.
    std::unique_ptr<DbDirLock> lock;
    Status locked = DbDirLock::Acquire(db_dir, &lock);
    if (locked.code() == Status::Code::kBusy) {
      return Status::Busy(db_dir +
                          " is in use by a running server; stop the server first, or use one "
                          "of its checkpoints (DATA_DIR/checkpoints/checkpoint-*)");
    }
    if (!locked.ok()) return locked;
  }
  StorageOptions options;
  options.dir = db_dir;
  options.fsync = FsyncPolicy::kNo;
  options.active_expiry = false;
  return Storage::Open(options, out);
}

}  // namespace cairn
