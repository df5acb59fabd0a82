// Generic (keyspace) group: SORT and SORT_RO, after Redis 7.0's sortCommandGeneric. The
// sorted key (a list, set or sorted set) is read whole, as Redis reads it; BY and GET
// patterns ("#", "key*", "hash*->field") read other keys. Locking: the command table's key
// specs name only the sorted key and the STORE destination, so those are locked; the keys
// the patterns name are read without locks, like Redis reads them inside its one thread —
// each lookup is atomic, a concurrent writer may be seen half-way through the command.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "encoding/rdb_value.h"
#include "engine/keyspace.h"
#include "engine/object_io.h"
#include "engine/storage.h"
#include "engine/string.h"
#include "src/client.h"
#include "src/command.h"
#include "src/commands/arguments.h"
#include "src/commands/generic_internal.h"
#include "src/config/options.h"
#include "src/notifications.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {
namespace {

struct SortSpec {
  bool desc = false;
  bool alpha = false;
  bool dont_sort = false;  // BY a pattern without '*'
  int64_t limit_start = 0;
  int64_t limit_count = -1;
  const std::string* by = nullptr;
  const std::string* store = nullptr;
  std::vector<const std::string*> gets;
};

struct SortItem {
  std::string element;
  double score = 0;
  std::optional<std::string> by_value;  // ALPHA with BY
};

// Replies with Redis's error and returns false on a bad option.
bool ParseSortSpec(CommandContext& context, bool read_only, SortSpec* spec) {
  const auto& args = context.args;
  for (size_t j = 2; j < args.size(); ++j) {
    size_t left = args.size() - j - 1;
    const std::string& word = args[j];
    if (EqualsIgnoreCase(word, "asc")) {
      spec->desc = false;
    } else if (EqualsIgnoreCase(word, "desc")) {
      spec->desc = true;
    } else if (EqualsIgnoreCase(word, "alpha")) {
      spec->alpha = true;
    } else if (EqualsIgnoreCase(word, "limit") && left >= 2) {
      if (!ParseInt64(args[j + 1], &spec->limit_start) ||
          !ParseInt64(args[j + 2], &spec->limit_count)) {
        context.reply->Error(kErrNotInteger);
        return false;
      }
      j += 2;
    } else if (!read_only && EqualsIgnoreCase(word, "store") && left >= 1) {
      spec->store = &args[++j];
    } else if (EqualsIgnoreCase(word, "by") && left >= 1) {
      spec->by = &args[++j];
      spec->dont_sort = spec->by->find('*') == std::string::npos;
    } else if (EqualsIgnoreCase(word, "get") && left >= 1) {
      spec->gets.push_back(&args[++j]);
    } else {
      context.reply->Error(kErrSyntax);
      return false;
    }
  }
  return true;
}

// Redis's lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is replaced
// by the element and the result names a string key, or with "->field" a hash field.
std::optional<std::string> LookupByPattern(CommandContext& context, std::string_view pattern,
                                           const std::string& element) {
  if (pattern == "#") return element;
  // Patterns are C strings to Redis: nothing after a NUL byte counts.
  pattern = pattern.substr(0, pattern.find('\0'));
  size_t star = pattern.find('*');
  if (star == std::string_view::npos) return std::nullopt;
  size_t arrow = pattern.find("->", star + 1);
  bool hash_field = arrow != std::string_view::npos && arrow + 2 < pattern.size();
  std::string key(pattern.substr(0, star));
  key.append(element);
  key.append(pattern.substr(star + 1, (hash_field ? arrow : pattern.size()) - star - 1));
  Storage& storage = context.server->storage();
  std::string value;
  Status status;
  if (hash_field) {
    bool key_found = false;
    status = ReadHashField(storage, context.client->db(), key, pattern.substr(arrow + 2),
                           &key_found, &value);
    CountLookup(context, key, key_found);
  } else {
    status = storage.strings().Get(context.client->db(), key, &value);
    CountLookup(context, key, status.ok() || status.IsWrongType());
  }
  if (!status.ok()) return std::nullopt;
  return value;
}

// The elements to sort (a missing key is an empty list), already cut to the LIMIT range when
// no sorting is needed (Redis loads only that range then). A set to be stored in its own
// order is sorted ALPHA instead, as Redis does, so the stored list does not depend on the
// set's internal order. Returns false after replying an error.
bool LoadElements(CommandContext& context, SortSpec* spec, int64_t* start, int64_t* end,
                  std::vector<SortItem>* items) {
  Storage& storage = context.server->storage();
  int db = context.client->db();
  const std::string& key = context.args[1];
  ValueType type = ValueType::kList;
  Status status = storage.keyspace().Type(db, key, &type);
  CountLookup(context, key, status.ok());
  if (status.ok() && type != ValueType::kList && type != ValueType::kSet &&
      type != ValueType::kZSet) {
    context.reply->Error(kErrWrongType);
    return false;
  }
  RdbValue value;
  if (status.ok()) status = ReadObject(storage, db, key, &value);
  if (!status.ok() && !status.IsNotFound()) {
    ReplyIfError(status, context.reply);
    return false;
  }
  if (spec->dont_sort && type == ValueType::kSet && spec->store != nullptr) {
    spec->dont_sort = false;
    spec->alpha = true;
    spec->by = nullptr;
  }
  std::vector<std::string> elements = std::move(value.elements);
  for (auto& [member, score] : value.scored) elements.push_back(std::move(member));
  auto length = static_cast<int64_t>(elements.size());
  *start = spec->limit_start < 0 ? 0 : spec->limit_start;
  *end = spec->limit_count < 0 ? length - 1 : *start + spec->limit_count - 1;
  if (*start >= length) {
    *start = length - 1;
    *end = length - 2;
  }
  if (*end >= length) *end = length - 1;
  if (spec->dont_sort && type != ValueType::kSet) {
    // Native order (list order, score order), reversed by DESC, cut to the range.
    if (spec->desc) std::reverse(elements.begin(), elements.end());
    int64_t from = std::max<int64_t>(*start, 0);
    int64_t to = std::max<int64_t>(*end + 1, from);
    elements = std::vector<std::string>(std::make_move_iterator(elements.begin() + from),
                                        std::make_move_iterator(elements.begin() + to));
    *end -= *start;
    *start = 0;
  }
  items->reserve(elements.size());
  for (std::string& element : elements) items->push_back(SortItem{std::move(element), 0, {}});
  return true;
}

// Fills the sort keys; false when a numeric key is not a number.
bool LoadSortKeys(CommandContext& context, const SortSpec& spec, std::vector<SortItem>* items) {
  bool converted = true;
  for (SortItem& item : *items) {
    std::optional<std::string> by_value;
    if (spec.by != nullptr) {
      by_value = LookupByPattern(context, *spec.by, item.element);
      if (!by_value) continue;
    }
    if (spec.alpha) {
      item.by_value = std::move(by_value);
      continue;
    }
    const std::string& text = by_value ? *by_value : item.element;
    char* end = nullptr;
    errno = 0;
    item.score = std::strtod(text.c_str(), &end);
    if (*end != '\0' || errno == ERANGE || std::isnan(item.score)) converted = false;
  }
  return converted;
}

int CompareBytes(std::string_view a, std::string_view b) {
  int cmp = a.compare(b);
  return cmp < 0 ? -1 : cmp > 0 ? 1 : 0;
}

// Redis's sortCompare, with byte order standing in for strcoll (the C locale).
int CompareItems(const SortSpec& spec, const SortItem& a, const SortItem& b) {
  int cmp = 0;
  if (!spec.alpha) {
    cmp = a.score > b.score ? 1 : a.score < b.score ? -1 : CompareBytes(a.element, b.element);
  } else if (spec.by != nullptr) {
    if (!a.by_value || !b.by_value) {
      cmp = a.by_value == b.by_value ? 0 : !a.by_value ? -1 : 1;
    } else {
      cmp = CompareBytes(*a.by_value, *b.by_value);
    }
  } else {
    cmp = CompareBytes(a.element, b.element);
  }
  return spec.desc ? -cmp : cmp;
}

// The output values for items [start, end]: each element, or each GET pattern's result.
std::vector<std::optional<std::string>> Output(CommandContext& context, const SortSpec& spec,
                                               const std::vector<SortItem>& items, int64_t start,
                                               int64_t end) {
  std::vector<std::optional<std::string>> out;
  for (int64_t j = start; j <= end; ++j) {
    const std::string& element = items[static_cast<size_t>(j)].element;
    if (spec.gets.empty()) out.emplace_back(element);
    for (const std::string* pattern : spec.gets) {
      out.push_back(LookupByPattern(context, *pattern, element));
    }
  }
  return out;
}

void Store(CommandContext& context, const SortSpec& spec,
           std::vector<std::optional<std::string>>& out) {
  RdbValue list;
  list.type = ValueType::kList;
  list.elements.reserve(out.size());
  for (auto& value : out) list.elements.push_back(value ? std::move(*value) : std::string());
  NewKeyEvents new_keys(context);
  new_keys.Probe(*spec.store);
  bool existed = false;
  Storage& storage = context.server->storage();
  int db = context.client->db();
  Status status = StoreObject(storage, db, *spec.store, list, &existed);
  if (ReplyIfError(status, context.reply)) return;
  if (!list.elements.empty()) {
    storage.RecordAccess(db, *spec.store);
    new_keys.Stored(*spec.store);
    NotifyKeyspaceEvent(context, kNotifyList, "sortstore", *spec.store);
  } else if (existed) {
    storage.ForgetAccess(db, *spec.store);
    NotifyKeyspaceEvent(context, kNotifyGeneric, "del", *spec.store);
  }
  context.reply->Integer(static_cast<int64_t>(out.size()));
}

void SortGeneric(CommandContext& context, bool read_only) {
  SortSpec spec;
  if (!ParseSortSpec(context, read_only, &spec)) return;
  int64_t start = 0, end = 0;
  std::vector<SortItem> items;
  if (!LoadElements(context, &spec, &start, &end, &items)) return;
  if (!spec.dont_sort) {
    bool converted = LoadSortKeys(context, spec, &items);
    auto less = [&](const SortItem& a, const SortItem& b) { return CompareItems(spec, a, b) < 0; };
    std::stable_sort(items.begin(), items.end(), less);
    if (!converted) {
      context.reply->Error("ERR One or more scores can't be converted into double");
      return;
    }
  }
  std::vector<std::optional<std::string>> out = Output(context, spec, items, start, end);
  if (spec.store != nullptr) {
    Store(context, spec, out);
    return;
  }
  context.reply->ArrayHeader(out.size());
  for (const auto& value : out) {
    if (value) {
      context.reply->Bulk(*value);
    } else {
      context.reply->Null();
    }
  }
}

void Sort(CommandContext& context) { SortGeneric(context, false); }
void SortReadOnly(CommandContext& context) { SortGeneric(context, true); }

}  // namespace

void RegisterGenericSortCommands(CommandRegistry& registry) {
  registry.Add("SORT", Sort);
  registry.Add("SORT_RO", SortReadOnly);
}

}  // namespace cairn
