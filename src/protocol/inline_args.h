// Splitting of inline commands ("SET key \"a b\"\r\n") into arguments, with the quoting
// rules of Redis's sdssplitargs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cairn {

// Splits one inline line (without its line ending) into *args, replacing its contents.
// Arguments are separated by blanks; "..." understands \n \r \t \b \a \xHH and \<any char>;
// '...' understands \'; a quote may open in the middle of an argument (ab"cd" is "abcd")
// and a closing quote must be followed by a blank or the end of the line. Like the C string
// sdssplitargs works on, the line ends at its first NUL byte. Returns false (and leaves
// *args empty) on unbalanced quotes.
bool SplitInlineArguments(std::string_view line, std::vector<std::string>* args);

}  // namespace cairn
