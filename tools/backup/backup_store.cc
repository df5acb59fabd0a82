// BackupEngine-backed backup directories for cairn-backup.
#include "tools/backup/backup_store.h"

#include <rocksdb/env.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>

#include "engine/rocks_status.h"

namespace cairn {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kKeysMetadata = "cairn-keys=";

// (path, size) of every file under the shared-file directories of a backup dir.
std::set<std::pair<std::string, uint64_t>> SharedFiles(const std::string& dir) {
  std::set<std::pair<std::string, uint64_t>> files;
  std::error_code ec;
  for (const char* sub : {"shared_checksum", "shared"}) {
    for (const fs::directory_entry& entry : fs::directory_iterator(fs::path(dir) / sub, ec)) {
      if (entry.is_regular_file(ec)) files.emplace(entry.path().string(), entry.file_size(ec));
    }
  }
  return files;
}

int64_t ParseKeys(const std::string& metadata) {
  if (metadata.rfind(kKeysMetadata, 0) != 0) return -1;
  int64_t keys = -1;
  const char* end = metadata.data() + metadata.size();
  auto [ptr, ec] = std::from_chars(metadata.data() + kKeysMetadata.size(), end, keys);
  return ec == std::errc() && ptr == end ? keys : -1;
}

}  // namespace

Status BackupStore::Open(const std::string& dir, bool create, std::unique_ptr<BackupStore>* out) {
  std::error_code ec;
  if (!create && !fs::exists(fs::path(dir) / "meta", ec)) {
    return Status::NotFound(dir + " is not a backup directory (no backups in it)");
  }
  if (create) fs::create_directories(dir, ec);
  rocksdb::BackupEngineOptions options(dir);
  options.share_table_files = true;
  options.share_files_with_checksum = true;
  options.sync = true;
  options.max_background_operations = 2;
  options.info_log = nullptr;
  rocksdb::BackupEngine* engine = nullptr;
  rocksdb::IOStatus s = rocksdb::BackupEngine::Open(options, rocksdb::Env::Default(), &engine);
  if (!s.ok()) return FromRocks(s);
  out->reset(new BackupStore(dir, engine));
  return Status::OK();
}

BackupStore::~BackupStore() = default;

Status BackupStore::Create(rocksdb::DB* db, int64_t keys, const std::function<void()>& progress,
                           CreateResult* result) {
  auto before = SharedFiles(dir_);
  rocksdb::CreateBackupOptions options;
  options.progress_callback = progress;
  std::string metadata = std::string(kKeysMetadata) + std::to_string(keys);
  rocksdb::IOStatus s = engine_->CreateNewBackupWithMetadata(options, db, metadata, &result->id);
  if (!s.ok()) return FromRocks(s);
  rocksdb::BackupInfo info;
  if (engine_->GetBackupInfo(result->id, &info, true).ok()) {
    // Private (non-table) files are always copied; shared ones only when new.
    for (const rocksdb::BackupFileInfo& file : info.file_details) {
      if (file.relative_filename.rfind("shared", 0) != 0) {
        result->new_files++;
        result->new_bytes += file.size;
      }
    }
  }
  for (const auto& file : SharedFiles(dir_)) {
    if (before.count(file) == 0) {
      result->new_files++;
      result->new_bytes += file.second;
    }
  }
  return Status::OK();
}

std::vector<BackupSummary> BackupStore::List() {
  std::vector<rocksdb::BackupInfo> infos;
  engine_->GetBackupInfo(&infos);
  std::vector<BackupSummary> list;
  for (const rocksdb::BackupInfo& info : infos) {
    list.push_back({info.backup_id, info.timestamp, info.size, info.number_files,
                    ParseKeys(info.app_metadata)});
  }
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return list;
}

Status BackupStore::Resolve(uint32_t id, uint32_t* resolved) {
  std::vector<BackupSummary> list = List();
  if (list.empty()) return Status::NotFound("no backups in " + dir_);
  if (id == 0) {
    *resolved = list.back().id;
    return Status::OK();
  }
  for (const BackupSummary& backup : list) {
    if (backup.id == id) {
      *resolved = id;
      return Status::OK();
    }
  }
  return Status::NotFound("no backup with id " + std::to_string(id) + " in " + dir_);
}

Status BackupStore::Verify(uint32_t id) {
  rocksdb::IOStatus s = engine_->VerifyBackup(id, /*verify_with_checksum=*/true);
  return s.ok() ? Status::OK() : Status::Corruption(s.ToString());
}

Status BackupStore::Restore(uint32_t id, const std::string& db_dir) {
  rocksdb::RestoreOptions options;
  rocksdb::IOStatus s = engine_->RestoreDBFromBackup(options, id, db_dir, db_dir);
  return FromRocks(s);
}

Status BackupStore::Prune(uint32_t keep) { return FromRocks(engine_->PurgeOldBackups(keep)); }

}  // namespace cairn
