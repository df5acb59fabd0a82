// What cairn-backup reads from: a Cairn RocksDB directory (a server's <dir>/db or one of its
// checkpoints) opened read-only with all its column families, the fcntl lock check that
// tells a running server's directory apart from a stopped one, and private hard-linked
// copies of a checkpoint that the server cannot prune while they are read.
#pragma once

#include <rocksdb/db.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/status.h"

namespace cairn {

// Holds the fcntl write lock on <db_dir>/LOCK, the lock RocksDB takes in a running server,
// so no server can open the directory while this object lives.
class DbDirLock {
 public:
  // Busy with a clear message if another process (a running cairn-server) holds the lock.
  // A directory without a LOCK file is not locked by anyone and needs no lock.
  static Status Acquire(const std::string& db_dir, std::unique_ptr<DbDirLock>* out);
  ~DbDirLock();
  DbDirLock(const DbDirLock&) = delete;
  DbDirLock& operator=(const DbDirLock&) = delete;

 private:
  explicit DbDirLock(int fd) : fd_(fd) {}
  int fd_;
};

// A Cairn database opened read-only; its files are not changed.
class SourceDb {
 public:
  static Status Open(const std::string& db_dir, std::unique_ptr<SourceDb>* out);
  ~SourceDb();
  SourceDb(const SourceDb&) = delete;
  SourceDb& operator=(const SourceDb&) = delete;

  rocksdb::DB* db() { return db_; }
  // Keys in all databases together, from the counts the engine maintains (as DBSIZE).
  Status CountKeys(int64_t* keys);

 private:
  SourceDb() = default;
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

// Hard links every file of `source` into a fresh directory <parent>/cairn-backup-XXXXXX (same
// filesystem, so the links are free), which is removed when the object dies. Afterwards the
// server may delete `source` without disturbing a reader of path().
class PrivateCopy {
 public:
  static Status Create(const std::string& source, const std::string& parent,
                       std::unique_ptr<PrivateCopy>* out);
  ~PrivateCopy();
  PrivateCopy(const PrivateCopy&) = delete;
  PrivateCopy& operator=(const PrivateCopy&) = delete;
  const std::string& path() const { return path_; }

 private:
  explicit PrivateCopy(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// True if `dir` does not exist or holds no entries.
bool IsMissingOrEmpty(const std::string& dir);

}  // namespace cairn
