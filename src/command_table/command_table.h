// CommandTable: the commands this server implements, as data. Group files register their
// handlers (CommandRegistry::Add); Build() joins them with Redis 7.0's command facts. The
// dispatcher then resolves a request to its CommandSpec, checks arity and finds the keys
// to lock; COMMAND, ACL and cluster routing read the same specs.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "src/command.h"
#include "src/command_table/command_keys.h"
#include "src/command_table/command_spec.h"
#include "src/command_table/json.h"

namespace cairn {

// The text of redis-7.0-commands.json, embedded by the build.
extern const std::string_view kCommandFactsJson;

class CommandTable : public CommandRegistry {
 public:
  CommandTable();  // uses the embedded facts
  explicit CommandTable(std::string_view facts_json);
  ~CommandTable() override;
  CommandTable(const CommandTable&) = delete;
  CommandTable& operator=(const CommandTable&) = delete;

  // Registers a handler for "GET" or "CLIENT KILL" (any case). Errors surface in Build().
  void Add(const std::string& name, CommandHandler handler) override;

  // Builds the table from the registered handlers. Fails (with *error) when the facts do not
  // parse, a name has no facts, is registered twice or has a null handler, or a container
  // would be callable without a subcommand but has no handler of its own. A container
  // exists when any of its subcommands is registered, and lists only those.
  bool Build(std::string* error);

  // Redis's lookupCommand plus commandCheckExistence: resolves args[0] (and args[1] for a
  // container) case-insensitively. On failure returns nullptr and sets *error to Redis's
  // text: "ERR unknown command 'foo', with args beginning with: 'a' 'b' " or
  // "ERR unknown subcommand 'foo'. Try CLIENT HELP.". A container called without a
  // subcommand resolves to the container itself (CheckArity then rejects it).
  const CommandSpec* Lookup(std::span<const std::string> args, std::string* error) const;
  // The same resolution without an error text (COMMAND GETKEYS).
  const CommandSpec* Find(std::span<const std::string> args) const;
  // lookupCommandBySds: "get", "client", "client|kill" (any case); nullptr when unknown or
  // when the name does not match the command's shape ("get|x", "client|", "a|b|c").
  const CommandSpec* FindByFullName(std::string_view full_name) const;

  // commandCheckArity; *error (if given) gets
  // "ERR wrong number of arguments for 'client|kill' command".
  static bool CheckArity(const CommandSpec& spec, size_t argc, std::string* error = nullptr);
  // The positions in args of the keys the command touches (GetCommandKeys), in spec order;
  // empty when it touches none or its arguments are malformed.
  static std::vector<size_t> KeyPositions(const CommandSpec& spec,
                                          std::span<const std::string> args);

  // Top-level commands (COMMAND COUNT), sorted by name.
  size_t size() const { return commands_.size(); }
  std::vector<std::unique_ptr<CommandSpec>>::const_iterator begin() const {
    return commands_.begin();
  }
  std::vector<std::unique_ptr<CommandSpec>>::const_iterator end() const { return commands_.end(); }
  // Every command, each container followed by its subcommands.
  void ForEach(const std::function<void(const CommandSpec&)>& visit) const;
  // The full names of every command and subcommand, in ForEach order.
  std::vector<std::string> FullNames() const;

 private:
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view name) const;
  };
  struct NameEqual {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const;
  };
  using FactsIndex = std::unordered_map<std::string_view, const JsonValue*>;

  bool ParseFacts(FactsIndex* index, std::string* error);
  bool AddRegistered(const FactsIndex& index, const std::string& name, CommandHandler handler,
                     std::string* error);
  CommandSpec* TopLevel(const FactsIndex& index, const std::string& name, std::string* error);
  bool Finish(std::string* error);

  std::string_view facts_json_;
  JsonValue facts_;
  std::vector<std::pair<std::string, CommandHandler>> registered_;
  std::vector<std::unique_ptr<CommandSpec>> commands_;
  std::unordered_map<std::string, CommandSpec*, NameHash, NameEqual> by_name_;
};

}  // namespace cairn
