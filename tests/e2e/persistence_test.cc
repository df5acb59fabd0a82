// E2E tests of persistence in the server: checkpoint-keep keeps the newest N checkpoints,
// INFO persistence carries Redis's field names and cairn_last_checkpoint, and appendfsync
// changes at run time through CONFIG SET; a damaged data directory is refused at start-up
// and left exactly as it was; the compression option reaches RocksDB and a change of it
// keeps every older table file readable.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

namespace fs = std::filesystem;

class PersistenceTest : public ServerTest {
 protected:
  std::vector<std::string> ServerOptions() const override { return {"--save", ""}; }

  std::map<std::string, std::string> InfoPersistence() {
    Reply reply = client_.Command({"INFO", "persistence"});
    std::map<std::string, std::string> fields;
    std::istringstream lines(reply.text());
    std::string line;
    while (std::getline(lines, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      size_t colon = line.find(':');
      if (line.empty() || line[0] == '#' || colon == std::string::npos) continue;
      fields[line.substr(0, colon)] = line.substr(colon + 1);
    }
    return fields;
  }

  std::vector<std::string> Checkpoints() {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(fs::path(server_.dir()) / "checkpoints", ec)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  // Checkpoint names carry unix milliseconds: two saves in the same millisecond would clash.
  void SaveInANewMillisecond() {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_OK(client_.Command({"SAVE"}));
  }
};

TEST_F(PersistenceTest, InfoHasRedisFieldNames) {
  std::map<std::string, std::string> info = InfoPersistence();
  for (const char* name : {"loading",
                           "async_loading",
                           "current_cow_peak",
                           "current_cow_size",
                           "current_cow_size_age",
                           "current_fork_perc",
                           "current_save_keys_processed",
                           "current_save_keys_total",
                           "rdb_changes_since_last_save",
                           "rdb_bgsave_in_progress",
                           "rdb_last_save_time",
                           "rdb_last_bgsave_status",
                           "rdb_last_bgsave_time_sec",
                           "rdb_current_bgsave_time_sec",
                           "rdb_saves",
                           "rdb_last_cow_size",
                           "rdb_last_load_keys_expired",
                           "rdb_last_load_keys_loaded",
                           "aof_enabled",
                           "aof_rewrite_in_progress",
                           "aof_rewrite_scheduled",
                           "aof_last_rewrite_time_sec",
                           "aof_current_rewrite_time_sec",
                           "aof_last_bgrewrite_status",
                           "aof_rewrites",
                           "aof_rewrites_consecutive_failures",
                           "aof_last_write_status",
                           "aof_last_cow_size",
                           "module_fork_in_progress",
                           "module_fork_last_cow_size",
                           "cairn_last_checkpoint"}) {
    EXPECT_TRUE(info.count(name)) << name;
  }
  EXPECT_EQ(info["aof_enabled"], "1");
  EXPECT_EQ(info["rdb_bgsave_in_progress"], "0");
  EXPECT_EQ(info["cairn_last_checkpoint"], "");
}

TEST_F(PersistenceTest, SaveReportsItsCheckpointAndResetsChanges) {
  ASSERT_OK(client_.Command({"SET", "a", "1"}));
  ASSERT_OK(client_.Command({"SET", "b", "2"}));
  EXPECT_EQ(InfoPersistence()["rdb_changes_since_last_save"], "2");
  ASSERT_OK(client_.Command({"SAVE"}));
  std::map<std::string, std::string> info = InfoPersistence();
  EXPECT_EQ(info["rdb_changes_since_last_save"], "0");
  EXPECT_EQ(info["rdb_saves"], "1");
  EXPECT_EQ(info["rdb_last_bgsave_status"], "ok");
  std::vector<std::string> names = Checkpoints();
  ASSERT_EQ(names.size(), 1u);
  fs::path expected = fs::absolute(fs::path(server_.dir()) / "checkpoints" / names[0]);
  EXPECT_EQ(info["cairn_last_checkpoint"], expected.string());
  EXPECT_TRUE(fs::exists(expected / "CURRENT"));
}

TEST_F(PersistenceTest, CheckpointKeepKeepsTheNewest) {
  EXPECT_STRINGS(client_.Command({"CONFIG", "GET", "checkpoint-keep"}), {"checkpoint-keep", "1"});
  for (int i = 0; i < 2; i++) ASSERT_NO_FATAL_FAILURE(SaveInANewMillisecond());
  EXPECT_EQ(Checkpoints().size(), 1u);
  ASSERT_OK(client_.Command({"CONFIG", "SET", "checkpoint-keep", "2"}));
  for (int i = 0; i < 4; i++) ASSERT_NO_FATAL_FAILURE(SaveInANewMillisecond());
  std::vector<std::string> names = Checkpoints();
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(fs::path(InfoPersistence()["cairn_last_checkpoint"]).filename().string(), names[1]);

  ASSERT_OK(client_.Command({"CONFIG", "SET", "checkpoint-keep", "3"}));
  for (int i = 0; i < 3; i++) ASSERT_NO_FATAL_FAILURE(SaveInANewMillisecond());
  EXPECT_EQ(Checkpoints().size(), 3u);
  ASSERT_OK(client_.Command({"CONFIG", "SET", "checkpoint-keep", "1"}));
  ASSERT_NO_FATAL_FAILURE(SaveInANewMillisecond());
  EXPECT_EQ(Checkpoints().size(), 1u);
  EXPECT_ERROR_PREFIX(client_.Command({"CONFIG", "SET", "checkpoint-keep", "0"}),
                      "ERR CONFIG SET failed (possibly related to argument 'checkpoint-keep')");
}

TEST_F(PersistenceTest, LastCheckpointSurvivesARestart) {
  ASSERT_OK(client_.Command({"SET", "k", "v"}));
  ASSERT_OK(client_.Command({"SAVE"}));
  std::string before = InfoPersistence()["cairn_last_checkpoint"];
  ASSERT_FALSE(before.empty());
  ASSERT_NO_FATAL_FAILURE(RestartAndReconnect());
  EXPECT_EQ(InfoPersistence()["cairn_last_checkpoint"], before);
}

TEST_F(PersistenceTest, AppendfsyncChangesAtRunTime) {
  for (std::string policy : {"always", "no", "everysec", "always"}) {
    ASSERT_OK(client_.Command({"CONFIG", "SET", "appendfsync", policy}));
    EXPECT_STRINGS(client_.Command({"CONFIG", "GET", "appendfsync"}), {"appendfsync", policy});
    EXPECT_EQ(InfoPersistence()["aof_fsync_policy"], policy);
    ASSERT_OK(client_.Command({"SET", "key-" + policy, policy}));
  }
  EXPECT_ERROR_PREFIX(client_.Command({"CONFIG", "SET", "appendfsync", "sometimes"}),
                      "ERR CONFIG SET failed (possibly related to argument 'appendfsync')");
  // Written under "always": a crash right after the reply keeps it.
  ASSERT_NO_FATAL_FAILURE(Kill9AndReconnect());
  EXPECT_BULK(client_.Command({"GET", "key-always"}), "always");
  EXPECT_BULK(client_.Command({"GET", "key-everysec"}), "everysec");
}

}  // namespace
}  // namespace cairn::test

namespace cairn::test {
namespace {

// Every file under dir with its size and modification time.
std::map<std::string, std::pair<uintmax_t, fs::file_time_type>> Snapshot(const std::string& dir) {
  std::map<std::string, std::pair<uintmax_t, fs::file_time_type>> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    files[fs::relative(entry.path(), dir).string()] = {entry.file_size(), entry.last_write_time()};
  }
  return files;
}

// Starts a server, writes, stops it, damages its database with `damage`, and checks that a
// new start fails with a clear message and leaves every file as it was.
void ExpectStartRefusedAfter(const std::function<void(const fs::path& db)>& damage) {
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--save", ""}));
  {
    Client client;
    ASSERT_TRUE(client.Connect(server.port()));
    for (int i = 0; i < 50; i++) ASSERT_OK(client.Command({"SET", "k" + std::to_string(i), "v"}));
  }
  ASSERT_EQ(server.Stop(), 0);
  fs::path db;
  for (const auto& entry : fs::recursive_directory_iterator(server.dir())) {
    if (entry.path().filename() == "CURRENT") db = entry.path().parent_path();
  }
  ASSERT_FALSE(db.empty()) << "no RocksDB database under " << server.dir();
  damage(db);
  auto before = Snapshot(server.dir());
  EXPECT_FALSE(server.Start());
  EXPECT_NE(server.exit_status(), 0);
  EXPECT_NE(server.log().find("is damaged and was not opened"), std::string::npos)
      << server.LogTail();
  EXPECT_EQ(Snapshot(server.dir()), before);
}

fs::path FindManifest(const fs::path& db) {
  for (const auto& entry : fs::directory_iterator(db)) {
    if (entry.path().filename().string().rfind("MANIFEST-", 0) == 0) return entry.path();
  }
  return {};
}

TEST(CorruptDataDirTest, GarbageCurrentFileIsRefused) {
  ExpectStartRefusedAfter(
      [](const fs::path& db) { std::ofstream(db / "CURRENT", std::ios::trunc) << "garbage\n"; });
}

TEST(CorruptDataDirTest, DamagedManifestIsRefused) {
  ExpectStartRefusedAfter([](const fs::path& db) {
    fs::path manifest = FindManifest(db);
    ASSERT_FALSE(manifest.empty());
    std::fstream file(manifest, std::ios::in | std::ios::out | std::ios::binary);
    uintmax_t size = fs::file_size(manifest);
    for (uintmax_t at = 0; at < size; at += 7) {
      file.seekp(static_cast<std::streamoff>(at));
      file.put('\x5a');
    }
  });
}

TEST(CorruptDataDirTest, MissingManifestIsRefused) {
  ExpectStartRefusedAfter([](const fs::path& db) { fs::remove(FindManifest(db)); });
}

// The family options RocksDB recorded in its newest OPTIONS file: one "name=value" per line.
std::string NewestRocksOptions(const std::string& data_dir) {
  fs::path newest;
  for (const auto& entry : fs::directory_iterator(fs::path(data_dir) / "db")) {
    std::string name = entry.path().filename().string();
    if (name.rfind("OPTIONS-", 0) == 0 && (newest.empty() || name > newest.filename().string())) {
      newest = entry.path();
    }
  }
  std::ifstream in(newest);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(CompressionTest, ReachesRocksDbAndOlderFilesStayReadable) {
  ServerProcess server;
  ASSERT_TRUE(server.Start({"--compression", "zstd"}));
  Client client;
  ASSERT_TRUE(client.Connect(server.port()));
  EXPECT_STRINGS(client.Command({"CONFIG", "GET", "compression"}), {"compression", "zstd"});
  std::string options = NewestRocksOptions(server.dir());
  EXPECT_NE(options.find("bottommost_compression=kZSTD"), std::string::npos);
  EXPECT_NE(options.find("\n  compression=kLZ4Compression"), std::string::npos);
  std::vector<std::vector<std::string>> writes;
  for (int i = 0; i < 2000; ++i) {
    writes.push_back({"SET", "key:" + std::to_string(i), std::string(200, 'a' + i % 26)});
  }
  ASSERT_EQ(client.Pipeline(writes).size(), writes.size());
  // A SAVE checkpoint flushes the memtables: the values rest in zstd-compressed tables.
  ASSERT_OK(client.Command({"SAVE"}));

  for (const char* compression : {"lz4", "none"}) {
    SCOPED_TRACE(compression);
    ASSERT_EQ(server.Stop(), 0);
    ASSERT_TRUE(server.Start({"--compression", compression}));
    ASSERT_TRUE(client.Connect(server.port()));
    EXPECT_STRINGS(client.Command({"CONFIG", "GET", "compression"}), {"compression", compression});
    options = NewestRocksOptions(server.dir());
    EXPECT_EQ(options.find("bottommost_compression=kZSTD"), std::string::npos);
    std::string expected =
        std::string("compression=") +
        (std::string(compression) == "lz4" ? "kLZ4Compression" : "kNoCompression");
    EXPECT_NE(options.find(expected), std::string::npos);
    EXPECT_INTEGER(client.Command({"DBSIZE"}), 2000);
    EXPECT_BULK(client.Command({"GET", "key:1999"}), std::string(200, 'a' + 1999 % 26));
  }
}

}  // namespace
}  // namespace cairn::test
