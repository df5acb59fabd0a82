// The e2e harness: ServerProcess runs the real cairn-server on a free loopback port with a
// private temporary data directory; ServerTest is a fixture with one started server and one
// connected client; RunCli/RunBenchmark drive redis-cli and redis-benchmark against it.
//
// Include this header only: it brings in Client, RawConnection, Reply and the reply checks
// (EXPECT_OK, EXPECT_BULK, EXPECT_ERROR, ...).
//
// Parallel-safe: every server gets its own port and directory, and nothing is shared between
// test processes. Set CAIRN_KEEP_TEST_DIRS=1 to keep the directories of failed tests.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/e2e/client.h"
#include "tests/e2e/redis_errors.h"
#include "tests/e2e/reply.h"

namespace cairn::test {

// Path of the binary under test (CMake passes the built cairn-server).
std::string DefaultServerBinary();

class ServerProcess {
 public:
  explicit ServerProcess(std::string binary = DefaultServerBinary());
  ~ServerProcess();  // stops the server and removes its directory
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Runs `binary [config_file] --port P --bind 127.0.0.1 --dir D extra_options...` and waits
  // until it answers PING. Retries on another port if the server dies during start-up (the
  // port may have been taken by a concurrent test). On failure the message ends with the
  // tail of the server's log. Readiness means the started process itself listens on the port,
  // so a wrapper script must exec the server rather than fork it.
  ::testing::AssertionResult Start(const std::vector<std::string>& extra_options = {});
  ::testing::AssertionResult StartWithConfig(const std::string& config_file,
                                             const std::vector<std::string>& extra_options = {});
  // SIGTERM, then waits. Returns the exit code, or 128 + signal number if a signal ended it;
  // a server that exited by itself (SHUTDOWN) gives its own status. -1 if there was no process
  // left to stop (see exit_status()). A server that outlives `wait` is killed: 128 + SIGKILL.
  int Stop(std::chrono::milliseconds wait = std::chrono::seconds(60));
  void Kill9();  // SIGKILL and reap: a crash as far as the data directory can tell
  // Stops the server if it runs, then starts it again on the same directory and options.
  // Keeps the port unless another process took it meanwhile; always reconnect via port().
  ::testing::AssertionResult Restart();

  // False once the process ended, also when it exited by itself (e.g. after SHUTDOWN).
  bool running() { return !ReapIfExited(); }
  // How the last run ended, in Stop()'s terms; -1 while none has ended.
  int exit_status() const { return last_exit_; }
  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  const std::string& dir() const { return data_dir_; }       // the server's --dir
  const std::string& root() const { return root_; }          // temp dir holding dir and log
  const std::string& log_path() const { return log_path_; }  // stdout + stderr, all runs
  std::string log() const;
  std::string LogTail(size_t lines = 40) const;
  // Writes a file under root() (config files, scripts) and returns its path.
  std::string WriteFile(const std::string& name, const std::string& contents) const;

 private:
  ::testing::AssertionResult Launch(int attempts);
  ::testing::AssertionResult WaitUntilReady();
  bool ReapIfExited();
  bool ListensOnPort() const;

  std::string binary_;
  std::string root_;
  std::string data_dir_;
  std::string log_path_;
  std::string config_file_;
  std::vector<std::string> extra_options_;
  int port_ = 0;
  pid_t pid_ = -1;
  int last_exit_ = -1;
};

// A fixture with a server started in SetUp and a client connected to it. Override
// ServerOptions() for extra command-line options.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  virtual std::vector<std::string> ServerOptions() const { return {}; }
  // A new connection to the server; the test fails (fatally for ASSERT_NO_FATAL_FAILURE) if
  // it cannot connect.
  Client Connect();
  // Restarts the server and reconnects client_.
  void RestartAndReconnect();
  // Kills the server with SIGKILL (nothing flushed, no shutdown), restarts it on the same
  // data directory and reconnects client_.
  void Kill9AndReconnect();

  ServerProcess server_;
  Client client_;
};

struct ProgramResult {
  int exit_code = -1;  // 128 + signal when killed; -1 if it could not be run
  std::string out;
  std::string err;
  bool timed_out = false;  // killed because it outlived its wait
};

// Runs argv[0] (looked up in PATH) with stdin fed from `input`, capturing stdout and stderr.
ProgramResult RunProgram(const std::vector<std::string>& argv, const std::string& input = "",
                         std::chrono::milliseconds wait = std::chrono::minutes(4));
// redis-cli -h 127.0.0.1 -p port args...
ProgramResult RunCli(int port, const std::vector<std::string>& args, const std::string& input = "");
// redis-benchmark -h 127.0.0.1 -p port args...
ProgramResult RunBenchmark(int port, const std::vector<std::string>& args);

}  // namespace cairn::test
