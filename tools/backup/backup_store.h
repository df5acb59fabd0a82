// A backup directory: RocksDB's BackupEngine with table files shared between backups by
// checksum (so a new backup copies only files that are not there yet), each backup carrying
// its key count as app metadata.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/utilities/backup_engine.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/status.h"

namespace cairn {

struct BackupSummary {
  uint32_t id = 0;
  int64_t timestamp = 0;  // unix seconds
  uint64_t size = 0;      // bytes of all its files, shared ones included
  uint32_t files = 0;
  int64_t keys = -1;  // -1 if the backup carries no key count
};

// What one Create copied: files and bytes that were new to the backup directory.
struct CreateResult {
  uint32_t id = 0;
  uint64_t new_files = 0;
  uint64_t new_bytes = 0;
};

class BackupStore {
 public:
  // Opens the backup directory `dir`; with `create`, makes it if missing, otherwise a missing
  // directory or one without backups is an error.
  static Status Open(const std::string& dir, bool create, std::unique_ptr<BackupStore>* out);
  ~BackupStore();
  BackupStore(const BackupStore&) = delete;
  BackupStore& operator=(const BackupStore&) = delete;

  // Backs up `db` (opened on a consistent copy), recording `keys`. `progress` is called now
  // and then while files are copied.
  Status Create(rocksdb::DB* db, int64_t keys, const std::function<void()>& progress,
                CreateResult* result);
  std::vector<BackupSummary> List();
  // Re-reads every file of the backup and checks its size and checksum.
  Status Verify(uint32_t id);
  // Restores backup `id` (0: the newest) into `db_dir`, which must not exist yet.
  Status Restore(uint32_t id, const std::string& db_dir);
  // Deletes all but the newest `keep` backups and their files no other backup shares.
  Status Prune(uint32_t keep);
  // The backup `id` refers to (0: the newest); NotFound if there is none.
  Status Resolve(uint32_t id, uint32_t* resolved);

 private:
  BackupStore(std::string dir, rocksdb::BackupEngine* engine)
      : dir_(std::move(dir)), engine_(engine) {}
  std::string dir_;
  std::unique_ptr<rocksdb::BackupEngine> engine_;
};

}  // namespace cairn
