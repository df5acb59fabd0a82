// A Storage in a fresh mkdtemp directory, with a manual clock and (by default) no active
// expiry thread, for the engine unit tests. Reopen() closes and opens the same directory.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/clock.h"
#include "engine/keyspace.h"
#include "engine/status.h"
#include "engine/storage.h"
#include "engine/string.h"

namespace cairn {

inline std::string MakeTempDir(const char* tag) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / (std::string("cairn-") + tag + "-XXXXXX")).string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  char* made = mkdtemp(buffer.data());
  EXPECT_NE(made, nullptr);
  return made != nullptr ? std::string(made) : std::string();
}

// The manual clock's starting time in the engine tests.
inline constexpr uint64_t kTestStartMs = 1700000000000ULL;

class EngineTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kStartMs = kTestStartMs;

  void SetUp() override {
    root_ = MakeTempDir("engine");
    options_.dir = root_ + "/db";
    options_.clock = &clock_;
    options_.active_expiry = false;
    options_.block_cache_bytes = 8 << 20;
    options_.write_buffer_bytes = 4 << 20;
    options_.fsync = FsyncPolicy::kNo;
    Open();
  }

  void TearDown() override {
    storage_.reset();
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  void Open() {
    Status s = Storage::Open(options_, &storage_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  void Reopen() {
    ASSERT_TRUE(storage_->Close().ok());
    storage_.reset();
    Open();
  }

  Keyspace& keys() { return storage_->keyspace(); }
  Strings& strings() { return storage_->strings(); }

  void Set(int db, const std::string& key, const std::string& value, int64_t expire_at_ms = 0) {
    SetOptions options;
    if (expire_at_ms != 0) {
      options.expire = SetOptions::Expire::kAt;
      options.expire_at_ms = expire_at_ms;
    }
    bool written = false;
    Status s = strings().Set(db, key, value, options, &written, nullptr);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_TRUE(written);
  }

  // The value, or "(nil)" when missing; "(error)" plus the message otherwise.
  std::string Get(int db, const std::string& key) {
    std::string value;
    Status s = strings().Get(db, key, &value);
    if (s.IsNotFound()) return "(nil)";
    if (!s.ok()) return "(error) " + s.message();
    return value;
  }

  int64_t Ttl(int db, const std::string& key) {
    int64_t at = 0;
    EXPECT_TRUE(keys().GetExpire(db, key, &at).ok());
    return at < 0 ? at : at - static_cast<int64_t>(clock_.NowMs());
  }

  // Number of entries in a column family, counted by iteration.
  size_t CountEntries(rocksdb::ColumnFamilyHandle* cf) {
    std::unique_ptr<rocksdb::Iterator> it(
        storage_->rocks()->NewIterator(rocksdb::ReadOptions(), cf));
    size_t n = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) n++;
    return n;
  }

  ManualClock clock_{kStartMs};
  std::string root_;
  StorageOptions options_;
  std::unique_ptr<Storage> storage_;
};

}  // namespace cairn
