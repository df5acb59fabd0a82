// cairn-server entry point: `cairn-server [config-file] [--option value ...]`.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "src/config/config.h"
#include "src/logging.h"
#include "src/server.h"
#include "src/version.h"

namespace {

void PrintUsage() {
  fprintf(stderr,
          "Usage: ./cairn-server [/path/to/cairn.conf] [options]\n"
          "       ./cairn-server -v or --version\n"
          "       ./cairn-server -h or --help\n\n"
          "Examples:\n"
          "       ./cairn-server (run the server with default conf)\n"
          "       ./cairn-server conf/cairn.conf\n"
          "       ./cairn-server --port 7777\n"
          "       ./cairn-server conf/cairn.conf --loglevel verbose\n");
}

bool Daemonize(std::string* error) {
  pid_t pid = fork();
  if (pid < 0) {
    *error = std::string("fork failed: ") + strerror(errno);
    return false;
  }
  if (pid > 0) _exit(0);
  setsid();
  FILE* ignored = freopen("/dev/null", "r", stdin);
  (void)ignored;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "-v" || args[0] == "--version")) {
    printf("Cairn server v=%s (Redis %s protocol)\n", cairn::kCairnVersion,
           cairn::kRedisCompatibleVersion);
    return 0;
  }
  if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
    PrintUsage();
    return 0;
  }
  cairn::Config config;
  std::string config_file;
  std::string error;
  if (!args.empty() && args[0].rfind("--", 0) != 0) {
    config_file = args[0];
    args.erase(args.begin());
  }
  if (!config.Load(config_file, args, &error)) {
    fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  if (config.daemonize() && !Daemonize(&error)) {
    fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  if (!cairn::OpenLog(config.logfile(), &error)) {
    fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  cairn::LogLevel level;
  if (cairn::ParseLogLevel(config.loglevel(), &level)) cairn::SetLogLevel(level);
  std::string pidfile = config.pidfile();
  if (pidfile.empty() && config.daemonize())
    pidfile = "/var/run/cairn_" + std::to_string(config.port()) + ".pid";
  cairn::LogNotice(std::string("Cairn version=") + cairn::kCairnVersion +
                   ", pid=" + std::to_string(getpid()) + ", just started");
  cairn::Server server(&config);
  server.set_config_file(config_file);
  if (!server.Start(&error)) {
    cairn::LogWarning(error);
    fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  if (!pidfile.empty()) std::ofstream(pidfile) << getpid() << "\n";
  server.Run();
  if (!pidfile.empty()) unlink(pidfile.c_str());
  return 0;
}
