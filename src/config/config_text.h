// The text rules of Redis's configuration format: splitting a line into arguments with
// quotes (sdssplitargs), quoting a value back (sdscatrepr), and the number and memory
// notations. Shared by the config loader, CONFIG SET and CONFIG REWRITE.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn {

// Splits a line like Redis's sdssplitargs: blanks separate arguments; "double quotes" take
// \n \r \t \b \a \xHH and \<char> escapes; 'single quotes' take \' only; a closing quote
// must be followed by a blank or the end. Returns false on unbalanced quotes.
bool SplitConfigArgs(std::string_view line, std::vector<std::string>* args);

// Quotes bytes so that SplitConfigArgs gives them back (Redis's sdscatrepr).
std::string QuoteConfigValue(std::string_view bytes);

// Redis's string2ll: optional '-', digits without leading zeros, no blanks, fits int64.
bool ParseConfigInteger(std::string_view text, int64_t* value);

// Redis's memtoull: digits then an optional unit b, k (1000), kb (1024), m, mb, g, gb, any
// case. "" and a bare unit mean 0, as in Redis. Fails on a sign, blanks or overflow.
bool ParseMemorySize(std::string_view text, uint64_t* bytes);

// The form CONFIG REWRITE writes memory in: the largest of gb/mb/kb dividing it exactly.
std::string FormatMemorySize(int64_t bytes);

bool EqualsNoCase(std::string_view a, std::string_view b);
std::string LowerCase(std::string_view text);

// Splits text at every separator like Redis's sdssplitlen: "a\n" gives {"a", ""} and ""
// gives {}.
std::vector<std::string> SplitOn(std::string_view text, char separator);

// Trims blanks (" \t\r\n") from both ends.
std::string_view TrimConfigLine(std::string_view line);

}  // namespace cairn
