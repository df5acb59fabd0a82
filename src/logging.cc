// Server log: Redis-style lines, one mutex so lines from workers never interleave.
#include "src/logging.h"

#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace cairn {
namespace {

std::mutex log_mutex;
FILE* log_file = stdout;
std::atomic<int> log_level{static_cast<int>(LogLevel::kNotice)};

}  // namespace

bool OpenLog(const std::string& path, std::string* error) {
  std::lock_guard<std::mutex> lock(log_mutex);
  if (path.empty()) {
    log_file = stdout;
    return true;
  }
  FILE* file = fopen(path.c_str(), "a");
  if (file == nullptr) {
    *error = "Can't open the log file: " + path;
    return false;
  }
  if (log_file != stdout) fclose(log_file);
  log_file = file;
  return true;
}

void SetLogLevel(LogLevel level) { log_level.store(static_cast<int>(level)); }

bool ParseLogLevel(const std::string& name, LogLevel* level) {
  static const struct {
    const char* name;
    LogLevel level;
  } kLevels[] = {{"debug", LogLevel::kDebug},
                 {"verbose", LogLevel::kVerbose},
                 {"notice", LogLevel::kNotice},
                 {"warning", LogLevel::kWarning},
                 {"nothing", LogLevel::kNothing}};
  for (const auto& entry : kLevels) {
    if (name == entry.name) {
      *level = entry.level;
      return true;
    }
  }
  return false;
}

void Log(LogLevel level, const std::string& message) {
  if (static_cast<int>(level) < log_level.load(std::memory_order_relaxed)) return;
  static const char kMarks[] = ".-*#";
  timeval now;
  gettimeofday(&now, nullptr);
  tm local;
  localtime_r(&now.tv_sec, &local);
  char stamp[64];
  size_t length = strftime(stamp, sizeof(stamp), "%d %b %Y %H:%M:%S", &local);
  snprintf(stamp + length, sizeof(stamp) - length, ".%03d", static_cast<int>(now.tv_usec / 1000));
  std::lock_guard<std::mutex> lock(log_mutex);
  fprintf(log_file, "%d:M %s %c %s\n", static_cast<int>(getpid()), stamp,
          kMarks[static_cast<int>(level)], message.c_str());
  fflush(log_file);
}

}  // namespace cairn
