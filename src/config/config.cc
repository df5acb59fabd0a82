// Config: loading (file and command line, as redis-server does), CONFIG SET with rollback,
// CONFIG GET with globs, change hooks and the typed accessors. CONFIG REWRITE lives in
// config_rewrite.cc.
#include "src/config/config.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "encoding/glob.h"
#include "src/config/config_text.h"
#include "src/version.h"

namespace cairn {

namespace {

std::string FatalReport(size_t line_number, std::string_view line, const std::string& reason) {
  return std::string("*** FATAL CONFIG FILE ERROR (Cairn ") + kCairnVersion + ") ***\n" +
         "Reading the configuration file, at line " + std::to_string(line_number) + "\n" + ">>> '" +
         std::string(line) + "'\n" + reason;
}

std::string SetFailure(std::string_view name, const std::string& reason) {
  std::string message = "ERR CONFIG SET failed (possibly related to argument '";
  message += name;
  message += "')";
  if (!reason.empty()) message += " - " + reason;
  return message;
}

bool HasGlobCharacters(std::string_view pattern) {
  return pattern.find_first_of("[*?") != std::string_view::npos;
}

// Turns "--name value ..." arguments into config lines the way redis-server's main() does:
// a value is quoted, "--name value" in one argument is a complete line, a bare "--save"
// followed by another option (or by nothing) means save "".
std::string ArgumentsToConfigText(const std::vector<std::string>& arguments) {
  std::string text;
  bool last_option_has_value = true;
  for (size_t j = 0; j < arguments.size(); ++j) {
    const std::string& argument = arguments[j];
    if (!last_option_has_value || !argument.starts_with("--")) {
      text += QuoteConfigValue(argument) + " ";
      last_option_has_value = true;
      continue;
    }
    if (!text.empty()) text += "\n";
    text += argument.substr(2) + " ";
    std::vector<std::string> words;
    last_option_has_value = !SplitConfigArgs(argument, &words) || words.size() != 1;
    bool next_is_option = j + 1 == arguments.size() || arguments[j + 1].starts_with("--");
    if (!last_option_has_value && EqualsNoCase(argument, "--save") && next_is_option) {
      text += "\"\"";
      last_option_has_value = true;
    }
  }
  return text;
}

}  // namespace

struct Config::PendingChange {
  const OptionSpec* spec;
  std::string value;
  OptionValue old_value;
  OptionValue new_value;
  bool changed = false;
};

Config::Config() : hooks_(kOptionCount) {
  const std::vector<OptionSpec>& options = AllOptions();
  values_.resize(options.size());
  for (size_t i = 0; i < options.size(); ++i) {
    const OptionSpec& spec = options[i];
    std::vector<std::string> args = {std::string(spec.default_value)};
    if (IsMultiArgOption(spec)) SplitConfigArgs(spec.default_value, &args);
    OptionValue value;
    std::string error;
    if (static_cast<size_t>(spec.id) != i || !ParseOptionValue(spec, args, {}, &value, &error)) {
      fprintf(stderr, "Bad entry for '%s' in the option table: %s\n",
              std::string(spec.name).c_str(), error.c_str());
      std::abort();
    }
    defaults_.push_back(value);
    Store(spec.id, std::move(value));
  }
}

bool Config::Load(const std::string& path, const std::vector<std::string>& arguments,
                  std::string* error) {
  if (!path.empty() && !LoadFile(path, error)) return false;
  return ApplyArguments(arguments, error);
}

bool Config::LoadFile(const std::string& path, std::string* error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    *error = "Fatal error, can't open config file '" + path + "': " + std::strerror(errno);
    return false;
  }
  std::ostringstream content;
  content << file.rdbuf();
  std::string text = content.str();
  std::error_code ignored;
  std::filesystem::path absolute = std::filesystem::absolute(path, ignored);
  file_path_ = absolute.empty() ? path : absolute.lexically_normal().string();
  file_newlines_ = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  return LoadText(text, 1, error);
}

bool Config::ApplyArguments(const std::vector<std::string>& arguments, std::string* error) {
  if (arguments.empty()) return true;
  // redis-server parses "<file>\n<arguments>", so the first argument line comes right
  // after the file's last line (and is line 2 without a file).
  return LoadText(ArgumentsToConfigText(arguments), file_newlines_ + 2, error);
}

bool Config::LoadText(std::string_view text, size_t first_line_number, std::string* error) {
  std::vector<std::string> lines = SplitOn(text, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string reason;
    if (!LoadLine(lines[i], &reason)) {
      *error = FatalReport(first_line_number + i, TrimConfigLine(lines[i]), reason);
      return false;
    }
  }
  return true;
}

bool Config::LoadLine(std::string_view line, std::string* reason) {
  line = TrimConfigLine(line);
  if (line.empty() || line[0] == '#') return true;
  std::vector<std::string> args;
  if (!SplitConfigArgs(line, &args)) {
    *reason = "Unbalanced quotes in configuration line";
    return false;
  }
  if (args.empty()) return true;
  const OptionSpec* spec = FindOption(args[0]);
  if (spec == nullptr) {
    *reason = "Bad directive or wrong number of arguments";
    return false;
  }
  args.erase(args.begin());
  // A multi-word option given as one quoted argument ("save '60 1 300 10'") is split.
  if (IsMultiArgOption(*spec) && args.size() == 1 && !args[0].empty()) {
    std::string joined = std::move(args[0]);
    if (!SplitConfigArgs(joined, &args)) {
      *reason = "Unbalanced quotes in configuration line";
      return false;
    }
  }
  OptionValue current = Current(spec->id);
  OptionValue value;
  if (!ParseOptionValue(*spec, args, current, &value, reason)) return false;
  if (spec->id == OptionId::kSave) {
    bool reset = args.size() == 1 && args[0].empty();
    // The file's first save line replaces the default rules; later ones add to them.
    if (save_loaded_ && !reset) {
      value.numbers.insert(value.numbers.begin(), current.numbers.begin(), current.numbers.end());
      FormatSaveRules(&value);
    }
    save_loaded_ = true;
  }
  Store(spec->id, std::move(value));
  return true;
}

bool Config::Set(const std::vector<std::pair<std::string, std::string>>& changes,
                 std::string* error) {
  std::lock_guard<std::mutex> serial(change_mutex_);
  std::vector<PendingChange> pending;
  return ResolveChanges(changes, &pending, error) && ParseChanges(&pending, error) &&
         ApplyChanges(&pending, error);
}

// Redis's order of checks: the first unknown name wins over everything; otherwise the
// first immutable or duplicate option.
bool Config::ResolveChanges(const std::vector<std::pair<std::string, std::string>>& changes,
                            std::vector<PendingChange>* pending, std::string* error) const {
  std::string unknown;
  std::string failure;
  for (const auto& [name, value] : changes) {
    const OptionSpec* spec = FindOption(name);
    if (spec == nullptr) {
      if (unknown.empty() && failure.empty()) unknown = name;
      continue;
    }
    if (!unknown.empty() || !failure.empty()) continue;
    if (!spec->mutable_at_runtime) {
      failure = SetFailure(name, "can't set immutable config");
      continue;
    }
    for (const PendingChange& earlier : *pending) {
      if (earlier.spec == spec) failure = SetFailure(name, "duplicate parameter");
    }
    pending->push_back({spec, value, {}, {}});
  }
  if (!unknown.empty()) {
    *error = "ERR Unknown option or number of arguments for CONFIG SET - '" + unknown + "'";
    return false;
  }
  if (!failure.empty()) {
    *error = failure;
    return false;
  }
  return true;
}

bool Config::ParseChanges(std::vector<PendingChange>* pending, std::string* error) const {
  for (PendingChange& change : *pending) {
    // CONFIG SET splits multi-word values at single spaces, like Redis.
    std::vector<std::string> args = IsMultiArgOption(*change.spec)
                                        ? SplitOn(change.value, ' ')
                                        : std::vector<std::string>{change.value};
    change.old_value = Current(change.spec->id);
    std::string reason;
    if (!ParseOptionValue(*change.spec, args, change.old_value, &change.new_value, &reason)) {
      *error = SetFailure(change.spec->name, reason);
      return false;
    }
    change.changed = change.new_value.text != change.old_value.text;
  }
  return true;
}

// Stores every new value, then runs the hooks of the options that changed. If a hook
// fails, the old values come back and the hooks that already ran run again so that
// whatever they configured follows the old values too.
bool Config::ApplyChanges(std::vector<PendingChange>* pending, std::string* error) {
  for (const PendingChange& change : *pending) Store(change.spec->id, change.new_value);
  for (size_t i = 0; i < pending->size(); ++i) {
    const PendingChange& change = (*pending)[i];
    if (!change.changed) continue;
    for (const ChangeHook& hook : hooks_[static_cast<size_t>(change.spec->id)]) {
      std::string reason;
      if (hook(&reason)) continue;
      for (const PendingChange& undo : *pending) Store(undo.spec->id, undo.old_value);
      for (size_t j = 0; j <= i; ++j) {
        if (!(*pending)[j].changed) continue;
        std::string ignored;
        for (const ChangeHook& redo : hooks_[static_cast<size_t>((*pending)[j].spec->id)]) {
          redo(&ignored);
        }
      }
      *error = SetFailure(change.spec->name, reason);
      return false;
    }
  }
  return true;
}

std::vector<std::pair<std::string, std::string>> Config::Get(
    const std::vector<std::string>& patterns) const {
  std::vector<std::pair<std::string, std::string>> matches;
  auto add = [&matches, this](std::string_view name, const OptionSpec& spec) {
    for (const auto& match : matches) {
      if (EqualsNoCase(match.first, name)) return;
    }
    matches.emplace_back(std::string(name), Text(spec.id));
  };
  for (const std::string& pattern : patterns) {
    if (!HasGlobCharacters(pattern)) {
      // An exact name is answered under the spelling the client used, as Redis does.
      if (const OptionSpec* spec = FindOption(pattern)) add(pattern, *spec);
      continue;
    }
    for (const OptionSpec& spec : AllOptions()) {
      if (GlobMatch(pattern, spec.name, true)) add(spec.name, spec);
      for (std::string_view alias : spec.aliases) {
        if (GlobMatch(pattern, alias, true)) add(alias, spec);
      }
    }
  }
  return matches;
}

void Config::OnChange(const std::string& name, ChangeHook hook) {
  const OptionSpec* spec = FindOption(name);
  if (spec == nullptr) {
    fprintf(stderr, "Config::OnChange: no option named '%s'\n", name.c_str());
    std::abort();
  }
  std::lock_guard<std::mutex> serial(change_mutex_);
  hooks_[static_cast<size_t>(spec->id)].push_back(std::move(hook));
}

std::string Config::config_file() const { return file_path_; }

std::vector<std::string> Config::bind_addresses() const {
  std::shared_lock<std::shared_mutex> lock(values_mutex_);
  return values_[static_cast<size_t>(OptionId::kBind)].words;
}

std::vector<SaveRule> Config::save_rules() const {
  std::shared_lock<std::shared_mutex> lock(values_mutex_);
  const std::vector<int64_t>& numbers = values_[static_cast<size_t>(OptionId::kSave)].numbers;
  std::vector<SaveRule> rules;
  for (size_t i = 0; i + 1 < numbers.size(); i += 2) rules.push_back({numbers[i], numbers[i + 1]});
  return rules;
}

OutputBufferLimit Config::output_buffer_limit(ClientClass client_class) const {
  size_t base = static_cast<size_t>(client_class) * 3;
  return {static_cast<uint64_t>(output_limits_[base].load(std::memory_order_relaxed)),
          static_cast<uint64_t>(output_limits_[base + 1].load(std::memory_order_relaxed)),
          output_limits_[base + 2].load(std::memory_order_relaxed)};
}

std::string Config::Text(OptionId id) const {
  std::shared_lock<std::shared_mutex> lock(values_mutex_);
  return values_[static_cast<size_t>(id)].text;
}

std::string Config::EnumName(OptionId id) const {
  return std::string(OptionSpecFor(id).enum_names[static_cast<size_t>(Number(id))]);
}

OptionValue Config::Current(OptionId id) const {
  std::shared_lock<std::shared_mutex> lock(values_mutex_);
  return values_[static_cast<size_t>(id)];
}

void Config::Store(OptionId id, OptionValue value) {
  size_t index = static_cast<size_t>(id);
  std::unique_lock<std::shared_mutex> lock(values_mutex_);
  numbers_[index].store(value.number, std::memory_order_relaxed);
  if (id == OptionId::kClientOutputBufferLimit) {
    for (size_t i = 0; i < output_limits_.size(); ++i) {
      output_limits_[i].store(value.numbers[i], std::memory_order_relaxed);
    }
  }
  values_[index] = std::move(value);
}

}  // namespace cairn
