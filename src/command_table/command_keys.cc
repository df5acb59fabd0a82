// Key extraction: Redis 7.0's getKeysUsingKeySpecs and getKeysFromCommandWithSpecs, and the
// native getkeys procs Redis falls back to: for the commands whose key specs are not enough
// on their own (SET, BITFIELD, MIGRATE, SORT, SORT_RO), and for those whose specs fail on
// arguments the looser native parsers still accept (GEORADIUS ... STORE at the very end,
// key counts like "2x" that atoi reads as 2).
#include "src/command_table/command_keys.h"

#include <cstdint>
#include <cstdlib>

#include "encoding/number_text.h"
#include "src/command_table/ascii.h"

namespace cairn {
namespace {

// The position of the first key of a keyword spec, or 0 when the keyword is absent. The
// search walks from startfrom towards the end (or, when negative, from the end towards the
// start) and, like Redis, never looks at its end position.
int64_t FindKeyword(const KeySpec& spec, std::span<const std::string> args) {
  int64_t argc = static_cast<int64_t>(args.size());
  int64_t start = spec.startfrom > 0 ? spec.startfrom : argc + spec.startfrom;
  int64_t end = spec.startfrom > 0 ? argc - 1 : 0;
  for (int64_t i = start; i != end; i = start <= end ? i + 1 : i - 1) {
    if (i >= argc || i < 1) break;
    if (AsciiEqualsNoCase(args[i], spec.keyword)) return i + 1;
  }
  return 0;
}

// Resolves one spec into [first, last] with a step. False when it cannot be resolved.
bool ResolveSpec(const KeySpec& spec, std::span<const std::string> args, int64_t* first,
                 int64_t* last, int64_t* step) {
  int64_t argc = static_cast<int64_t>(args.size());
  switch (spec.begin_search) {
    case KeySpec::BeginSearch::kIndex:
      *first = spec.index;
      break;
    case KeySpec::BeginSearch::kKeyword:
      *first = FindKeyword(spec, args);
      break;
    case KeySpec::BeginSearch::kUnknown:
      return false;
  }
  if (*first == 0) return true;  // keyword absent: this spec names no keys
  if (spec.find_keys == KeySpec::FindKeys::kRange) {
    *step = spec.keystep;
    if (spec.lastkey >= 0) {
      *last = *first + spec.lastkey;
    } else if (spec.limit == 0) {
      *last = argc + spec.lastkey;
    } else {
      *last = *first + ((argc - *first) / spec.limit + spec.lastkey);
    }
  } else if (spec.find_keys == KeySpec::FindKeys::kKeynum) {
    *step = spec.keystep;
    if (spec.keynumidx >= argc - *first) return false;
    int64_t numkeys;
    if (!ParseInt64(args[*first + spec.keynumidx], &numkeys) || numkeys < 0) return false;
    *first += spec.firstkey;
    *last = *first + numkeys - 1;
  } else {
    return false;
  }
  return *last < argc && *last >= *first && *first < argc;
}

void SetGetKeys(std::span<const std::string> args, std::vector<KeyReference>* keys) {
  for (size_t i = 3; i < args.size(); ++i) {
    if (AsciiEqualsNoCase(args[i], "get")) {
      keys->push_back(
          {1, Bit(KeySpecFlag::kRW) | Bit(KeySpecFlag::kAccess) | Bit(KeySpecFlag::kUpdate)});
      return;
    }
  }
  keys->push_back({1, Bit(KeySpecFlag::kOW) | Bit(KeySpecFlag::kUpdate)});
}

// BITFIELD is read-only only when every operation is a well-formed GET or OVERFLOW.
void BitfieldGetKeys(std::span<const std::string> args, std::vector<KeyReference>* keys) {
  bool readonly = true;
  for (size_t i = 2; i < args.size(); ++i) {
    size_t remaining = args.size() - i - 1;
    if (AsciiEqualsNoCase(args[i], "get") && remaining >= 2) {
      i += 2;
    } else if (AsciiEqualsNoCase(args[i], "overflow") && remaining >= 1) {
      i += 1;
    } else {
      readonly = false;  // a write, or a syntax error: safer to assume a write
      break;
    }
  }
  uint32_t flags =
      readonly ? Bit(KeySpecFlag::kRO) | Bit(KeySpecFlag::kAccess)
               : Bit(KeySpecFlag::kRW) | Bit(KeySpecFlag::kAccess) | Bit(KeySpecFlag::kUpdate);
  keys->push_back({1, flags});
}

// MIGRATE host port key db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS k...]
void MigrateGetKeys(std::span<const std::string> args, std::vector<KeyReference>* keys) {
  size_t first = 3;
  size_t count = 1;
  for (size_t i = 6; i < args.size(); ++i) {
    if (AsciiEqualsNoCase(args[i], "keys")) {
      if (!args[3].empty()) return;  // KEYS needs the single-key argument to be ""
      first = i + 1;
      count = args.size() - first;
      break;
    }
    if (AsciiEqualsNoCase(args[i], "auth")) {
      i += 1;
    } else if (AsciiEqualsNoCase(args[i], "auth2")) {
      i += 2;
    }
  }
  uint32_t flags = Bit(KeySpecFlag::kRW) | Bit(KeySpecFlag::kAccess) | Bit(KeySpecFlag::kDelete);
  for (size_t i = 0; i < count; ++i) keys->push_back({first + i, flags});
}

// SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA]
// [STORE destination]: the sorted key, and the last STORE destination if any.
void SortGetKeys(std::span<const std::string> args, std::vector<KeyReference>* keys) {
  keys->push_back({1, Bit(KeySpecFlag::kRO) | Bit(KeySpecFlag::kAccess)});
  bool found_store = false;
  size_t store_position = 0;
  for (size_t i = 2; i < args.size(); ++i) {
    if (AsciiEqualsNoCase(args[i], "limit")) {
      i += 2;
    } else if (AsciiEqualsNoCase(args[i], "get") || AsciiEqualsNoCase(args[i], "by")) {
      i += 1;
    } else if (AsciiEqualsNoCase(args[i], "store") && i + 1 < args.size()) {
      // Not skipping the destination, and keeping the last STORE: that is what SORT does.
      found_store = true;
      store_position = i + 1;
    }
  }
  if (found_store) {
    keys->push_back({store_position, Bit(KeySpecFlag::kOW) | Bit(KeySpecFlag::kUpdate)});
  }
}

void SortReadOnlyGetKeys(std::span<const std::string>, std::vector<KeyReference>* keys) {
  keys->push_back({1, Bit(KeySpecFlag::kRO) | Bit(KeySpecFlag::kAccess)});
}

// genericGetKeys, which the commands with a key count fall back to when their count does
// not parse strictly: atoi's reading of the count, the keys, then the destination (if any).
template <size_t kStoreIndex, size_t kCountIndex, size_t kFirstIndex>
void KeyCountGetKeys(std::span<const std::string> args, std::vector<KeyReference>* keys) {
  if (args.size() <= kCountIndex) return;
  int64_t count = std::atoi(args[kCountIndex].c_str());
  if (count < 1 || count > static_cast<int64_t>(args.size()) - static_cast<int64_t>(kFirstIndex)) {
    return;
  }
  for (int64_t i = 0; i < count; ++i) keys->push_back({kFirstIndex + static_cast<size_t>(i), 0});
  if (kStoreIndex != 0) keys->push_back({kStoreIndex, 0});
}

// GEORADIUS[BYMEMBER] key ... [STORE key] [STOREDIST key]: the last destination wins.
void GeoradiusGetKeys(std::span<const std::string> args, std::vector<KeyReference>* keys) {
  size_t store_position = 0;
  for (size_t i = 5; i < args.size(); ++i) {
    if ((AsciiEqualsNoCase(args[i], "store") || AsciiEqualsNoCase(args[i], "storedist")) &&
        i + 1 < args.size()) {
      store_position = ++i;
    }
  }
  keys->push_back({1, 0});
  if (store_position != 0) keys->push_back({store_position, 0});
}

// getAllKeySpecsFlags: the OR of every spec's flags, or of their complements.
uint32_t AllKeySpecFlags(const CommandSpec& spec, bool inverted) {
  uint32_t flags = 0;
  for (const KeySpec& key_spec : spec.key_specs) {
    flags |= inverted ? ~key_spec.flags : key_spec.flags;
  }
  return flags;
}

}  // namespace

bool GetKeysUsingKeySpecs(const CommandSpec& spec, std::span<const std::string> args,
                          KeySearch search, std::vector<KeyReference>* keys) {
  size_t original_size = keys->size();
  for (const KeySpec& key_spec : spec.key_specs) {
    if ((key_spec.flags & Bit(KeySpecFlag::kNotKey)) && !search.include_not_keys) continue;
    int64_t first = 0, last = 0, step = 1;
    bool resolved = ResolveSpec(key_spec, args, &first, &last, &step);
    if (resolved && first == 0) continue;  // its keyword is absent
    if (resolved) {
      for (int64_t i = first; i <= last; i += step) {
        keys->push_back({static_cast<size_t>(i), key_spec.flags});
      }
      // An INCOMPLETE spec found some keys, but not necessarily all of them.
      if (!(key_spec.flags & Bit(KeySpecFlag::kIncomplete))) continue;
    }
    if (search.return_partial) continue;
    keys->resize(original_size);
    return false;
  }
  return true;
}

void GetCommandKeys(const CommandSpec& spec, std::span<const std::string> args,
                    std::vector<KeyReference>* keys) {
  keys->clear();
  bool has_keyspec = (AllKeySpecFlags(spec, true) & Bit(KeySpecFlag::kNotKey)) != 0;
  bool has_variable_flags = (AllKeySpecFlags(spec, false) & Bit(KeySpecFlag::kVariableFlags)) != 0;
  // Key specs are preferred when there are any and their flags are reliable.
  if (has_keyspec && !has_variable_flags && GetKeysUsingKeySpecs(spec, args, {}, keys)) return;
  if (spec.native_keys == nullptr) return;
  spec.native_keys(args, keys);
  // The native parsers trust the arity check; a caller that skipped it gets no stray keys.
  std::erase_if(*keys, [&args](const KeyReference& key) { return key.position >= args.size(); });
}

bool CommandHasKeys(const CommandSpec& spec) {
  return spec.native_keys != nullptr ||
         (AllKeySpecFlags(spec, true) & Bit(KeySpecFlag::kNotKey)) != 0;
}

NativeKeysProc NativeKeysProcFor(std::string_view full_name) {
  struct Entry {
    std::string_view name;
    NativeKeysProc proc;
  };
  static constexpr Entry kProcs[] = {
      {"set", SetGetKeys},
      {"bitfield", BitfieldGetKeys},
      {"migrate", MigrateGetKeys},
      {"sort", SortGetKeys},
      {"sort_ro", SortReadOnlyGetKeys},
      {"georadius", GeoradiusGetKeys},
      {"georadiusbymember", GeoradiusGetKeys},
      {"zunionstore", KeyCountGetKeys<1, 2, 3>},
      {"zinterstore", KeyCountGetKeys<1, 2, 3>},
      {"zdiffstore", KeyCountGetKeys<1, 2, 3>},
      {"zunion", KeyCountGetKeys<0, 1, 2>},
      {"zinter", KeyCountGetKeys<0, 1, 2>},
      {"zdiff", KeyCountGetKeys<0, 1, 2>},
      {"zintercard", KeyCountGetKeys<0, 1, 2>},
      {"sintercard", KeyCountGetKeys<0, 1, 2>},
      {"lmpop", KeyCountGetKeys<0, 1, 2>},
      {"zmpop", KeyCountGetKeys<0, 1, 2>},
      {"blmpop", KeyCountGetKeys<0, 2, 3>},
      {"bzmpop", KeyCountGetKeys<0, 2, 3>},
      {"eval", KeyCountGetKeys<0, 2, 3>},
      {"evalsha", KeyCountGetKeys<0, 2, 3>},
      {"eval_ro", KeyCountGetKeys<0, 2, 3>},
      {"evalsha_ro", KeyCountGetKeys<0, 2, 3>},
      {"fcall", KeyCountGetKeys<0, 2, 3>},
      {"fcall_ro", KeyCountGetKeys<0, 2, 3>},
  };
  for (const Entry& entry : kProcs) {
    if (entry.name == full_name) return entry.proc;
  }
  return nullptr;
}

}  // namespace cairn
