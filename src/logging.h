// Server log in Redis's format ("pid:M 23 Nov 2026 22:40:00.123 * message"), written to
// the configured logfile or stdout, filtered by loglevel.
#pragma once

#include <string>

namespace cairn {

enum class LogLevel { kDebug = 0, kVerbose = 1, kNotice = 2, kWarning = 3, kNothing = 4 };

// Empty path logs to stdout. Returns false (with *error) if the file cannot be opened.
bool OpenLog(const std::string& path, std::string* error);
void SetLogLevel(LogLevel level);
bool ParseLogLevel(const std::string& name, LogLevel* level);

void Log(LogLevel level, const std::string& message);
inline void LogDebug(const std::string& message) { Log(LogLevel::kDebug, message); }
inline void LogVerbose(const std::string& message) { Log(LogLevel::kVerbose, message); }
inline void LogNotice(const std::string& message) { Log(LogLevel::kNotice, message); }
inline void LogWarning(const std::string& message) { Log(LogLevel::kWarning, message); }

}  // namespace cairn
