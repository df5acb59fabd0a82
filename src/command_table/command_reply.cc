// COMMAND's replies. The element types follow Redis 7.0 byte for byte: flags and ACL
// categories are sets of simple strings, tips a set of bulk strings, key specs a set of
// maps, subcommands an array (INFO) or a map (DOCS), and an empty subcommand list an empty
// set.
#include "src/command_table/command_reply.h"

#include <string_view>
#include <vector>

#include "encoding/glob.h"
#include "src/command_table/ascii.h"
#include "src/protocol/reply_builder.h"

namespace cairn {
namespace {

constexpr FlagName kDocFlagNames[] = {
    {1, "DEPRECATED", "deprecated"},
    {2, "SYSCMD", "syscmd"},
};

void ReplyStatusSet(const std::vector<std::string_view>& names, ReplyBuilder* reply) {
  reply->SetHeader(names.size());
  for (std::string_view name : names) reply->SimpleString(name);
}

void ReplyAclCategories(uint64_t categories, ReplyBuilder* reply) {
  std::vector<std::string_view> names = ReplyNamesOf(categories, AclCategoryNames());
  reply->SetHeader(names.size());
  for (std::string_view name : names) reply->SimpleString("@" + std::string(name));
}

void ReplyBeginSearch(const KeySpec& spec, ReplyBuilder* reply) {
  reply->MapHeader(2);
  reply->Bulk("type");
  switch (spec.begin_search) {
    case KeySpec::BeginSearch::kUnknown:
      reply->Bulk("unknown");
      reply->Bulk("spec");
      reply->MapHeader(0);
      break;
    case KeySpec::BeginSearch::kIndex:
      reply->Bulk("index");
      reply->Bulk("spec");
      reply->MapHeader(1);
      reply->Bulk("index");
      reply->Integer(spec.index);
      break;
    case KeySpec::BeginSearch::kKeyword:
      reply->Bulk("keyword");
      reply->Bulk("spec");
      reply->MapHeader(2);
      reply->Bulk("keyword");
      reply->Bulk(spec.keyword);
      reply->Bulk("startfrom");
      reply->Integer(spec.startfrom);
      break;
  }
}

void ReplyFindKeys(const KeySpec& spec, ReplyBuilder* reply) {
  reply->MapHeader(2);
  reply->Bulk("type");
  switch (spec.find_keys) {
    case KeySpec::FindKeys::kUnknown:
      reply->Bulk("unknown");
      reply->Bulk("spec");
      reply->MapHeader(0);
      break;
    case KeySpec::FindKeys::kRange:
      reply->Bulk("range");
      reply->Bulk("spec");
      reply->MapHeader(3);
      reply->Bulk("lastkey");
      reply->Integer(spec.lastkey);
      reply->Bulk("keystep");
      reply->Integer(spec.keystep);
      reply->Bulk("limit");
      reply->Integer(spec.limit);
      break;
    case KeySpec::FindKeys::kKeynum:
      reply->Bulk("keynum");
      reply->Bulk("spec");
      reply->MapHeader(3);
      reply->Bulk("keynumidx");
      reply->Integer(spec.keynumidx);
      reply->Bulk("firstkey");
      reply->Integer(spec.firstkey);
      reply->Bulk("keystep");
      reply->Integer(spec.keystep);
      break;
  }
}

void ReplyKeySpecs(const CommandSpec& spec, ReplyBuilder* reply) {
  reply->SetHeader(spec.key_specs.size());
  for (const KeySpec& key_spec : spec.key_specs) {
    reply->MapHeader(3);
    reply->Bulk("flags");
    ReplyStatusSet(ReplyNamesOf(key_spec.flags, KeySpecFlagNames()), reply);
    reply->Bulk("begin_search");
    ReplyBeginSearch(key_spec, reply);
    reply->Bulk("find_keys");
    ReplyFindKeys(key_spec, reply);
  }
}

// ---- COMMAND DOCS: straight from the facts ----

const JsonValue* StringMember(const JsonValue& object, std::string_view key) {
  const JsonValue* value = object.Find(key);
  return value != nullptr && value->is_string() ? value : nullptr;
}

bool TrueMember(const JsonValue& object, std::string_view key) {
  const JsonValue* value = object.Find(key);
  return value != nullptr && value->is_bool() && value->boolean;
}

void ReplyArguments(const JsonValue* arguments, ReplyBuilder* reply);

// One entry of addReplyCommandArgList.
void ReplyArgument(const JsonValue& argument, ReplyBuilder* reply) {
  static constexpr std::string_view kOptionalStrings[] = {"token", "summary", "since",
                                                          "deprecated_since"};
  const JsonValue* name = StringMember(argument, "name");
  const JsonValue* type = StringMember(argument, "type");
  const JsonValue* key_spec_index = argument.Find("key_spec_index");
  bool has_index = key_spec_index != nullptr && key_spec_index->is_integer();
  std::vector<std::string_view> flags;
  for (std::string_view flag : {"optional", "multiple", "multiple_token"}) {
    if (TrueMember(argument, flag)) flags.push_back(flag);
  }
  bool nested = type != nullptr && (type->string == "oneof" || type->string == "block");
  size_t pairs = 2 + has_index + !flags.empty() + nested;
  for (std::string_view key : kOptionalStrings) pairs += StringMember(argument, key) != nullptr;

  reply->MapHeader(pairs);
  reply->Bulk("name");
  reply->Bulk(name != nullptr ? std::string_view(name->string) : std::string_view());
  reply->Bulk("type");
  reply->Bulk(type != nullptr ? std::string_view(type->string) : std::string_view());
  if (has_index) {
    reply->Bulk("key_spec_index");
    reply->Integer(key_spec_index->integer);
  }
  for (std::string_view key : kOptionalStrings) {
    if (const JsonValue* value = StringMember(argument, key)) {
      reply->Bulk(key);
      reply->Bulk(value->string);
    }
  }
  if (!flags.empty()) {
    reply->Bulk("flags");
    ReplyStatusSet(flags, reply);
  }
  if (nested) {
    reply->Bulk("arguments");
    ReplyArguments(argument.Find("arguments"), reply);
  }
}

void ReplyArguments(const JsonValue* arguments, ReplyBuilder* reply) {
  size_t count = arguments != nullptr && arguments->is_array() ? arguments->array.size() : 0;
  reply->ArrayHeader(count);
  for (size_t i = 0; i < count; ++i) ReplyArgument(arguments->array[i], reply);
}

// History entries are [version, description] pairs.
void ReplyHistory(const JsonValue& history, ReplyBuilder* reply) {
  reply->SetHeader(history.array.size());
  for (const JsonValue& entry : history.array) {
    reply->ArrayHeader(entry.array.size());
    for (const JsonValue& field : entry.array) reply->Bulk(field.string);
  }
}

uint64_t DocFlags(const JsonValue& facts) {
  uint64_t bits = 0;
  const JsonValue* flags = facts.Find("doc_flags");
  if (flags == nullptr || !flags->is_array()) return 0;
  for (const JsonValue& flag : flags->array) {
    for (const FlagName& entry : kDocFlagNames) {
      if (flag.is_string() && flag.string == entry.facts_name) bits |= entry.bit;
    }
  }
  return bits;
}

}  // namespace

void ReplyCommandInfo(const CommandSpec* spec, ReplyBuilder* reply) {
  if (spec == nullptr) return reply->Null();
  reply->ArrayHeader(10);
  reply->Bulk(spec->full_name);
  reply->Integer(spec->arity);
  ReplyStatusSet(ReplyNamesOf(spec->flags, CommandFlagNames()), reply);
  reply->Integer(spec->first_key);
  reply->Integer(spec->last_key);
  reply->Integer(spec->key_step);
  ReplyAclCategories(spec->acl_categories, reply);
  reply->SetHeader(spec->tips.size());
  for (const std::string& tip : spec->tips) reply->Bulk(tip);
  ReplyKeySpecs(*spec, reply);
  if (!spec->is_container()) return reply->SetHeader(0);
  reply->ArrayHeader(spec->subcommands.size());
  for (const auto& sub : spec->subcommands) ReplyCommandInfo(sub.get(), reply);
}

void ReplyCommandDocs(const CommandSpec& spec, ReplyBuilder* reply) {
  static const JsonValue kNoFacts;
  const JsonValue& facts = spec.facts != nullptr ? *spec.facts : kNoFacts;
  const JsonValue* summary = StringMember(facts, "summary");
  const JsonValue* complexity = StringMember(facts, "complexity");
  const JsonValue* deprecated_since = StringMember(facts, "deprecated_since");
  const JsonValue* replaced_by = StringMember(facts, "replaced_by");
  const JsonValue* history = facts.Find("history");
  if (history != nullptr && !history->is_array()) history = nullptr;
  const JsonValue* arguments = facts.Find("arguments");
  uint64_t doc_flags = DocFlags(facts);
  size_t pairs = 1 + (summary != nullptr) + !spec.since.empty() + (complexity != nullptr) +
                 (doc_flags != 0) + (deprecated_since != nullptr) + (replaced_by != nullptr) +
                 (history != nullptr) + (arguments != nullptr) + spec.is_container();
  reply->MapHeader(pairs);
  auto field = [reply](std::string_view key, const JsonValue* value) {
    if (value == nullptr) return;
    reply->Bulk(key);
    reply->Bulk(value->string);
  };
  field("summary", summary);
  if (!spec.since.empty()) {
    reply->Bulk("since");
    reply->Bulk(spec.since);
  }
  reply->Bulk("group");
  reply->Bulk(spec.group);
  field("complexity", complexity);
  if (doc_flags != 0) {
    reply->Bulk("doc_flags");
    ReplyStatusSet(ReplyNamesOf(doc_flags, kDocFlagNames), reply);
  }
  field("deprecated_since", deprecated_since);
  field("replaced_by", replaced_by);
  if (history != nullptr) {
    reply->Bulk("history");
    ReplyHistory(*history, reply);
  }
  if (arguments != nullptr) {
    reply->Bulk("arguments");
    ReplyArguments(arguments, reply);
  }
  if (spec.is_container()) {
    reply->Bulk("subcommands");
    reply->MapHeader(spec.subcommands.size());
    for (const auto& sub : spec.subcommands) {
      reply->Bulk(sub->full_name);
      ReplyCommandDocs(*sub, reply);
    }
  }
}

void CommandInfoReply(const CommandTable& table, std::span<const std::string> args,
                      ReplyBuilder* reply) {
  if (args.size() <= 2) {
    reply->ArrayHeader(table.size());
    for (const auto& command : table) ReplyCommandInfo(command.get(), reply);
    return;
  }
  reply->ArrayHeader(args.size() - 2);
  for (size_t i = 2; i < args.size(); ++i) ReplyCommandInfo(table.FindByFullName(args[i]), reply);
}

void CommandDocsReply(const CommandTable& table, std::span<const std::string> args,
                      ReplyBuilder* reply) {
  std::vector<const CommandSpec*> found;
  if (args.size() <= 2) {
    for (const auto& command : table) found.push_back(command.get());
  } else {
    for (size_t i = 2; i < args.size(); ++i) {
      if (const CommandSpec* spec = table.FindByFullName(args[i])) found.push_back(spec);
    }
  }
  reply->MapHeader(found.size());
  for (const CommandSpec* spec : found) {
    reply->Bulk(spec->full_name);
    ReplyCommandDocs(*spec, reply);
  }
}

void CommandListReply(const CommandTable& table, std::span<const std::string> args,
                      ReplyBuilder* reply) {
  enum class Filter { kNone, kModule, kAclCategory, kPattern };
  Filter filter = Filter::kNone;
  std::string filter_arg;
  for (size_t i = 2; i < args.size(); i += 3) {
    // The only option is one FILTERBY <type> <arg>, at the end.
    if (!AsciiEqualsNoCase(args[i], "filterby") || args.size() - 1 - i != 2) {
      return reply->Error("ERR syntax error");
    }
    if (AsciiEqualsNoCase(args[i + 1], "module")) {
      filter = Filter::kModule;
    } else if (AsciiEqualsNoCase(args[i + 1], "aclcat")) {
      filter = Filter::kAclCategory;
    } else if (AsciiEqualsNoCase(args[i + 1], "pattern")) {
      filter = Filter::kPattern;
    } else {
      return reply->Error("ERR syntax error");
    }
    filter_arg = args[i + 2];
  }
  uint64_t category = filter == Filter::kAclCategory ? AclCategoryByName(filter_arg) : 0;
  std::vector<std::string> names;
  table.ForEach([&](const CommandSpec& spec) {
    bool listed = false;
    switch (filter) {
      case Filter::kNone:
        listed = true;
        break;
      case Filter::kModule:  // no modules: no module commands
        break;
      case Filter::kAclCategory:
        listed = (spec.acl_categories & category) != 0;
        break;
      case Filter::kPattern:
        listed = GlobMatch(filter_arg, spec.full_name, true);
        break;
    }
    if (listed) names.push_back(spec.full_name);
  });
  reply->ArrayHeader(names.size());
  for (const std::string& name : names) reply->Bulk(name);
}

void CommandGetKeysReply(const CommandTable& table, std::span<const std::string> args,
                         bool with_flags, ReplyBuilder* reply) {
  std::span<const std::string> command = args.subspan(std::min<size_t>(2, args.size()));
  const CommandSpec* spec = table.Find(command);
  if (spec == nullptr) return reply->Error("ERR Invalid command specified");
  if (!CommandHasKeys(*spec)) return reply->Error("ERR The command has no key arguments");
  if (!CommandTable::CheckArity(*spec, command.size())) {
    return reply->Error("ERR Invalid number of arguments specified for command");
  }
  std::vector<KeyReference> keys;
  GetCommandKeys(*spec, command, &keys);
  if (keys.empty() && !spec->HasFlag(CommandFlag::kNoMandatoryKeys)) {
    return reply->Error("ERR Invalid arguments specified for command");
  }
  reply->ArrayHeader(keys.size());
  for (const KeyReference& key : keys) {
    if (!with_flags) {
      reply->Bulk(command[key.position]);
      continue;
    }
    reply->ArrayHeader(2);
    reply->Bulk(command[key.position]);
    ReplyStatusSet(ReplyNamesOf(key.flags, KeySpecFlagNames()), reply);
  }
}

}  // namespace cairn
