// Option parsing and stderr reporting for cairn-backup subcommands.
#include "tools/backup/cli.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <iostream>

namespace cairn {

namespace {

bool Listed(std::initializer_list<const char*> names, const std::string& name) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return name == n; });
}

}  // namespace

bool CommandLine::Parse(const std::vector<std::string>& args,
                        std::initializer_list<const char*> with_value,
                        std::initializer_list<const char*> flags, std::string* error) {
  for (size_t i = 0; i < args.size(); i++) {
    const std::string& word = args[i];
    if (word == "--help" || word == "-h") {
      help_ = true;
      continue;
    }
    if (word.rfind("--", 0) != 0) {
      *error = "unexpected argument '" + word + "'";
      return false;
    }
    std::string name = word.substr(2);
    bool takes_value = Listed(with_value, name);
    if (!takes_value && !Listed(flags, name)) {
      *error = "unknown option '" + word + "'";
      return false;
    }
    if (values_.count(name) > 0) {
      *error = "option '" + word + "' given twice";
      return false;
    }
    if (!takes_value) {
      values_[name] = "";
      continue;
    }
    if (i + 1 >= args.size()) {
      *error = "option '" + word + "' needs a value";
      return false;
    }
    values_[name] = args[++i];
  }
  return true;
}

std::string CommandLine::Get(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::string() : it->second;
}

bool CommandLine::GetUint(const std::string& name, uint64_t* out, std::string* error) const {
  std::string text = Get(name);
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  if (text.empty() || ec != std::errc() || ptr != end) {
    *error = "--" + name + " needs a non-negative integer, got '" + text + "'";
    return false;
  }
  return true;
}

bool RequireOptions(const CommandLine& line, std::initializer_list<const char*> names,
                    std::string* error) {
  for (const char* name : names) {
    if (!line.Has(name)) {
      *error = std::string("missing required option --") + name;
      return false;
    }
  }
  return true;
}

int Fail(const std::string& subcommand, int code, const std::string& message) {
  std::cerr << "cairn-backup " << subcommand << ": " << message << "\n";
  if (code == kExitUsage) {
    std::cerr << "Run 'cairn-backup " << subcommand << " --help' for usage.\n";
  }
  return code;
}

void Progress(const std::string& subcommand, const std::string& message) {
  std::cerr << "cairn-backup " << subcommand << ": " << message << std::endl;
}

std::string HumanBytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    unit++;
  }
  char text[32];
  if (unit == 0) {
    std::snprintf(text, sizeof(text), "%llu B", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(text, sizeof(text), "%.1f %s", value, kUnits[unit]);
  }
  return text;
}

}  // namespace cairn
