// cairn-backup on backup directories: verify catching a flipped byte, restore refusing a
// non-empty or live target, prune, export/import round trips, --data-dir backups of a
// stopped server, and the usage errors and exit codes scripts rely on.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/e2e/backup_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

namespace fs = std::filesystem;

class BackupMaintenanceTest : public ServerTest {
 protected:
  std::string BackupDir() const { return server_.root() + "/backups"; }

  // One backup per call, each after writing one more key.
  void MakeBackups(int count) {
    for (int i = 0; i < count; i++) {
      ASSERT_OK(client_.Command({"SET", "key" + std::to_string(i), "value" + std::to_string(i)}));
      ProgramResult result =
          RunBackupTool({"create", "--server", "127.0.0.1:" + std::to_string(server_.port()),
                         "--to", BackupDir()});
      ASSERT_EQ(result.exit_code, 0) << Describe(result);
    }
  }

  static void FlipByte(const fs::path& file, std::streamoff offset) {
    std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
    stream.seekg(offset);
    char byte = 0;
    stream.read(&byte, 1);
    stream.seekp(offset);
    byte = static_cast<char>(byte ^ 0x5a);
    stream.write(&byte, 1);
  }
};

TEST_F(BackupMaintenanceTest, VerifyReportsAFlippedByte) {
  ASSERT_NO_FATAL_FAILURE(MakeBackups(1));
  ProgramResult clean = RunBackupTool({"verify", "--from", BackupDir()});
  EXPECT_EQ(clean.exit_code, 0) << Describe(clean);
  EXPECT_NE(clean.out.find("backup 1: ok"), std::string::npos) << clean.out;

  fs::path victim;
  for (const auto& entry : fs::directory_iterator(BackupDir() + "/shared_checksum")) {
    if (entry.path().extension() == ".sst") victim = entry.path();
  }
  ASSERT_FALSE(victim.empty());
  FlipByte(victim, static_cast<std::streamoff>(fs::file_size(victim) / 2));
  ProgramResult damaged = RunBackupTool({"verify", "--from", BackupDir(), "--id", "1"});
  EXPECT_EQ(damaged.exit_code, 1) << Describe(damaged);
  EXPECT_NE(damaged.out.find("backup 1: DAMAGED"), std::string::npos) << damaged.out;
}

TEST_F(BackupMaintenanceTest, RestoreRefusesNonEmptyTargetUnlessForced) {
  ASSERT_NO_FATAL_FAILURE(MakeBackups(1));
  ServerProcess target;
  fs::create_directories(target.dir() + "/db");
  std::ofstream(target.dir() + "/db/unrelated") << "precious";
  ProgramResult refused = RunBackupTool({"restore", "--from", BackupDir(), "--to", target.dir()});
  EXPECT_EQ(refused.exit_code, 1) << Describe(refused);
  EXPECT_NE(refused.err.find("not empty"), std::string::npos) << refused.err;
  EXPECT_TRUE(fs::exists(target.dir() + "/db/unrelated"));

  ProgramResult forced =
      RunBackupTool({"restore", "--from", BackupDir(), "--to", target.dir(), "--force"});
  ASSERT_EQ(forced.exit_code, 0) << Describe(forced);
  EXPECT_FALSE(fs::exists(target.dir() + "/db/unrelated"));
  ASSERT_TRUE(target.Start());
  Client reader;
  ASSERT_TRUE(reader.Connect(target.port()));
  EXPECT_BULK(reader.Command({"GET", "key0"}), "value0");
}

TEST_F(BackupMaintenanceTest, RestoreNeverTouchesARunningServersDir) {
  ASSERT_NO_FATAL_FAILURE(MakeBackups(1));
  ASSERT_OK(client_.Command({"SET", "after-backup", "kept"}));
  ProgramResult refused =
      RunBackupTool({"restore", "--from", BackupDir(), "--to", server_.dir(), "--force"});
  EXPECT_EQ(refused.exit_code, 1) << Describe(refused);
  EXPECT_NE(refused.err.find("running server"), std::string::npos) << refused.err;
  EXPECT_BULK(client_.Command({"GET", "after-backup"}), "kept");
  RestartAndReconnect();
  EXPECT_BULK(client_.Command({"GET", "after-backup"}), "kept");
}

TEST_F(BackupMaintenanceTest, PruneKeepsTheNewestN) {
  ASSERT_NO_FATAL_FAILURE(MakeBackups(4));
  ProgramResult pruned = RunBackupTool({"prune", "--from", BackupDir(), "--keep", "2"});
  ASSERT_EQ(pruned.exit_code, 0) << Describe(pruned);
  ProgramResult list = RunBackupTool({"list", "--from", BackupDir()});
  ASSERT_EQ(list.exit_code, 0) << Describe(list);
  EXPECT_EQ(ListedIds(list.out), (std::vector<int>{3, 4}));
  ProgramResult verify = RunBackupTool({"verify", "--from", BackupDir()});
  EXPECT_EQ(verify.exit_code, 0) << Describe(verify);
}

TEST_F(BackupMaintenanceTest, ExportImportRoundTrip) {
  ASSERT_NO_FATAL_FAILURE(MakeBackups(2));
  std::string archive = server_.root() + "/off-site.tar.zst";
  std::string imported = server_.root() + "/imported";
  ProgramResult exported = RunBackupTool({"export", "--from", BackupDir(), "--to", archive});
  ASSERT_EQ(exported.exit_code, 0) << Describe(exported);
  ProgramResult again = RunBackupTool({"export", "--from", BackupDir(), "--to", archive});
  EXPECT_EQ(again.exit_code, 1) << "an existing archive is not replaced without --force";
  ProgramResult import = RunBackupTool({"import", "--from", archive, "--to", imported});
  ASSERT_EQ(import.exit_code, 0) << Describe(import);

  ProgramResult original_list = RunBackupTool({"list", "--from", BackupDir()});
  ProgramResult imported_list = RunBackupTool({"list", "--from", imported});
  EXPECT_EQ(original_list.out, imported_list.out);
  ProgramResult verify = RunBackupTool({"verify", "--from", imported});
  EXPECT_EQ(verify.exit_code, 0) << Describe(verify);

  ServerProcess target;
  ProgramResult restored = RunBackupTool({"restore", "--from", imported, "--to", target.dir()});
  ASSERT_EQ(restored.exit_code, 0) << Describe(restored);
  ASSERT_TRUE(target.Start());
  Client reader;
  ASSERT_TRUE(reader.Connect(target.port()));
  EXPECT_BULK(reader.Command({"GET", "key1"}), "value1");

  // A damaged archive is reported, and leaves no half-imported directory behind.
  FlipByte(archive, static_cast<std::streamoff>(fs::file_size(archive) / 2));
  std::string second = server_.root() + "/imported-again";
  ProgramResult damaged = RunBackupTool({"import", "--from", archive, "--to", second});
  EXPECT_EQ(damaged.exit_code, 1) << Describe(damaged);
  EXPECT_FALSE(fs::exists(second));
}

TEST_F(BackupMaintenanceTest, DataDirBackupOfStoppedServer) {
  ASSERT_OK(client_.Command({"SET", "offline", "yes"}));
  ProgramResult live = RunBackupTool({"create", "--data-dir", server_.dir(), "--to", BackupDir()});
  EXPECT_EQ(live.exit_code, 1) << Describe(live);
  EXPECT_NE(live.err.find("running server"), std::string::npos) << live.err;

  ASSERT_EQ(server_.Stop(), 0);
  ProgramResult created =
      RunBackupTool({"create", "--data-dir", server_.dir(), "--to", BackupDir()});
  ASSERT_EQ(created.exit_code, 0) << Describe(created);
  EXPECT_NE(created.out.find("1 keys"), std::string::npos) << created.out;
  ServerProcess target;
  ProgramResult restored = RunBackupTool({"restore", "--from", BackupDir(), "--to", target.dir()});
  ASSERT_EQ(restored.exit_code, 0) << Describe(restored);
  ASSERT_TRUE(target.Start());
  Client reader;
  ASSERT_TRUE(reader.Connect(target.port()));
  EXPECT_BULK(reader.Command({"GET", "offline"}), "yes");
}

TEST_F(BackupMaintenanceTest, UsageErrorsAndHelp) {
  EXPECT_EQ(RunBackupTool({}).exit_code, 2);
  EXPECT_EQ(RunBackupTool({"frobnicate"}).exit_code, 2);
  ProgramResult overview = RunBackupTool({"--help"});
  EXPECT_EQ(overview.exit_code, 0);
  EXPECT_NE(overview.out.find("Exit codes"), std::string::npos) << overview.out;
  for (const char* command : {"create", "list", "verify", "restore", "prune", "export", "import"}) {
    ProgramResult help = RunBackupTool({command, "--help"});
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_NE(help.out.find("Usage: cairn-backup " + std::string(command)), std::string::npos);
  }
  for (const char* command : {"import-rdb", "export-rdb"}) {
    EXPECT_EQ(RunBackupTool({command, "--help"}).exit_code, 0) << command;
  }
  EXPECT_EQ(RunBackupTool({"create", "--to", BackupDir()}).exit_code, 2);
  EXPECT_EQ(RunBackupTool({"create", "--server", "nohost", "--to", BackupDir()}).exit_code, 2);
  EXPECT_EQ(RunBackupTool({"prune", "--from", BackupDir(), "--keep", "x"}).exit_code, 2);
  EXPECT_EQ(RunBackupTool({"list", "--from"}).exit_code, 2);
  ProgramResult missing = RunBackupTool({"list", "--from", BackupDir()});
  EXPECT_EQ(missing.exit_code, 1) << Describe(missing);
  ProgramResult refused = RunBackupTool({"create", "--server", "127.0.0.1:1", "--to", BackupDir()});
  EXPECT_EQ(refused.exit_code, 1) << Describe(refused);
}

}  // namespace
}  // namespace cairn::test
