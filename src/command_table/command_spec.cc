// From the JSON facts of one command to its CommandSpec, with the derivations Redis 7.0
// makes at start-up: implicit ACL categories (setImplicitACLCategories) and the legacy key
// range plus the movablekeys flag (populateCommandLegacyRangeSpec).
#include "src/command_table/command_spec.h"

#include <algorithm>
#include <climits>

#include "src/command_table/ascii.h"
#include "src/command_table/json.h"

namespace cairn {
namespace {

constexpr FlagName kCommandFlagNames[] = {
    {Bit(CommandFlag::kWrite), "WRITE", "write"},
    {Bit(CommandFlag::kReadonly), "READONLY", "readonly"},
    {Bit(CommandFlag::kDenyOom), "DENYOOM", "denyoom"},
    {Bit(CommandFlag::kModule), "MODULE", "module"},
    {Bit(CommandFlag::kAdmin), "ADMIN", "admin"},
    {Bit(CommandFlag::kPubsub), "PUBSUB", "pubsub"},
    {Bit(CommandFlag::kNoScript), "NOSCRIPT", "noscript"},
    {Bit(CommandFlag::kBlocking), "BLOCKING", "blocking"},
    {Bit(CommandFlag::kLoading), "LOADING", "loading"},
    {Bit(CommandFlag::kStale), "STALE", "stale"},
    {Bit(CommandFlag::kSkipMonitor), "SKIP_MONITOR", "skip_monitor"},
    {Bit(CommandFlag::kSkipSlowlog), "SKIP_SLOWLOG", "skip_slowlog"},
    {Bit(CommandFlag::kAsking), "ASKING", "asking"},
    {Bit(CommandFlag::kFast), "FAST", "fast"},
    {Bit(CommandFlag::kNoAuth), "NO_AUTH", "no_auth"},
    {Bit(CommandFlag::kMayReplicate), "MAY_REPLICATE", ""},
    {Bit(CommandFlag::kSentinel), "SENTINEL", ""},
    {Bit(CommandFlag::kOnlySentinel), "ONLY_SENTINEL", ""},
    {Bit(CommandFlag::kNoMandatoryKeys), "NO_MANDATORY_KEYS", "no_mandatory_keys"},
    {Bit(CommandFlag::kProtected), "PROTECTED", ""},
    {Bit(CommandFlag::kNoAsyncLoading), "NO_ASYNC_LOADING", "no_async_loading"},
    {Bit(CommandFlag::kNoMulti), "NO_MULTI", "no_multi"},
    {Bit(CommandFlag::kMovableKeys), "", "movablekeys"},
    {Bit(CommandFlag::kAllowBusy), "ALLOW_BUSY", "allow_busy"},
    {Bit(CommandFlag::kTouchesArbitraryKeys), "TOUCHES_ARBITRARY_KEYS", ""},
};

constexpr FlagName kAclCategoryNames[] = {
    {Bit(AclCategory::kKeyspace), "KEYSPACE", "keyspace"},
    {Bit(AclCategory::kRead), "READ", "read"},
    {Bit(AclCategory::kWrite), "WRITE", "write"},
    {Bit(AclCategory::kSet), "SET", "set"},
    {Bit(AclCategory::kSortedSet), "SORTEDSET", "sortedset"},
    {Bit(AclCategory::kList), "LIST", "list"},
    {Bit(AclCategory::kHash), "HASH", "hash"},
    {Bit(AclCategory::kString), "STRING", "string"},
    {Bit(AclCategory::kBitmap), "BITMAP", "bitmap"},
    {Bit(AclCategory::kHyperLogLog), "HYPERLOGLOG", "hyperloglog"},
    {Bit(AclCategory::kGeo), "GEO", "geo"},
    {Bit(AclCategory::kStream), "STREAM", "stream"},
    {Bit(AclCategory::kPubsub), "PUBSUB", "pubsub"},
    {Bit(AclCategory::kAdmin), "ADMIN", "admin"},
    {Bit(AclCategory::kFast), "FAST", "fast"},
    {Bit(AclCategory::kSlow), "SLOW", "slow"},
    {Bit(AclCategory::kBlocking), "BLOCKING", "blocking"},
    {Bit(AclCategory::kDangerous), "DANGEROUS", "dangerous"},
    {Bit(AclCategory::kConnection), "CONNECTION", "connection"},
    {Bit(AclCategory::kTransaction), "TRANSACTION", "transaction"},
    {Bit(AclCategory::kScripting), "SCRIPTING", "scripting"},
};

constexpr FlagName kKeySpecFlagNames[] = {
    {Bit(KeySpecFlag::kRO), "RO", "RO"},
    {Bit(KeySpecFlag::kRW), "RW", "RW"},
    {Bit(KeySpecFlag::kOW), "OW", "OW"},
    {Bit(KeySpecFlag::kRM), "RM", "RM"},
    {Bit(KeySpecFlag::kAccess), "ACCESS", "access"},
    {Bit(KeySpecFlag::kUpdate), "UPDATE", "update"},
    {Bit(KeySpecFlag::kInsert), "INSERT", "insert"},
    {Bit(KeySpecFlag::kDelete), "DELETE", "delete"},
    {Bit(KeySpecFlag::kNotKey), "NOT_KEY", "not_key"},
    {Bit(KeySpecFlag::kIncomplete), "INCOMPLETE", "incomplete"},
    {Bit(KeySpecFlag::kVariableFlags), "VARIABLE_FLAGS", "variable_flags"},
};

// Reports a problem in the facts of one command.
class FactsReader {
 public:
  FactsReader(std::string_view command, std::string* error) : command_(command), error_(error) {}

  bool Fail(std::string_view what) {
    *error_ = "bad command facts for '" + std::string(command_) + "': " + std::string(what);
    return false;
  }

  bool Int(const JsonValue& object, std::string_view key, int* out) {
    const JsonValue* value = object.Find(key);
    if (value == nullptr || !value->is_integer() || value->integer < INT_MIN ||
        value->integer > INT_MAX) {
      return Fail("'" + std::string(key) + "' must be an integer");
    }
    *out = static_cast<int>(value->integer);
    return true;
  }

  // An optional string member; absent leaves *out alone.
  bool OptionalString(const JsonValue& object, std::string_view key, std::string* out) {
    const JsonValue* value = object.Find(key);
    if (value == nullptr) return true;
    if (!value->is_string()) return Fail("'" + std::string(key) + "' must be a string");
    *out = value->string;
    return true;
  }

  // An optional array of names from `table`, OR-ed into *bits.
  template <typename Bits>
  bool Flags(const JsonValue& object, std::string_view key, std::span<const FlagName> table,
             Bits* bits) {
    const JsonValue* value = object.Find(key);
    if (value == nullptr) return true;
    if (!value->is_array()) return Fail("'" + std::string(key) + "' must be an array");
    for (const JsonValue& item : value->array) {
      if (!item.is_string()) return Fail("'" + std::string(key) + "' must hold strings");
      const FlagName* found = nullptr;
      for (const FlagName& entry : table) {
        if (!entry.facts_name.empty() && entry.facts_name == item.string) found = &entry;
      }
      if (found == nullptr) {
        return Fail("unknown name '" + item.string + "' in " + std::string(key));
      }
      *bits |= static_cast<Bits>(found->bit);
    }
    return true;
  }

  bool BeginSearch(const JsonValue& object, KeySpec* spec) {
    if (!object.is_object() || object.object.size() != 1) {
      return Fail("begin_search must have one member");
    }
    const JsonMember& member = object.object[0];
    if (member.key == "unknown") return true;
    if (!member.value.is_object()) return Fail("begin_search must hold an object");
    if (member.key == "index") {
      spec->begin_search = KeySpec::BeginSearch::kIndex;
      return Int(member.value, "pos", &spec->index);
    }
    if (member.key == "keyword") {
      spec->begin_search = KeySpec::BeginSearch::kKeyword;
      const JsonValue* keyword = member.value.Find("keyword");
      if (keyword == nullptr || !keyword->is_string()) return Fail("keyword must be a string");
      spec->keyword = keyword->string;
      return Int(member.value, "startfrom", &spec->startfrom);
    }
    return Fail("unknown begin_search type '" + member.key + "'");
  }

  bool FindKeys(const JsonValue& object, KeySpec* spec) {
    if (!object.is_object() || object.object.size() != 1) {
      return Fail("find_keys must have one member");
    }
    const JsonMember& member = object.object[0];
    if (member.key == "unknown") return true;
    if (!member.value.is_object()) return Fail("find_keys must hold an object");
    if (member.key == "range") {
      spec->find_keys = KeySpec::FindKeys::kRange;
      return Int(member.value, "lastkey", &spec->lastkey) &&
             Int(member.value, "step", &spec->keystep) && Int(member.value, "limit", &spec->limit);
    }
    if (member.key == "keynum") {
      spec->find_keys = KeySpec::FindKeys::kKeynum;
      return Int(member.value, "keynumidx", &spec->keynumidx) &&
             Int(member.value, "firstkey", &spec->firstkey) &&
             Int(member.value, "step", &spec->keystep);
    }
    return Fail("unknown find_keys type '" + member.key + "'");
  }

  bool KeySpecs(const JsonValue& facts, std::vector<KeySpec>* specs) {
    const JsonValue* value = facts.Find("key_specs");
    if (value == nullptr) return true;
    if (!value->is_array()) return Fail("key_specs must be an array");
    for (const JsonValue& item : value->array) {
      KeySpec spec;
      const JsonValue* begin = item.Find("begin_search");
      const JsonValue* find = item.Find("find_keys");
      if (begin == nullptr || find == nullptr) return Fail("key spec without search rules");
      if (!Flags(item, "flags", KeySpecFlagNames(), &spec.flags) || !BeginSearch(*begin, &spec) ||
          !FindKeys(*find, &spec)) {
        return false;
      }
      specs->push_back(std::move(spec));
    }
    return true;
  }

  bool Tips(const JsonValue& facts, std::vector<std::string>* tips) {
    const JsonValue* value = facts.Find("command_tips");
    if (value == nullptr) return true;
    if (!value->is_array()) return Fail("command_tips must be an array");
    for (const JsonValue& item : value->array) {
      if (!item.is_string()) return Fail("command_tips must hold strings");
      tips->push_back(AsciiLowered(item.string));
    }
    return true;
  }

 private:
  std::string_view command_;
  std::string* error_;
};

// setImplicitACLCategories.
void AddImplicitAclCategories(CommandSpec* spec) {
  if (spec->HasFlag(CommandFlag::kWrite)) spec->acl_categories |= Bit(AclCategory::kWrite);
  // Scripting commands are left out of @read.
  if (spec->HasFlag(CommandFlag::kReadonly) && !spec->InCategory(AclCategory::kScripting)) {
    spec->acl_categories |= Bit(AclCategory::kRead);
  }
  if (spec->HasFlag(CommandFlag::kAdmin)) {
    spec->acl_categories |= Bit(AclCategory::kAdmin) | Bit(AclCategory::kDangerous);
  }
  if (spec->HasFlag(CommandFlag::kPubsub)) spec->acl_categories |= Bit(AclCategory::kPubsub);
  if (spec->HasFlag(CommandFlag::kFast)) spec->acl_categories |= Bit(AclCategory::kFast);
  if (spec->HasFlag(CommandFlag::kBlocking)) spec->acl_categories |= Bit(AclCategory::kBlocking);
  // In this binary world, whatever is not @fast is @slow.
  if (!spec->InCategory(AclCategory::kFast)) spec->acl_categories |= Bit(AclCategory::kSlow);
}

bool IsPlainRange(const KeySpec& spec) {
  return spec.begin_search == KeySpec::BeginSearch::kIndex &&
         spec.find_keys == KeySpec::FindKeys::kRange;
}

// populateCommandLegacyRangeSpec: one (first, last, step) range covering the consecutive
// plain range specs; anything it cannot cover makes the command "movablekeys".
void PopulateLegacyRange(CommandSpec* spec) {
  const std::vector<KeySpec>& specs = spec->key_specs;
  if (specs.empty()) return;
  auto set_range = [spec](int first, int relative_last, int step) {
    spec->first_key = first;
    spec->last_key = relative_last >= 0 ? first + relative_last : relative_last;
    spec->key_step = step;
  };
  if (specs.size() == 1 && IsPlainRange(specs[0])) {
    set_range(specs[0].index, specs[0].lastkey, specs[0].keystep);
    if (specs[0].flags & Bit(KeySpecFlag::kIncomplete)) {
      spec->flags |= Bit(CommandFlag::kMovableKeys);
    }
    return;
  }
  int firstkey = INT_MAX;
  int lastkey = 0;
  int prev_lastkey = 0;
  for (const KeySpec& key_spec : specs) {
    if (!IsPlainRange(key_spec) || key_spec.keystep != 1 ||
        (prev_lastkey && prev_lastkey != key_spec.index - 1)) {
      spec->flags |= Bit(CommandFlag::kMovableKeys);
      continue;
    }
    if (key_spec.flags & Bit(KeySpecFlag::kIncomplete)) {
      spec->flags |= Bit(CommandFlag::kMovableKeys);
    }
    firstkey = std::min(firstkey, key_spec.index);
    int absolute_last = key_spec.lastkey;
    if (absolute_last >= 0) absolute_last += key_spec.index;
    // Compared as unsigned, like Redis, so a negative (count-from-the-end) last key wins.
    lastkey = static_cast<int>(
        std::max(static_cast<unsigned>(lastkey), static_cast<unsigned>(absolute_last)));
    prev_lastkey = lastkey;
  }
  if (firstkey == INT_MAX) {
    spec->flags |= Bit(CommandFlag::kMovableKeys);
    return;
  }
  set_range(firstkey, lastkey < 0 ? lastkey : lastkey - firstkey, 1);
}

}  // namespace

std::span<const FlagName> CommandFlagNames() { return kCommandFlagNames; }
std::span<const FlagName> AclCategoryNames() { return kAclCategoryNames; }
std::span<const FlagName> KeySpecFlagNames() { return kKeySpecFlagNames; }

std::vector<std::string_view> ReplyNamesOf(uint64_t bits, std::span<const FlagName> table) {
  std::vector<std::string_view> names;
  for (const FlagName& entry : table) {
    if ((bits & entry.bit) != 0 && !entry.reply_name.empty()) names.push_back(entry.reply_name);
  }
  return names;
}

uint64_t AclCategoryByName(std::string_view name) {
  for (const FlagName& entry : kAclCategoryNames) {
    if (AsciiEqualsNoCase(entry.reply_name, name)) return entry.bit;
  }
  return 0;
}

const CommandSpec* CommandSpec::FindSubcommand(std::string_view sub_name) const {
  for (const auto& sub : subcommands) {
    if (AsciiEqualsNoCase(sub->name, sub_name)) return sub.get();
  }
  return nullptr;
}

bool SpecFromFacts(std::string_view facts_name, const JsonValue& facts, CommandSpec* spec,
                   std::string* error) {
  FactsReader reader(facts_name, error);
  if (!facts.is_object()) return reader.Fail("not an object");
  std::string_view declared = facts_name.substr(facts_name.rfind(' ') + 1);
  spec->name = AsciiLowered(declared);
  spec->full_name = spec->name;
  spec->facts = &facts;
  if (!reader.Int(facts, "arity", &spec->arity) ||
      !reader.Flags(facts, "command_flags", CommandFlagNames(), &spec->flags) ||
      !reader.Flags(facts, "acl_categories", AclCategoryNames(), &spec->acl_categories) ||
      !reader.KeySpecs(facts, &spec->key_specs) || !reader.Tips(facts, &spec->tips) ||
      !reader.OptionalString(facts, "group", &spec->group) ||
      !reader.OptionalString(facts, "since", &spec->since)) {
    return false;
  }
  // The facts spell groups like the JSON files Redis is generated from ("sorted_set");
  // Redis replies with COMMAND_GROUP_STR ("sorted-set").
  std::replace(spec->group.begin(), spec->group.end(), '_', '-');
  AddImplicitAclCategories(spec);
  PopulateLegacyRange(spec);
  return true;
}

}  // namespace cairn
