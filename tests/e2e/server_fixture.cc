// ServerProcess (fork/exec of the server under test, readiness, stop/kill/restart), the
// ServerTest fixture, and RunProgram with its redis-cli / redis-benchmark wrappers.
#include "tests/e2e/server_fixture.h"

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace cairn::test {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kStartupDeadline{60};
constexpr std::chrono::milliseconds kPollInterval{20};
constexpr int kStartAttempts = 5;

// Exit code, or 128 + signal like a shell reports it.
int DecodeWaitStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Asks the kernel for a free loopback port. Another process may grab it before the server
// binds; Start() retries on a new port when that happens.
int PickFreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::string LastLines(const std::string& text, size_t lines) {
  size_t pos = text.size();
  if (pos > 0 && text[pos - 1] == '\n') --pos;
  for (size_t seen = 0; pos > 0; --pos) {
    if (text[pos - 1] == '\n' && ++seen == lines) break;
  }
  return text.substr(pos);
}

// argv as execv wants it; built before fork because the child may only make async-signal-safe
// calls (the test process can have threads).
std::vector<char*> ToArgv(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  return argv;
}

// Forks and execs args with the given standard descriptors. The child dies with the test
// process (PR_SET_PDEATHSIG), so a crashed or timed-out test leaves no server behind.
pid_t Spawn(const std::vector<std::string>& args, int in_fd, int out_fd, int err_fd) {
  std::vector<char*> argv = ToArgv(args);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid != 0) return pid;
  if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) _exit(127);
  if (close_range(3, ~0U, 0) != 0) {
    for (int fd = 3; fd < 65536; ++fd) close(fd);
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);
  // The harness ignores SIGPIPE; the program under test must choose for itself.
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigaction(SIGPIPE, &default_action, nullptr);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  execvp(argv[0], argv.data());
  static const char kMessage[] = "cairn e2e harness: exec failed\n";
  ssize_t ignored = write(2, kMessage, sizeof(kMessage) - 1);
  (void)ignored;
  _exit(127);
}

// Inodes of the LISTEN sockets on `port` in /proc/<pid>/net/tcp{,6}.
std::vector<std::string> ListeningInodes(pid_t pid, int port) {
  std::vector<std::string> inodes;
  char port_hex[8];
  std::snprintf(port_hex, sizeof(port_hex), "%04X", port);
  for (const char* table : {"tcp", "tcp6"}) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/net/" + table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      size_t colon = local.rfind(':');
      if (state == "0A" && colon != std::string::npos && local.substr(colon + 1) == port_hex) {
        inodes.push_back(inode);
      }
    }
  }
  return inodes;
}

bool KeepDirectoriesOfFailedTests() {
  const char* keep = std::getenv("CAIRN_KEEP_TEST_DIRS");
  return keep != nullptr && *keep != '\0' && std::string(keep) != "0";
}

}  // namespace

std::string DefaultServerBinary() {
  // An override lets the same tests run against another server, e.g. a reference
  // redis-server, to check what a test expects.
  if (const char* other = std::getenv("CAIRN_TEST_SERVER_BINARY"); other && *other) {
    return other;
  }
#ifdef CAIRN_SERVER_BINARY
  return CAIRN_SERVER_BINARY;
#else
  return "cairn-server";
#endif
}

ServerProcess::ServerProcess(std::string binary) : binary_(std::move(binary)) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/cairn-e2e-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) return;  // Start() reports it
  root_ = pattern;
  data_dir_ = root_ + "/data";
  log_path_ = root_ + "/server.log";
  std::filesystem::create_directory(data_dir_);
}

ServerProcess::~ServerProcess() {
  if (running()) Stop();
  bool failed = ::testing::Test::HasFailure();
  if (failed && !root_.empty()) {
    std::fprintf(stderr, "--- last lines of %s ---\n%s--- end of server log ---\n",
                 log_path_.c_str(), LogTail().c_str());
  }
  if (root_.empty()) return;
  if (failed && KeepDirectoriesOfFailedTests()) {
    std::fprintf(stderr, "kept %s\n", root_.c_str());
    return;
  }
  std::error_code ignored;
  std::filesystem::remove_all(root_, ignored);
}

::testing::AssertionResult ServerProcess::Start(const std::vector<std::string>& extra_options) {
  return StartWithConfig("", extra_options);
}

::testing::AssertionResult ServerProcess::StartWithConfig(
    const std::string& config_file, const std::vector<std::string>& extra_options) {
  if (running()) return ::testing::AssertionFailure() << "server already running";
  config_file_ = config_file;
  extra_options_ = extra_options;
  port_ = 0;
  return Launch(kStartAttempts);
}

::testing::AssertionResult ServerProcess::Restart() {
  if (running()) Stop();
  return Launch(kStartAttempts);
}

::testing::AssertionResult ServerProcess::Launch(int attempts) {
  if (root_.empty()) return ::testing::AssertionFailure() << "could not create a temp dir";
  ::testing::AssertionResult result = ::testing::AssertionFailure();
  for (int attempt = 0; attempt < attempts; ++attempt) {
    // A restart keeps its port, unless the port turns out to be taken.
    if (port_ == 0 || attempt > 0) port_ = PickFreePort();
    if (port_ == 0) return ::testing::AssertionFailure() << "no free port";
    std::vector<std::string> args = {binary_};
    if (!config_file_.empty()) args.push_back(config_file_);
    args.insert(args.end(),
                {"--port", std::to_string(port_), "--bind", "127.0.0.1", "--dir", data_dir_});
    args.insert(args.end(), extra_options_.begin(), extra_options_.end());

    int log_fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (log_fd < 0 || null_fd < 0) {
      for (int fd : {log_fd, null_fd}) {
        if (fd >= 0) close(fd);
      }
      return ::testing::AssertionFailure() << "cannot open " << log_path_;
    }
    std::string banner = "--- e2e harness: starting";
    for (const auto& a : args) banner += " " + a;
    banner += " ---\n";
    size_t log_offset = static_cast<size_t>(lseek(log_fd, 0, SEEK_END)) + banner.size();
    ssize_t ignored = write(log_fd, banner.data(), banner.size());
    (void)ignored;
    pid_ = Spawn(args, null_fd, log_fd, log_fd);
    close(log_fd);
    close(null_fd);
    if (pid_ < 0) return ::testing::AssertionFailure() << "fork: " << std::strerror(errno);

    result = WaitUntilReady();
    if (result) return result;
    // Only a lost race for the port is worth another try; any other failure is the answer.
    std::string whole_log = log();
    std::string this_run = whole_log.substr(std::min(log_offset, whole_log.size()));
    if (this_run.find("in use") == std::string::npos) break;
  }
  return result << "\n--- last lines of " << log_path_ << " ---\n" << LogTail();
}

bool ServerProcess::ReapIfExited() {
  if (pid_ <= 0) return true;
  int status = 0;
  pid_t reaped = waitpid(pid_, &status, WNOHANG);
  if (reaped == 0) return false;
  last_exit_ = reaped == pid_ ? DecodeWaitStatus(status) : -1;
  pid_ = -1;
  return true;
}

// The server is ours, not a concurrent test's that got the same port, if one of the LISTEN
// sockets on the port is among our child's descriptors.
bool ServerProcess::ListensOnPort() const {
  std::vector<std::string> inodes = ListeningInodes(pid_, port_);
  if (inodes.empty()) return false;
  std::string fd_dir = "/proc/" + std::to_string(pid_) + "/fd";
  DIR* dir = opendir(fd_dir.c_str());
  if (dir == nullptr) return false;
  bool found = false;
  while (dirent* entry = readdir(dir)) {
    char target[128];
    std::string link = fd_dir + "/" + entry->d_name;
    ssize_t n = readlink(link.c_str(), target, sizeof(target) - 1);
    if (n <= 0) continue;
    std::string socket(target, static_cast<size_t>(n));
    for (const auto& inode : inodes) found = found || socket == "socket:[" + inode + "]";
    if (found) break;
  }
  closedir(dir);
  return found;
}

::testing::AssertionResult ServerProcess::WaitUntilReady() {
  Clock::time_point deadline = Clock::now() + kStartupDeadline;
  while (Clock::now() < deadline) {
    if (ReapIfExited()) {
      return ::testing::AssertionFailure()
             << binary_ << " exited during start-up with status " << last_exit_;
    }
    if (ListensOnPort()) {
      Client probe;
      probe.SetTimeout(std::chrono::seconds(5));
      if (probe.Connect(port_)) {
        Reply pong = probe.Command({"PING"});
        // NOAUTH and the like still prove the server is serving; LOADING does not.
        bool serving = pong.type() == ReplyType::kStatus ||
                       (pong.is_error() && !pong.text().starts_with("LOADING"));
        if (serving) return ::testing::AssertionSuccess();
      }
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  Kill9();
  return ::testing::AssertionFailure() << binary_ << " did not answer PING on port " << port_
                                       << " within " << kStartupDeadline.count() << " s";
}

int ServerProcess::Stop(std::chrono::milliseconds wait) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  Clock::time_point deadline = Clock::now() + wait;
  while (!ReapIfExited()) {
    if (Clock::now() >= deadline) {
      ADD_FAILURE() << "server " << pid_ << " ignored SIGTERM; killing it";
      Kill9();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return last_exit_;
}

void ServerProcess::Kill9() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  last_exit_ = DecodeWaitStatus(status);
  pid_ = -1;
}

std::string ServerProcess::log() const { return ReadWholeFile(log_path_); }

std::string ServerProcess::LogTail(size_t lines) const { return LastLines(log(), lines); }

std::string ServerProcess::WriteFile(const std::string& name, const std::string& contents) const {
  std::string path = root_ + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  return path;
}

// ---------------------------------------------------------------------------------------------

void ServerTest::SetUp() {
  ASSERT_TRUE(server_.Start(ServerOptions()));
  ASSERT_TRUE(client_.Connect(server_.port()));
}

Client ServerTest::Connect() {
  Client client;
  EXPECT_TRUE(client.Connect(server_.port()));
  return client;
}

void ServerTest::RestartAndReconnect() {
  ASSERT_TRUE(server_.Restart());
  ASSERT_TRUE(client_.Connect(server_.port()));
}

void ServerTest::Kill9AndReconnect() {
  server_.Kill9();
  RestartAndReconnect();
}

// ---------------------------------------------------------------------------------------------

namespace {

// Moves bytes between the child's pipes and our strings until both outputs close or the
// deadline passes. Returns false on timeout.
bool PumpPipes(int in_fd, int out_fd, int err_fd, const std::string& input, ProgramResult* r,
               Clock::time_point deadline) {
  size_t written = 0;
  if (input.empty()) {
    close(in_fd);
    in_fd = -1;
  }
  while (out_fd >= 0 || err_fd >= 0) {
    pollfd fds[3] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}, {in_fd, POLLOUT, 0}};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    if (poll(fds, 3, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    int* outputs[2] = {&out_fd, &err_fd};
    std::string* sinks[2] = {&r->out, &r->err};
    for (int i = 0; i < 2; ++i) {
      if (*outputs[i] < 0 || fds[i].revents == 0) continue;
      char chunk[16384];
      ssize_t n = read(*outputs[i], chunk, sizeof(chunk));
      if (n > 0) sinks[i]->append(chunk, static_cast<size_t>(n));
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
        close(*outputs[i]);
        *outputs[i] = -1;
      }
    }
    if (in_fd >= 0 && fds[2].revents != 0) {
      ssize_t n = write(in_fd, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      bool broken = n < 0 && errno != EAGAIN && errno != EINTR;
      if (broken || written == input.size()) {
        close(in_fd);
        in_fd = -1;
      }
    }
  }
  bool finished = out_fd < 0 && err_fd < 0;
  for (int fd : {in_fd, out_fd, err_fd}) {
    if (fd >= 0) close(fd);
  }
  return finished;
}

}  // namespace

ProgramResult RunProgram(const std::vector<std::string>& argv, const std::string& input,
                         std::chrono::milliseconds wait) {
  std::signal(SIGPIPE, SIG_IGN);  // the child may exit before reading all of `input`
  ProgramResult result;
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    result.err = "pipe: " + std::string(std::strerror(errno));
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) {
      if (fd >= 0) close(fd);
    }
    return result;
  }
  // Never block on a child that stops reading its input while we should drain its output.
  fcntl(in[1], F_SETFL, O_NONBLOCK);
  pid_t pid = Spawn(argv, in[0], out[1], err[1]);
  for (int fd : {in[0], out[1], err[1]}) close(fd);
  if (pid < 0) {
    for (int fd : {in[1], out[0], err[0]}) close(fd);
    return result;
  }
  result.timed_out = !PumpPipes(in[1], out[0], err[0], input, &result, Clock::now() + wait);
  if (result.timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = DecodeWaitStatus(status);
  return result;
}

ProgramResult RunCli(int port, const std::vector<std::string>& args, const std::string& input) {
  std::vector<std::string> argv = {"redis-cli", "-h", "127.0.0.1", "-p", std::to_string(port)};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram(argv, input, std::chrono::minutes(1));
}

ProgramResult RunBenchmark(int port, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"redis-benchmark", "-h", "127.0.0.1", "-p",
                                   std::to_string(port)};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram(argv);
}

}  // namespace cairn::test
