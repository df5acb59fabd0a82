// E2E test of a full disk: the server's data lives on a small tmpfs; a file next to it
// takes the remaining space; writes then fail with a MISCONF error, reads keep working and
// INFO says so; once the file is deleted, writes resume by themselves and nothing
// acknowledged was lost (min-free-disk keeps RocksDB from ever meeting the full disk in
// the middle of a write). Mounting needs root: elsewhere the test skips, saying why.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMountSize = "size=64m";

class FullDiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "cairn-fulldisk-XXXXXX").string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    ASSERT_NE(mkdtemp(buffer.data()), nullptr);
    mount_point_ = buffer.data();
    if (mount("tmpfs", mount_point_.c_str(), "tmpfs", 0, kMountSize) != 0) {
      std::string reason = std::strerror(errno);
      fs::remove(mount_point_);
      mount_point_.clear();
      GTEST_SKIP() << "cannot mount a tmpfs for the full-disk test (" << reason
                   << "); it needs root or CAP_SYS_ADMIN";
    }
    mounted_ = true;
  }

  void TearDown() override {
    server_.Stop();
    if (mounted_) umount2(mount_point_.c_str(), MNT_DETACH);
    if (!mount_point_.empty()) fs::remove_all(mount_point_);
  }

  // Writes a file until the file system refuses more; returns the bytes written.
  size_t FillDisk(const std::string& path) {
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    EXPECT_GE(fd, 0) << std::strerror(errno);
    std::string chunk(64 << 10, 'f');
    size_t total = 0;
    while (fd >= 0) {
      ssize_t n = write(fd, chunk.data(), chunk.size());
      if (n <= 0) break;
      total += static_cast<size_t>(n);
    }
    if (fd >= 0) close(fd);
    return total;
  }

  std::string InfoField(Client& client, const std::string& name) {
    std::string text = client.Command({"INFO", "persistence"}).text();
    size_t at = text.find("\r\n" + name + ":");
    if (at == std::string::npos) return "<missing>";
    size_t start = at + 3 + name.size();
    return text.substr(start, text.find("\r\n", start) - start);
  }

  std::string mount_point_;
  bool mounted_ = false;
  ServerProcess server_;
};

TEST_F(FullDiskTest, WritesAreRefusedReadsWorkAndWritesResume) {
  std::string data_dir = mount_point_ + "/data";
  ASSERT_TRUE(server_.Start(
      {"--dir", data_dir, "--appendfsync", "always", "--save", "", "--min-free-disk", "8mb"}));
  Client client;
  ASSERT_TRUE(client.Connect(server_.port()));
  for (int i = 0; i < 100; i++) {
    ASSERT_OK(client.Command({"SET", "before:" + std::to_string(i), std::to_string(i)}));
  }
  std::string filler = mount_point_ + "/filler";
  ASSERT_GT(FillDisk(filler), 0u);

  Reply refused = client.Command({"SET", "during", std::string(256 << 10, 'v')});
  EXPECT_ERROR(refused,
               "MISCONF Errors writing to disk: No space left on device; writes are refused "
               "until space is available, reads keep working");
  EXPECT_ERROR_PREFIX(client.Command({"SET", "small", "x"}), "MISCONF");
  EXPECT_ERROR_PREFIX(client.Command({"INCR", "before:1"}), "MISCONF");
  EXPECT_BULK(client.Command({"GET", "before:42"}), "42");
  EXPECT_INTEGER(client.Command({"EXISTS", "before:0", "before:99"}), 2);
  EXPECT_EQ(InfoField(client, "cairn_disk_full"), "1");
  EXPECT_EQ(InfoField(client, "aof_last_write_status"), "err");

  fs::remove(filler);
  Reply resumed;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
       std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(std::chrono::milliseconds(200))) {
    resumed = client.Command({"SET", "after", "resumed"});
    if (IsOk(resumed)) break;
  }
  ASSERT_OK(resumed);
  EXPECT_EQ(InfoField(client, "cairn_disk_full"), "0");
  EXPECT_EQ(InfoField(client, "aof_last_write_status"), "ok");

  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  ASSERT_TRUE(client.Connect(server_.port()));
  for (int i = 0; i < 100; i++) {
    EXPECT_BULK(client.Command({"GET", "before:" + std::to_string(i)}), std::to_string(i));
  }
  EXPECT_BULK(client.Command({"GET", "after"}), "resumed");
}

}  // namespace
}  // namespace cairn::test
