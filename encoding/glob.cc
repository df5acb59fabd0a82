// A transcription of Redis 7.0's stringmatchlen_impl onto bounded string_views. Redis reads
// the pattern's NUL terminator in a few places; here those reads are bounds checks with the
// same outcome. Characters are compared as Redis does, as (signed) char, so byte ranges in
// brackets behave identically for bytes >= 0x80.
#include "encoding/glob.h"

#include <utility>

namespace cairn {

namespace {

constexpr int kMaxNesting = 1000;

int Lower(int c) { return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c; }
int CharValue(char c) { return static_cast<signed char>(c); }

bool SameChar(char a, char b, bool nocase) {
  return nocase ? Lower(CharValue(a)) == Lower(CharValue(b)) : a == b;
}

class Matcher {
 public:
  explicit Matcher(bool nocase) : nocase_(nocase) {}

  bool Match(const char* p, size_t plen, const char* s, size_t slen, int nesting) {
    if (nesting > kMaxNesting) return false;
    while (plen > 0 && slen > 0) {
      switch (p[0]) {
        case '*':
          return MatchStar(p, plen, s, slen, nesting);
        case '?':
          break;
        case '[':
          if (!MatchBracket(&p, &plen, s[0])) return false;
          break;
        case '\\':
          if (plen >= 2) {
            p++;
            plen--;
          }
          [[fallthrough]];
        default:
          if (!SameChar(p[0], s[0], nocase_)) return false;
          break;
      }
      s++;
      slen--;
      p++;
      plen--;
      if (slen == 0) {
        while (plen > 0 && p[0] == '*') {
          p++;
          plen--;
        }
        break;
      }
    }
    return plen == 0 && slen == 0;
  }

 private:
  bool MatchStar(const char* p, size_t plen, const char* s, size_t slen, int nesting) {
    while (plen > 1 && p[1] == '*') {
      p++;
      plen--;
    }
    if (plen == 1) return true;
    while (slen > 0) {
      if (Match(p + 1, plen - 1, s, slen, nesting + 1)) return true;
      // The rest of the pattern matched nowhere in a suffix: a longer match for an
      // earlier '*' cannot help either.
      if (skip_longer_matches_) return false;
      s++;
      slen--;
    }
    skip_longer_matches_ = true;
    return false;
  }

  // On entry *p points at '['; on return at the closing ']' (or the last pattern byte when
  // the bracket is unterminated), like Redis leaves it before its common advance.
  bool MatchBracket(const char** pp, size_t* pplen, char c) {
    const char* p = *pp + 1;
    size_t plen = *pplen - 1;
    bool negate = plen > 0 && p[0] == '^';
    if (negate) {
      p++;
      plen--;
    }
    bool match = false;
    while (true) {
      if (plen >= 2 && p[0] == '\\') {
        p++;
        plen--;
        if (p[0] == c) match = true;
      } else if (plen == 0) {
        p--;
        plen++;
        break;
      } else if (p[0] == ']') {
        break;
      } else if (plen >= 3 && p[1] == '-') {
        int start = CharValue(p[0]);
        int end = CharValue(p[2]);
        int value = CharValue(c);
        if (start > end) std::swap(start, end);
        if (nocase_) {
          start = Lower(start);
          end = Lower(end);
          value = Lower(value);
        }
        p += 2;
        plen -= 2;
        if (value >= start && value <= end) match = true;
      } else if (SameChar(p[0], c, nocase_)) {
        match = true;
      }
      p++;
      plen--;
    }
    *pp = p;
    *pplen = plen;
    return negate ? !match : match;
  }

  bool nocase_;
  bool skip_longer_matches_ = false;
};

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text, bool nocase) {
  Matcher matcher(nocase);
  return matcher.Match(pattern.data(), pattern.size(), text.data(), text.size(), 0);
}

std::string GlobLiteralPrefix(std::string_view pattern) {
  std::string prefix;
  for (size_t i = 0; i < pattern.size(); i++) {
    char c = pattern[i];
    if (c == '*' || c == '?' || c == '[') break;
    if (c == '\\' && i + 1 < pattern.size()) c = pattern[++i];
    prefix.push_back(c);
  }
  return prefix;
}

}  // namespace cairn
