// cairn-backup against a running server: consistency of backups taken during heavy writes,
// incremental copying, and a timed backup/restore round trip that a new server reads back.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/backup_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

namespace fs = std::filesystem;

class BackupOnlineTest : public ServerTest {
 protected:
  std::string BackupDir() const { return server_.root() + "/backups"; }
  std::string Address() const { return "127.0.0.1:" + std::to_string(server_.port()); }

  ProgramResult CreateOnline() {
    return RunBackupTool({"create", "--server", Address(), "--to", BackupDir()});
  }

  // Restores backup `id` into a fresh server's dir and starts it.
  void RestoreAndStart(int id, ServerProcess* restored) {
    ProgramResult result = RunBackupTool(
        {"restore", "--from", BackupDir(), "--id", std::to_string(id), "--to", restored->dir()});
    ASSERT_EQ(result.exit_code, 0) << Describe(result);
    ASSERT_TRUE(restored->Start());
  }

  // Pipelines `count` SETs of `value_size`-byte values under prefix.
  void Populate(const std::string& prefix, int count, size_t value_size) {
    std::vector<std::vector<std::string>> batch;
    for (int i = 0; i < count; i++) {
      std::string value(value_size, static_cast<char>('a' + i % 26));
      batch.push_back({"SET", prefix + std::to_string(i), value});
      if (batch.size() == 500 || i + 1 == count) {
        for (const Reply& reply : client_.Pipeline(batch)) ASSERT_OK(reply);
        batch.clear();
      }
    }
  }
};

// A writer keeps MSET-ing a counter and its mirror to the same new value; every backup taken
// meanwhile must hold a pair that agrees, as the database did at one instant.
TEST_F(BackupOnlineTest, BackupDuringHeavyWritesIsPointInTime) {
  std::atomic<bool> stop{false};
  std::atomic<int64_t> written{0};
  Client writer = Connect();
  std::thread thread([&] {
    for (int64_t value = 1; !stop.load(); value += 50) {
      std::vector<std::vector<std::string>> batch;
      for (int64_t v = value; v < value + 50; v++) {
        batch.push_back({"MSET", "counter", std::to_string(v), "mirror", std::to_string(v)});
      }
      for (const Reply& reply : writer.Pipeline(batch)) {
        if (reply.is_error() || reply.is_io_error()) return;
      }
      written.store(value + 49);
    }
  });
  while (written.load() < 1000) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  constexpr int kBackups = 3;
  for (int i = 0; i < kBackups; i++) {
    ProgramResult result = CreateOnline();
    EXPECT_EQ(result.exit_code, 0) << Describe(result);
  }
  stop.store(true);
  thread.join();
  ASSERT_GT(written.load(), 1000);

  int64_t previous = 0;
  for (int id = 1; id <= kBackups; id++) {
    ServerProcess restored;
    ASSERT_NO_FATAL_FAILURE(RestoreAndStart(id, &restored));
    Client reader;
    ASSERT_TRUE(reader.Connect(restored.port()));
    Reply counter = reader.Command({"GET", "counter"});
    Reply mirror = reader.Command({"GET", "mirror"});
    ASSERT_EQ(counter.type(), ReplyType::kString) << "backup " << id;
    EXPECT_EQ(counter.text(), mirror.text()) << "backup " << id << " is torn";
    int64_t value = std::stoll(counter.text());
    EXPECT_GE(value, previous) << "backups go forward in time";
    previous = value;
    EXPECT_INTEGER(reader.Command({"DBSIZE"}), 2);
  }
  ProgramResult list = RunBackupTool({"list", "--from", BackupDir()});
  ASSERT_EQ(list.exit_code, 0) << Describe(list);
  EXPECT_EQ(ListedIds(list.out), (std::vector<int>{1, 2, 3}));
}

// A second backup after a few more writes copies only the new table files, not the old ones.
TEST_F(BackupOnlineTest, SecondBackupCopiesOnlyNewFiles) {
  ASSERT_NO_FATAL_FAILURE(Populate("bulk:", 5000, 400));
  ProgramResult first = CreateOnline();
  ASSERT_EQ(first.exit_code, 0) << Describe(first);
  ASSERT_OK(client_.Command({"SET", "late", "value"}));
  ProgramResult second = CreateOnline();
  ASSERT_EQ(second.exit_code, 0) << Describe(second);

  int64_t first_bytes = NumberAfter(first.out, "new files copied (");
  int64_t second_total = NumberAfter(second.out, " files (");
  int64_t second_new_bytes = NumberAfter(second.out, "new files copied (");
  int64_t second_files = NumberAfter(second.out, "keys, ");
  int64_t second_new_files = NumberBefore(second.out, " new files copied");
  ASSERT_GT(first_bytes, 0) << first.out;
  EXPECT_LT(second_new_files, second_files) << second.out;
  EXPECT_LT(second_new_bytes * 4, second_total) << second.out;
  EXPECT_NE(second.out.find("5001 keys"), std::string::npos) << second.out;

  // The shared directory grew by the new table files only.
  uint64_t shared_bytes = 0;
  for (const auto& entry : fs::directory_iterator(BackupDir() + "/shared_checksum")) {
    shared_bytes += entry.file_size();
  }
  EXPECT_LT(shared_bytes, static_cast<uint64_t>(first_bytes + second_new_bytes));
}

// Backup, restore into a new data dir, start a server there: every key reads back. Prints
// the sizes and times for the closing note.
TEST_F(BackupOnlineTest, RoundTripRestoresDataIntoNewServer) {
  constexpr int kKeys = 20000;
  ASSERT_NO_FATAL_FAILURE(Populate("key:", kKeys, 100));
  ASSERT_OK(client_.Command({"SELECT", "3"}));
  ASSERT_OK(client_.Command({"SET", "in-db-3", "three"}));
  ProgramResult created = CreateOnline();
  ASSERT_EQ(created.exit_code, 0) << Describe(created);
  EXPECT_NE(created.out.find(std::to_string(kKeys + 1) + " keys"), std::string::npos)
      << created.out;

  ServerProcess restored;
  ProgramResult result = RunBackupTool({"restore", "--from", BackupDir(), "--to", restored.dir()});
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  ASSERT_TRUE(restored.Start());
  Client reader;
  ASSERT_TRUE(reader.Connect(restored.port()));
  EXPECT_INTEGER(reader.Command({"DBSIZE"}), kKeys);
  for (int i = 0; i < kKeys; i += 997) {
    EXPECT_BULK(reader.Command({"GET", "key:" + std::to_string(i)}),
                std::string(100, static_cast<char>('a' + i % 26)));
  }
  ASSERT_OK(reader.Command({"SELECT", "3"}));
  EXPECT_BULK(reader.Command({"GET", "in-db-3"}), "three");
  std::printf("backup/restore round trip of %d keys:\n  %s  %s", kKeys + 1, created.out.c_str(),
              result.out.c_str());
}

}  // namespace
}  // namespace cairn::test
