// CommandSpec: everything the server knows about one command (or subcommand) — Redis 7.0's
// arity, flags, ACL categories, key specs and tips, read from the embedded command facts —
// plus its handler. Also the flag bit sets and the name tables COMMAND and ACL reply with.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "src/command.h"

namespace cairn {

struct JsonValue;

// Command flags (Redis's CMD_*). Values are bits of CommandSpec::flags.
enum class CommandFlag : uint64_t {
  kWrite = 1ull << 0,
  kReadonly = 1ull << 1,
  kDenyOom = 1ull << 2,
  kModule = 1ull << 3,
  kAdmin = 1ull << 4,
  kPubsub = 1ull << 5,
  kNoScript = 1ull << 6,
  kBlocking = 1ull << 7,
  kLoading = 1ull << 8,
  kStale = 1ull << 9,
  kSkipMonitor = 1ull << 10,
  kSkipSlowlog = 1ull << 11,
  kAsking = 1ull << 12,
  kFast = 1ull << 13,
  kNoAuth = 1ull << 14,
  kMayReplicate = 1ull << 15,
  kSentinel = 1ull << 16,
  kOnlySentinel = 1ull << 17,
  kNoMandatoryKeys = 1ull << 18,
  kProtected = 1ull << 19,
  kNoAsyncLoading = 1ull << 20,
  kNoMulti = 1ull << 21,
  kMovableKeys = 1ull << 22,  // derived from the key specs, never in the facts
  kAllowBusy = 1ull << 23,
  kTouchesArbitraryKeys = 1ull << 24,
};

// ACL categories (Redis's ACL_CATEGORY_*). Values are bits of CommandSpec::acl_categories.
enum class AclCategory : uint64_t {
  kKeyspace = 1ull << 0,
  kRead = 1ull << 1,
  kWrite = 1ull << 2,
  kSet = 1ull << 3,
  kSortedSet = 1ull << 4,
  kList = 1ull << 5,
  kHash = 1ull << 6,
  kString = 1ull << 7,
  kBitmap = 1ull << 8,
  kHyperLogLog = 1ull << 9,
  kGeo = 1ull << 10,
  kStream = 1ull << 11,
  kPubsub = 1ull << 12,
  kAdmin = 1ull << 13,
  kFast = 1ull << 14,
  kSlow = 1ull << 15,
  kBlocking = 1ull << 16,
  kDangerous = 1ull << 17,
  kConnection = 1ull << 18,
  kTransaction = 1ull << 19,
  kScripting = 1ull << 20,
};

// Key spec flags (Redis's CMD_KEY_*). Values are bits of KeySpec::flags / KeyReference::flags.
enum class KeySpecFlag : uint32_t {
  kRO = 1u << 0,
  kRW = 1u << 1,
  kOW = 1u << 2,
  kRM = 1u << 3,
  kAccess = 1u << 4,
  kUpdate = 1u << 5,
  kInsert = 1u << 6,
  kDelete = 1u << 7,
  kNotKey = 1u << 8,
  kIncomplete = 1u << 9,
  kVariableFlags = 1u << 10,
};

constexpr uint64_t Bit(CommandFlag flag) { return static_cast<uint64_t>(flag); }
constexpr uint64_t Bit(AclCategory category) { return static_cast<uint64_t>(category); }
constexpr uint32_t Bit(KeySpecFlag flag) { return static_cast<uint32_t>(flag); }

// One entry of a name table: the bit, its spelling in the facts, and the spelling Redis
// replies with ("" when Redis hides the flag, as it does for "sentinel" or "protected").
struct FlagName {
  uint64_t bit;
  std::string_view facts_name;
  std::string_view reply_name;
};

// The tables in the order Redis replies with them (COMMAND INFO, ACL CAT, ...).
std::span<const FlagName> CommandFlagNames();
std::span<const FlagName> AclCategoryNames();  // reply names without the '@'
std::span<const FlagName> KeySpecFlagNames();

// The reply names of the bits set in `bits`, in table order, hidden ones left out.
std::vector<std::string_view> ReplyNamesOf(uint64_t bits, std::span<const FlagName> table);

// ACLGetCommandCategoryFlagByName: case-insensitive, 0 when there is no such category.
uint64_t AclCategoryByName(std::string_view name);

// Where a command's keys are in its arguments (a Redis 7.0 key spec).
struct KeySpec {
  enum class BeginSearch { kUnknown, kIndex, kKeyword };
  enum class FindKeys { kUnknown, kRange, kKeynum };

  uint32_t flags = 0;  // KeySpecFlag bits
  BeginSearch begin_search = BeginSearch::kUnknown;
  int index = 0;        // kIndex: the argument position searching starts at
  std::string keyword;  // kKeyword: the token the keys follow
  int startfrom = 0;    // kKeyword: where the search for it starts; negative counts from the end
  FindKeys find_keys = FindKeys::kUnknown;
  int lastkey = 0;    // kRange: last key relative to the first; negative counts from the end
  int limit = 0;      // kRange with lastkey -1: only 1/limit of the remaining arguments
  int keynumidx = 0;  // kKeynum: where the key count is, relative to the begin-search result
  int firstkey = 0;   // kKeynum: where the first key is, relative to the same
  int keystep = 1;    // kRange and kKeynum: distance between keys
};

// A key found in a command's arguments: its position in args and its KeySpecFlag bits.
struct KeyReference {
  size_t position;
  uint32_t flags;
};

// Redis's getkeys_proc: finds keys by parsing arguments, for commands whose key specs cannot
// say everything (SORT ... STORE, MIGRATE ... KEYS, SET's GET-dependent flags). Appends
// nothing when the arguments hold no valid keys.
using NativeKeysProc = void (*)(std::span<const std::string> args, std::vector<KeyReference>* keys);

struct CommandStats;

struct CommandSpec {
  std::string name;                     // lower case as declared: "get", "kill"
  std::string full_name;                // what Redis shows: "get", "client|kill"
  const CommandSpec* parent = nullptr;  // the container of a subcommand
  int arity = 0;                        // Redis's arity: N means exactly N arguments, -N at least N
  uint64_t flags = 0;                   // CommandFlag bits (with kMovableKeys derived)
  uint64_t acl_categories = 0;          // AclCategory bits, implicit ones included
  std::vector<KeySpec> key_specs;
  // The legacy (first, last, step) key range of COMMAND INFO, as
  // populateCommandLegacyRangeSpec derives it; all 0 when the command has none.
  int first_key = 0;
  int last_key = 0;
  int key_step = 0;
  std::vector<std::string> tips;  // lower case: "nondeterministic_output", ...
  std::string group;              // as COMMAND DOCS shows it: "string", "sorted-set", ...
  std::string since;
  // Runs the command. A container's handler serves it without a subcommand and is null
  // for every container except those whose arity allows that (COMMAND).
  CommandHandler handler = nullptr;
  NativeKeysProc native_keys = nullptr;
  std::vector<std::unique_ptr<CommandSpec>> subcommands;  // sorted by name
  const JsonValue* facts = nullptr;                       // the raw facts, for COMMAND DOCS
  // The command's INFO commandstats counters (src/stats.h), bound once the server has
  // built its table, so the dispatcher counts a call without a lookup by name.
  mutable CommandStats* stats = nullptr;

  bool HasFlag(CommandFlag flag) const { return (flags & Bit(flag)) != 0; }
  bool InCategory(AclCategory category) const { return (acl_categories & Bit(category)) != 0; }
  bool is_container() const { return !subcommands.empty(); }
  // Case-insensitive; nullptr when there is no such subcommand.
  const CommandSpec* FindSubcommand(std::string_view sub_name) const;
};

// Fills *spec from the facts of one command (an entry of redis-7.0-commands.json): arity,
// flags, ACL categories with the implicit ones, key specs, the legacy key range, tips,
// group and since. `facts_name` is the entry's key ("GET", "CLIENT KILL"). Leaves handler,
// subcommands and parent alone. On malformed facts returns false with *error set.
bool SpecFromFacts(std::string_view facts_name, const JsonValue& facts, CommandSpec* spec,
                   std::string* error);

}  // namespace cairn
