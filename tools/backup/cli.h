// Command-line plumbing shared by every cairn-backup subcommand: the exit codes scripts rely
// on, `--name value` / `--flag` option parsing, and progress and error output on stderr.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

namespace cairn {

// Documented in `cairn-backup --help`; scripts match on them, so never renumber.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// The options of one subcommand. Every option is spelled `--name`; those listed as taking a
// value consume the next word. `--help`/`-h` is always accepted.
class CommandLine {
 public:
  // False with *error on an unknown option, a missing value, a repeated option or a stray
  // positional word.
  bool Parse(const std::vector<std::string>& args, std::initializer_list<const char*> with_value,
             std::initializer_list<const char*> flags, std::string* error);

  bool help() const { return help_; }
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  // The value of an option that takes one ("" for a flag or an absent option).
  std::string Get(const std::string& name) const;
  // A non-negative integer option; false with *error if it is not one.
  bool GetUint(const std::string& name, uint64_t* out, std::string* error) const;

 private:
  bool help_ = false;
  std::map<std::string, std::string> values_;
};

// Checks that each named option is present; false with *error naming the first missing one.
bool RequireOptions(const CommandLine& line, std::initializer_list<const char*> names,
                    std::string* error);

// "cairn-backup <subcommand>: <message>" on stderr, plus a pointer to --help for usage errors;
// returns `code` so handlers can `return Fail(...)`.
int Fail(const std::string& subcommand, int code, const std::string& message);

// One progress line on stderr (operators watch long operations; stdout stays parseable).
void Progress(const std::string& subcommand, const std::string& message);

// "12.3 MiB"-style rendering of a byte count.
std::string HumanBytes(uint64_t bytes);

}  // namespace cairn
