// Helpers for the cairn-backup e2e tests: running the tool, and reading figures from its
// output.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <regex>
#include <string>
#include <vector>

#include "tests/e2e/server_fixture.h"

namespace cairn::test {

// cairn-backup args...; the failure message of a test shows both output streams.
inline ProgramResult RunBackupTool(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {CAIRN_BACKUP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram(argv);
}

inline std::string Describe(const ProgramResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "\nstderr:\n" +
         result.err;
}

// The number after `label` in `text` (e.g. "new files copied (" -> bytes); -1 if absent.
inline int64_t NumberAfter(const std::string& text, const std::string& label) {
  size_t at = text.find(label);
  if (at == std::string::npos) return -1;
  return std::stoll(text.substr(at + label.size()));
}

// The number just before `label` (e.g. " new files copied"); -1 if absent.
inline int64_t NumberBefore(const std::string& text, const std::string& label) {
  size_t at = text.find(label);
  if (at == std::string::npos) return -1;
  size_t start = text.find_last_not_of("0123456789", at - 1);
  start = start == std::string::npos ? 0 : start + 1;
  return start < at ? std::stoll(text.substr(start, at - start)) : -1;
}

// Backup ids in `list` output, in order.
inline std::vector<int> ListedIds(const std::string& list_output) {
  std::vector<int> ids;
  std::regex row("^(\\d+) ");
  std::smatch match;
  size_t start = 0;
  while (start < list_output.size()) {
    size_t end = list_output.find('\n', start);
    std::string line = list_output.substr(start, end - start);
    if (std::regex_search(line, match, row)) ids.push_back(std::stoi(match[1]));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return ids;
}

}  // namespace cairn::test
