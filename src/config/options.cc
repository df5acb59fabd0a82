// Parsing, canonical forms and rewrite lines of each option type, with Redis 7.0's rules
// and error texts (config.c's setters, getters and rewriters).
#include "src/config/options.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "src/config/config_text.h"

namespace cairn {

namespace {

constexpr size_t kMaxBindAddresses = 16;  // Redis's CONFIG_BINDADDR_MAX

// Redis's names of the client classes, in client-output-buffer-limit order. CONFIG GET
// shows the replica class as "slave"; CONFIG REWRITE writes "replica".
constexpr std::string_view kClassGetNames[kOutputBufferClassCount] = {"normal", "slave", "pubsub"};
constexpr std::string_view kClassRewriteNames[kOutputBufferClassCount] = {"normal", "replica",
                                                                          "pubsub"};

struct EventLetter {
  char letter;
  int64_t flag;
};
// Letters in the order keyspaceEventsFlagsToString prints them when not all of "A" is set.
constexpr EventLetter kClassLetters[] = {
    {'g', kNotifyGeneric}, {'$', kNotifyString}, {'l', kNotifyList},    {'s', kNotifySet},
    {'h', kNotifyHash},    {'z', kNotifyZset},   {'x', kNotifyExpired}, {'e', kNotifyEvicted},
    {'t', kNotifyStream},  {'d', kNotifyModule}, {'n', kNotifyNew}};
constexpr EventLetter kTypeLetters[] = {
    {'K', kNotifyKeyspace}, {'E', kNotifyKeyevent}, {'m', kNotifyKeyMiss}};

// strtoll with Redis's "nothing may follow the number" check; blanks and '+' are accepted
// in front, as strtoll does.
bool ParseLooseInteger(const std::string& text, int64_t* value) {
  char* end = nullptr;
  *value = std::strtoll(text.c_str(), &end, 10);
  return *end == '\0';
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out.push_back(' ');
    out += words[i];
  }
  return out;
}

std::string BoundsError(const OptionSpec& spec) {
  return "argument must be between " + std::to_string(spec.min) + " and " +
         std::to_string(spec.max) + " inclusive";
}

bool ParseNumber(const OptionSpec& spec, const std::string& arg, OptionValue* value,
                 std::string* error) {
  int64_t number;
  if (spec.type == OptionType::kMemory) {
    uint64_t bytes;
    if (!ParseMemorySize(arg, &bytes)) {
      *error = "argument must be a memory value";
      return false;
    }
    if (bytes > static_cast<uint64_t>(INT64_MAX)) {
      *error = BoundsError(spec);
      return false;
    }
    number = static_cast<int64_t>(bytes);
  } else if (!ParseConfigInteger(arg, &number)) {
    *error = "argument couldn't be parsed into an integer";
    return false;
  }
  if (number < spec.min || number > spec.max) {
    *error = BoundsError(spec);
    return false;
  }
  value->number = std::clamp(number, spec.clamp_min, spec.clamp_max);
  value->text = std::to_string(value->number);
  return true;
}

bool ParseEnum(const OptionSpec& spec, const std::string& arg, OptionValue* value,
               std::string* error) {
  for (size_t i = 0; i < spec.enum_names.size(); ++i) {
    if (EqualsNoCase(spec.enum_names[i], arg)) {
      value->number = static_cast<int64_t>(i);
      value->text = spec.enum_names[i];
      return true;
    }
  }
  *error = "argument(s) must be one of the following: ";
  for (size_t i = 0; i < spec.enum_names.size(); ++i) {
    if (i > 0) *error += ", ";
    *error += spec.enum_names[i];
  }
  return false;
}

bool ParseBool(const std::string& arg, OptionValue* value, std::string* error) {
  if (EqualsNoCase(arg, "yes") || EqualsNoCase(arg, "no")) {
    value->number = EqualsNoCase(arg, "yes") ? 1 : 0;
    value->text = value->number ? "yes" : "no";
    return true;
  }
  *error = "argument must be 'yes' or 'no'";
  return false;
}

bool ParseString(const OptionSpec& spec, const std::string& arg, OptionValue* value,
                 std::string* error) {
  if (spec.id == OptionId::kDir && arg.empty()) {
    *error = std::strerror(ENOENT);  // what Redis's chdir("") reports
    return false;
  }
  value->text = arg;
  return true;
}

bool ParseAddressList(const std::vector<std::string>& args, OptionValue* value,
                      std::string* error) {
  if (args.size() > kMaxBindAddresses) {
    *error = "Too many bind addresses specified.";
    return false;
  }
  bool none = args.size() == 1 && args[0].empty();
  value->words = none ? std::vector<std::string>() : args;
  value->text = Join(value->words);
  return true;
}

bool ParseSaveRules(const std::vector<std::string>& args, OptionValue* value, std::string* error) {
  value->numbers.clear();
  if (args.size() == 1 && args[0].empty()) {
    FormatSaveRules(value);
    return true;
  }
  bool valid = args.size() % 2 == 0;
  for (size_t i = 0; valid && i < args.size(); ++i) {
    int64_t number;
    bool is_seconds = i % 2 == 0;
    valid = ParseLooseInteger(args[i], &number) && number >= (is_seconds ? 1 : 0);
    value->numbers.push_back(number);
  }
  if (!valid) {
    *error = "Invalid save parameters";
    return false;
  }
  FormatSaveRules(value);
  return true;
}

int ClientClassIndex(std::string_view name) {
  if (EqualsNoCase(name, "normal")) return 0;
  if (EqualsNoCase(name, "replica") || EqualsNoCase(name, "slave")) return 1;
  if (EqualsNoCase(name, "pubsub")) return 2;
  return -1;
}

bool ParseOutputBufferLimits(const std::vector<std::string>& args, const OptionValue& current,
                             OptionValue* value, std::string* error) {
  if (args.size() % 4 != 0) {
    *error = "Wrong number of arguments in buffer limit configuration.";
    return false;
  }
  value->numbers = current.numbers;
  value->numbers.resize(kOutputBufferClassCount * 3, 0);
  for (size_t i = 0; i < args.size(); i += 4) {
    int index = ClientClassIndex(args[i]);
    if (index < 0) {
      *error = "Invalid client class specified in buffer limit configuration.";
      return false;
    }
    uint64_t hard, soft;
    // Like Redis, the seconds are read with strtoll and whatever follows them is ignored.
    int64_t soft_seconds = std::strtoll(args[i + 3].c_str(), nullptr, 10);
    if (!ParseMemorySize(args[i + 1], &hard) || !ParseMemorySize(args[i + 2], &soft) ||
        hard > static_cast<uint64_t>(INT64_MAX) || soft > static_cast<uint64_t>(INT64_MAX) ||
        soft_seconds < 0) {
      *error = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
      return false;
    }
    int64_t* limits = &value->numbers[static_cast<size_t>(index) * 3];
    limits[0] = static_cast<int64_t>(hard);
    limits[1] = static_cast<int64_t>(soft);
    limits[2] = soft_seconds;
  }
  value->text.clear();
  for (size_t c = 0; c < kOutputBufferClassCount; ++c) {
    if (c > 0) value->text += ' ';
    value->text += std::string(kClassGetNames[c]) + " " + std::to_string(value->numbers[c * 3]) +
                   " " + std::to_string(value->numbers[c * 3 + 1]) + " " +
                   std::to_string(value->numbers[c * 3 + 2]);
  }
  return true;
}

bool ParseKeyspaceEvents(const std::string& arg, OptionValue* value, std::string* error) {
  int64_t flags = 0;
  for (char c : arg) {
    auto matches = [c](const EventLetter& entry) { return entry.letter == c; };
    const EventLetter* in_class =
        std::find_if(std::begin(kClassLetters), std::end(kClassLetters), matches);
    const EventLetter* in_type =
        std::find_if(std::begin(kTypeLetters), std::end(kTypeLetters), matches);
    if (c == 'A') {
      flags |= kNotifyAll;
    } else if (in_class != std::end(kClassLetters)) {
      flags |= in_class->flag;
    } else if (in_type != std::end(kTypeLetters)) {
      flags |= in_type->flag;
    } else {
      *error = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
      return false;
    }
  }
  value->number = flags;
  value->text.clear();
  if ((flags & kNotifyAll) == kNotifyAll) {
    value->text.push_back('A');  // like Redis, "A" stands for the classes and hides 'n'
  } else {
    for (const EventLetter& entry : kClassLetters) {
      if (flags & entry.flag) value->text.push_back(entry.letter);
    }
  }
  for (const EventLetter& entry : kTypeLetters) {
    if (flags & entry.flag) value->text.push_back(entry.letter);
  }
  return true;
}

std::vector<RewriteLine> OutputBufferRewriteLines(const OptionSpec& spec, const OptionValue& value,
                                                  const OptionValue& default_value) {
  std::vector<RewriteLine> lines;
  for (size_t c = 0; c < kOutputBufferClassCount; ++c) {
    const int64_t* limits = &value.numbers[c * 3];
    bool differs = !std::equal(limits, limits + 3, &default_value.numbers[c * 3]);
    lines.push_back({std::string(spec.name) + " " + std::string(kClassRewriteNames[c]) + " " +
                         FormatMemorySize(limits[0]) + " " + FormatMemorySize(limits[1]) + " " +
                         std::to_string(limits[2]),
                     differs});
  }
  return lines;
}

std::vector<RewriteLine> SaveRewriteLines(const OptionSpec& spec, const OptionValue& value) {
  std::vector<RewriteLine> lines;
  for (size_t i = 0; i + 1 < value.numbers.size(); i += 2) {
    lines.push_back({std::string(spec.name) + " " + std::to_string(value.numbers[i]) + " " +
                         std::to_string(value.numbers[i + 1]),
                     true});
  }
  if (lines.empty()) lines.push_back({std::string(spec.name) + " \"\"", true});
  return lines;
}

}  // namespace

bool ParseOptionValue(const OptionSpec& spec, const std::vector<std::string>& args,
                      const OptionValue& current, OptionValue* value, std::string* error) {
  *value = OptionValue();
  if (!IsMultiArgOption(spec) && args.size() != 1) {
    *error = "wrong number of arguments";
    return false;
  }
  switch (spec.type) {
    case OptionType::kBool:
      return ParseBool(args[0], value, error);
    case OptionType::kInteger:
    case OptionType::kMemory:
      return ParseNumber(spec, args[0], value, error);
    case OptionType::kEnum:
      return ParseEnum(spec, args[0], value, error);
    case OptionType::kString:
      return ParseString(spec, args[0], value, error);
    case OptionType::kAddressList:
      return ParseAddressList(args, value, error);
    case OptionType::kSaveRules:
      return ParseSaveRules(args, value, error);
    case OptionType::kOutputBufferLimits:
      return ParseOutputBufferLimits(args, current, value, error);
    case OptionType::kKeyspaceEvents:
      return ParseKeyspaceEvents(args[0], value, error);
  }
  return false;
}

void FormatSaveRules(OptionValue* value) {
  value->text.clear();
  for (int64_t number : value->numbers) {
    if (!value->text.empty()) value->text.push_back(' ');
    value->text += std::to_string(number);
  }
}

std::vector<RewriteLine> RewriteLinesFor(const OptionSpec& spec, const OptionValue& value,
                                         const OptionValue& default_value) {
  std::string prefix = std::string(spec.name) + " ";
  bool differs = value.text != default_value.text;
  switch (spec.type) {
    case OptionType::kMemory:
      return {{prefix + FormatMemorySize(value.number), differs}};
    case OptionType::kString:
    case OptionType::kKeyspaceEvents:
      return {{prefix + QuoteConfigValue(value.text), differs}};
    case OptionType::kAddressList:
      return {{prefix + (value.words.empty() ? "\"\"" : value.text), differs}};
    case OptionType::kSaveRules:
      return SaveRewriteLines(spec, value);
    case OptionType::kOutputBufferLimits:
      return OutputBufferRewriteLines(spec, value, default_value);
    case OptionType::kBool:
    case OptionType::kInteger:
    case OptionType::kEnum:
      break;
  }
  return {{prefix + value.text, differs}};
}

}  // namespace cairn
