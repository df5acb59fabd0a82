// CommandTable: joining registered handlers with the command facts, and the lookups the
// dispatcher and COMMAND make, with Redis 7.0's error texts.
#include "src/command_table/command_table.h"

#include <algorithm>

#include "src/command_table/ascii.h"

namespace cairn {
namespace {

// What printf's "%s" shows of an argument: the bytes before the first NUL.
std::string_view AsCString(std::string_view text) { return text.substr(0, text.find('\0')); }

// An error line cannot carry CR or LF (the arguments come from the user).
std::string WithoutNewlines(std::string text) {
  std::replace(text.begin(), text.end(), '\r', ' ');
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

// commandCheckExistence's text for a command that is not in the table.
std::string UnknownCommandError(std::span<const std::string> args) {
  constexpr size_t kMaxShown = 128;
  std::string shown_args;
  for (size_t i = 1; i < args.size() && shown_args.size() < kMaxShown; ++i) {
    // Like "'%.*s' " with a precision of what is left of the 128 bytes.
    size_t precision = kMaxShown - shown_args.size();
    shown_args += '\'';
    shown_args += AsCString(args[i]).substr(0, precision);
    shown_args += "' ";
  }
  std::string_view name = args.empty() ? std::string_view() : AsCString(args[0]);
  return WithoutNewlines("ERR unknown command '" + std::string(name.substr(0, kMaxShown)) +
                         "', with args beginning with: " + shown_args);
}

bool SortByName(const std::unique_ptr<CommandSpec>& a, const std::unique_ptr<CommandSpec>& b) {
  return a->name < b->name;
}

}  // namespace

size_t CommandTable::NameHash::operator()(std::string_view name) const {
  size_t hash = 14695981039346656037ull;  // FNV-1a over the lower-cased bytes
  for (char c : name) {
    hash ^= static_cast<unsigned char>(AsciiLower(c));
    hash *= 1099511628211ull;
  }
  return hash;
}

bool CommandTable::NameEqual::operator()(std::string_view a, std::string_view b) const {
  return AsciiEqualsNoCase(a, b);
}

CommandTable::CommandTable() : CommandTable(kCommandFactsJson) {}

CommandTable::CommandTable(std::string_view facts_json) : facts_json_(facts_json) {}

CommandTable::~CommandTable() = default;

void CommandTable::Add(const std::string& name, CommandHandler handler) {
  registered_.emplace_back(AsciiUppered(name), handler);
}

bool CommandTable::ParseFacts(FactsIndex* index, std::string* error) {
  if (facts_.is_null()) {
    std::string parse_error;
    if (!ParseJson(facts_json_, &facts_, &parse_error)) {
      *error = "cannot parse the command facts: " + parse_error;
      return false;
    }
    if (!facts_.is_object()) {
      *error = "the command facts are not a JSON object";
      return false;
    }
  }
  for (const JsonMember& member : facts_.object) index->emplace(member.key, &member.value);
  return true;
}

// The top-level spec of `name`, created from its facts the first time it is asked for.
CommandSpec* CommandTable::TopLevel(const FactsIndex& index, const std::string& name,
                                    std::string* error) {
  auto existing = by_name_.find(std::string_view(name));
  if (existing != by_name_.end()) return existing->second;
  auto facts = index.find(name);
  if (facts == index.end()) {
    *error = "no Redis 7.0 command facts for '" + name + "'";
    return nullptr;
  }
  auto spec = std::make_unique<CommandSpec>();
  if (!SpecFromFacts(name, *facts->second, spec.get(), error)) return nullptr;
  CommandSpec* raw = spec.get();
  by_name_.emplace(raw->name, raw);
  commands_.push_back(std::move(spec));
  return raw;
}

bool CommandTable::AddRegistered(const FactsIndex& index, const std::string& name,
                                 CommandHandler handler, std::string* error) {
  if (handler == nullptr) {
    *error = "command '" + name + "' registered without a handler";
    return false;
  }
  auto facts = index.find(name);
  if (facts == index.end()) {
    *error = "no Redis 7.0 command facts for '" + name + "'";
    return false;
  }
  const JsonValue* container = facts->second->Find("container");
  if (container == nullptr) {
    CommandSpec* spec = TopLevel(index, name, error);
    if (spec == nullptr) return false;
    if (spec->handler != nullptr) {
      *error = "command '" + name + "' registered twice";
      return false;
    }
    spec->handler = handler;
    return true;
  }
  if (!container->is_string()) {
    *error = "bad command facts for '" + name + "': 'container' must be a string";
    return false;
  }
  CommandSpec* parent = TopLevel(index, container->string, error);
  if (parent == nullptr) return false;
  auto sub = std::make_unique<CommandSpec>();
  if (!SpecFromFacts(name, *facts->second, sub.get(), error)) return false;
  if (parent->FindSubcommand(sub->name) != nullptr) {
    *error = "command '" + name + "' registered twice";
    return false;
  }
  sub->handler = handler;
  parent->subcommands.push_back(std::move(sub));
  return true;
}

bool CommandTable::Finish(std::string* error) {
  std::sort(commands_.begin(), commands_.end(), SortByName);
  for (const auto& command : commands_) {
    command->native_keys = NativeKeysProcFor(command->full_name);
    std::sort(command->subcommands.begin(), command->subcommands.end(), SortByName);
    for (const auto& sub : command->subcommands) {
      sub->parent = command.get();
      sub->full_name = command->name + "|" + sub->name;
      sub->native_keys = NativeKeysProcFor(sub->full_name);
    }
    if (command->handler == nullptr && CheckArity(*command, 1)) {
      *error = "container '" + command->name + "' can be called without a subcommand " +
               "but has no handler for that";
      return false;
    }
  }
  return true;
}

bool CommandTable::Build(std::string* error) {
  commands_.clear();
  by_name_.clear();
  FactsIndex index;
  if (!ParseFacts(&index, error)) return false;
  for (const auto& [name, handler] : registered_) {
    if (!AddRegistered(index, name, handler, error)) return false;
  }
  return Finish(error);
}

const CommandSpec* CommandTable::Find(std::span<const std::string> args) const {
  if (args.empty()) return nullptr;
  auto found = by_name_.find(std::string_view(args[0]));
  if (found == by_name_.end()) return nullptr;
  const CommandSpec* base = found->second;
  if (args.size() == 1 || !base->is_container()) return base;
  return base->FindSubcommand(args[1]);
}

const CommandSpec* CommandTable::Lookup(std::span<const std::string> args,
                                        std::string* error) const {
  const CommandSpec* spec = Find(args);
  if (spec != nullptr || error == nullptr) return spec;
  auto base = args.empty() ? by_name_.end() : by_name_.find(std::string_view(args[0]));
  if (base != by_name_.end() && base->second->is_container()) {
    // The container exists, so the subcommand is what is unknown.
    *error = WithoutNewlines("ERR unknown subcommand '" +
                             std::string(AsCString(args[1]).substr(0, 128)) + "'. Try " +
                             AsciiUppered(AsCString(args[0])) + " HELP.");
  } else {
    *error = UnknownCommandError(args);
  }
  return nullptr;
}

const CommandSpec* CommandTable::FindByFullName(std::string_view full_name) const {
  if (full_name.empty()) return nullptr;
  size_t bar = full_name.find('|');
  if (bar == std::string_view::npos) {
    auto found = by_name_.find(full_name);
    return found == by_name_.end() ? nullptr : found->second;
  }
  std::string_view sub_name = full_name.substr(bar + 1);
  if (sub_name.find('|') != std::string_view::npos) return nullptr;  // one level only
  auto found = by_name_.find(full_name.substr(0, bar));
  if (found == by_name_.end() || !found->second->is_container()) return nullptr;
  return found->second->FindSubcommand(sub_name);
}

bool CommandTable::CheckArity(const CommandSpec& spec, size_t argc, std::string* error) {
  int64_t count = static_cast<int64_t>(argc);
  if ((spec.arity > 0 && spec.arity != count) || count < -static_cast<int64_t>(spec.arity)) {
    if (error != nullptr) {
      *error = "ERR wrong number of arguments for '" + spec.full_name + "' command";
    }
    return false;
  }
  return true;
}

std::vector<size_t> CommandTable::KeyPositions(const CommandSpec& spec,
                                               std::span<const std::string> args) {
  std::vector<KeyReference> keys;
  GetCommandKeys(spec, args, &keys);
  std::vector<size_t> positions;
  positions.reserve(keys.size());
  for (const KeyReference& key : keys) positions.push_back(key.position);
  return positions;
}

void CommandTable::ForEach(const std::function<void(const CommandSpec&)>& visit) const {
  for (const auto& command : commands_) {
    visit(*command);
    for (const auto& sub : command->subcommands) visit(*sub);
  }
}

std::vector<std::string> CommandTable::FullNames() const {
  std::vector<std::string> names;
  ForEach([&names](const CommandSpec& spec) { names.push_back(spec.full_name); });
  return names;
}

}  // namespace cairn
