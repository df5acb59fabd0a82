// Read-only access to Cairn databases for cairn-backup, the RocksDB LOCK check and private
// hard-linked copies of checkpoints.
#include "tools/backup/source_db.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "engine/db_catalog.h"
#include "engine/rocks_status.h"

namespace cairn {

namespace fs = std::filesystem;

Status DbDirLock::Acquire(const std::string& db_dir, std::unique_ptr<DbDirLock>* out) {
  std::string lock_path = db_dir + "/LOCK";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      out->reset();
      return Status::OK();
    }
    return Status::IOError("cannot open " + lock_path + ": " + std::strerror(errno));
  }
  // The same kind of lock RocksDB's PosixEnv::LockFile takes, so the two exclude each other.
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  if (::fcntl(fd, F_SETLK, &lock) != 0) {
    int error = errno;
    ::close(fd);
    if (error == EAGAIN || error == EACCES) {
      return Status::Busy(db_dir + " is in use by a running server (its LOCK file is held); " +
                          "stop the server first");
    }
    return Status::IOError("cannot lock " + lock_path + ": " + std::strerror(error));
  }
  out->reset(new DbDirLock(fd));
  return Status::OK();
}

DbDirLock::~DbDirLock() { ::close(fd_); }

Status SourceDb::Open(const std::string& db_dir, std::unique_ptr<SourceDb>* out) {
  if (!fs::exists(db_dir + "/CURRENT")) {
    return Status::InvalidArgument(db_dir + " is not a database directory (no CURRENT file)");
  }
  rocksdb::DBOptions db_options;
  db_options.info_log_level = rocksdb::InfoLogLevel::HEADER_LEVEL;
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(db_options, db_dir, &names);
  if (!s.ok()) return FromRocks(s);
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const std::string& name : names) {
    rocksdb::ColumnFamilyOptions options;
    // The key counts are merge operands; reading them needs the engine's operator.
    if (name == rocksdb::kDefaultColumnFamilyName) options.merge_operator = NewInt64AddOperator();
    families.emplace_back(name, options);
  }
  std::unique_ptr<SourceDb> source(new SourceDb());
  s = rocksdb::DB::OpenForReadOnly(db_options, db_dir, families, &source->handles_, &source->db_);
  if (!s.ok()) return FromRocks(s);
  std::string marker;
  s = source->db_->Get(rocksdb::ReadOptions(), DbCatalog::FormatKey(), &marker);
  if (!s.ok()) {
    return Status::InvalidArgument(db_dir + " is not a Cairn database (no format marker)");
  }
  *out = std::move(source);
  return Status::OK();
}

SourceDb::~SourceDb() {
  for (rocksdb::ColumnFamilyHandle* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
  delete db_;
}

Status SourceDb::CountKeys(int64_t* keys) {
  DbCatalog catalog;
  Status s = catalog.Load(db_, db_->DefaultColumnFamily(), rocksdb::ReadOptions(), kMaxDatabases);
  if (!s.ok()) return s;
  *keys = 0;
  for (int db = 0; db < kMaxDatabases; db++) *keys += catalog.KeyCount(db);
  return Status::OK();
}

Status PrivateCopy::Create(const std::string& source, const std::string& parent,
                           std::unique_ptr<PrivateCopy>* out) {
  std::string pattern = parent + "/cairn-backup-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Status::IOError("cannot create a directory in " + parent + ": " + std::strerror(errno));
  }
  std::unique_ptr<PrivateCopy> copy(new PrivateCopy(pattern));
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(source, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    fs::create_hard_link(entry.path(), fs::path(copy->path_) / entry.path().filename(), ec);
    if (ec) break;
  }
  if (ec) return Status::IOError("cannot link the files of " + source + ": " + ec.message());
  *out = std::move(copy);
  return Status::OK();
}

PrivateCopy::~PrivateCopy() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

bool IsMissingOrEmpty(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  return fs::is_empty(dir, ec) && !ec;
}

}  // namespace cairn
