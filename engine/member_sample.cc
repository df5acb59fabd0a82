// The exact walk and the seek-based picks of MemberSampler (see member_sample.h).
#include "engine/member_sample.h"

#include <algorithm>
#include <array>
#include <limits>
#include <span>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace cairn {

namespace {

// Picks with repeats on the walk path are drawn and read in chunks this large, so that a
// huge negative count does not allocate its positions all at once.
constexpr uint64_t kWalkChunk = uint64_t{1} << 20;
// Collections up to this size are sampled by the exact walk (Redis's listpack sets and
// hashes are exactly uniform up to 128 members too). Kept small because a walk crosses the
// tombstones of every member popped before: a set SPOPped down from 60k members to 512
// would walk 60k deleted entries per pick.
constexpr uint64_t kWalkLimit = 128;
// Random bytes a seek target carries beyond the longer bounding member (so that members
// longer than both bounds are reached too), and a cap for very long members.
constexpr size_t kExtraTargetBytes = 8;
constexpr size_t kMaxTargetTail = 64;
// One target byte in this many ignores the alphabet, so every member stays reachable.
constexpr uint64_t kOffAlphabetOdds = 64;
// A target past the last member is drawn again this many times before the pick wraps around
// to the first member. Wrapping at once would hand the first member the weight of the whole
// key space past the last one; after SPOPs that member's removal makes it the next first
// member's, and every SeekToFirst wades through the growing run of deleted members.
constexpr int kOverflowRedraws = 3;
// Distinct picks by seeking give up after this many attempts per wanted member (plus a
// constant) and choose the rest by a walk.
constexpr uint64_t kAttemptsPerPick = 4;
constexpr uint64_t kExtraAttempts = 16;

uint64_t Uniform(std::mt19937_64& random, uint64_t low, uint64_t high) {
  return std::uniform_int_distribution<uint64_t>(low, high)(random);
}

// `count` distinct positions in [0, size), uniformly chosen, ascending (count <= size).
std::vector<uint64_t> SampleDistinctPositions(uint64_t size, uint64_t count,
                                              std::mt19937_64& random) {
  std::vector<uint64_t> positions;
  positions.reserve(count);
  if (count * 2 >= size) {
    // Most of the collection: Knuth's selection sampling walks the range once.
    for (uint64_t i = 0; i < size && positions.size() < count; ++i) {
      if (Uniform(random, 0, size - i - 1) < count - positions.size()) positions.push_back(i);
    }
    return positions;
  }
  // A small part of it: Floyd's algorithm draws exactly `count` distinct values.
  std::unordered_set<uint64_t> chosen;
  for (uint64_t j = size - count; j < size; ++j) {
    uint64_t t = Uniform(random, 0, j);
    if (!chosen.insert(t).second) chosen.insert(j);
  }
  positions.assign(chosen.begin(), chosen.end());
  std::sort(positions.begin(), positions.end());
  return positions;
}

// Visits the member at each of `positions` (any order, repeats allowed) in the order given,
// reading each distinct position once in one forward pass. Positions past the end are skipped.
Status VisitPositions(MemberIterator& iterator, std::span<const uint64_t> positions,
                      SampleCounters* counters, const MemberVisitor& visit) {
  std::vector<std::pair<uint64_t, size_t>> order;
  order.reserve(positions.size());
  for (size_t i = 0; i < positions.size(); ++i) order.emplace_back(positions[i], i);
  std::sort(order.begin(), order.end());
  std::vector<std::pair<std::string, std::string>> found(positions.size());
  std::vector<bool> present(positions.size(), false);
  iterator.SeekToFirst();
  ++counters->seeks;
  uint64_t current = 0;
  for (const auto& [position, slot] : order) {
    while (iterator.Valid() && current < position) {
      iterator.Next();
      ++counters->steps;
      ++current;
    }
    if (!iterator.Valid()) break;
    found[slot] = {std::string(iterator.member_part()), std::string(iterator.value())};
    present[slot] = true;
  }
  Status s = iterator.status();
  if (!s.ok()) return s;
  for (size_t i = 0; i < positions.size(); ++i) {
    if (present[i]) visit(found[i].first, found[i].second);
  }
  return Status::OK();
}

}  // namespace

std::mt19937_64& SampleRandom() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  return random;
}

// Random seek targets between a first and a last member part.
class SeekTargets {
 public:
  SeekTargets(std::string_view first, std::string_view last) {
    size_t common =
        std::mismatch(first.begin(), first.end(), last.begin(), last.end()).first - first.begin();
    prefix_.assign(first.substr(0, common));
    if (common == first.size() && common == last.size()) {
      single_ = true;
      return;
    }
    // first < last, so `last` goes on past the common prefix; `first` may end there.
    low_ = common < first.size() ? static_cast<uint8_t>(first[common]) : 0;
    high_ = static_cast<uint8_t>(last[common]);
    BuildAlphabet(first.substr(common), last.substr(common));
    size_t longest = std::max(first.size(), last.size());
    tail_ = std::min(longest - common - 1 + kExtraTargetBytes, kMaxTargetTail);
    // Members of different lengths: a target may end early, so that a member that is a
    // prefix of others ("user:12" before "user:123") is reached as often as its siblings.
    if (first.size() != last.size()) {
      size_t shortest = std::min(first.size(), last.size());
      end_from_ = shortest > common + 1 ? shortest - common - 1 : 0;
    }
  }

  void Draw(std::mt19937_64& random, std::string* target) const {
    target->assign(prefix_);
    if (single_) return;
    target->push_back(static_cast<char>(DrawByte(random, low_, high_)));
    for (size_t i = 0; i < tail_; ++i) {
      if (i >= end_from_ && Uniform(random, 0, alphabet_.size()) == 0) break;
      target->push_back(static_cast<char>(DrawByte(random, 0, 255)));
    }
  }

 private:
  // The bytes seen past the common prefix, widened to whole classes where members evidently
  // use them (any digit: all digits; a letter past 'f': the whole case, which keeps hex ids
  // on their 16 letters). Binary members get every byte.
  void BuildAlphabet(std::string_view first_tail, std::string_view last_tail) {
    std::array<bool, 256> seen{};
    bool text = true;
    for (std::string_view tail : {first_tail, last_tail}) {
      for (char c : tail) {
        auto byte = static_cast<uint8_t>(c);
        seen[byte] = true;
        text = text && byte >= 0x20 && byte <= 0x7e;
      }
    }
    auto widen = [&seen](char from, char to, char trigger) {
      bool used = false;
      for (int c = trigger; c <= to; ++c) used = used || seen[c];
      if (used) std::fill(seen.begin() + from, seen.begin() + to + 1, true);
    };
    if (text) {
      widen('0', '9', '0');
      widen('a', 'z', 'g');
      widen('A', 'Z', 'G');
    } else {
      seen.fill(true);
    }
    for (int byte = 0; byte < 256; ++byte) {
      if (seen[byte]) alphabet_.push_back(static_cast<uint8_t>(byte));
    }
  }

  // A byte in [low, high]: from the alphabet mostly, any byte now and then.
  uint8_t DrawByte(std::mt19937_64& random, uint8_t low, uint8_t high) const {
    auto begin = std::lower_bound(alphabet_.begin(), alphabet_.end(), low);
    auto end = std::upper_bound(alphabet_.begin(), alphabet_.end(), high);
    if (begin == end || Uniform(random, 0, kOffAlphabetOdds - 1) == 0) {
      return static_cast<uint8_t>(Uniform(random, low, high));
    }
    return *(begin + static_cast<ptrdiff_t>(Uniform(random, 0, end - begin - 1)));
  }

  std::string prefix_;
  bool single_ = false;
  uint8_t low_ = 0;
  uint8_t high_ = 0;
  std::vector<uint8_t> alphabet_;
  size_t tail_ = 0;
  size_t end_from_ = std::numeric_limits<size_t>::max();
};

MemberSampler::MemberSampler(MemberIterator& iterator, uint64_t size, std::mt19937_64& random,
                             SampleMethod method)
    : iterator_(iterator), size_(size), random_(random), method_(method) {}

MemberSampler::~MemberSampler() = default;

bool MemberSampler::UseWalk(uint64_t count) const {
  if (method_ != SampleMethod::kAuto) return method_ == SampleMethod::kWalk;
  // Past a third of the collection the reply is O(N) anyway and the walk is exact.
  return size_ <= kWalkLimit || count > size_ / 3;
}

Status MemberSampler::PickDistinct(uint64_t count, const MemberVisitor& visit) {
  count = std::min(count, size_);
  if (count == 0) return Status::OK();
  if (count == size_ || UseWalk(count)) return WalkDistinct(count, visit);
  return SeekDistinct(count, visit);
}

Status MemberSampler::PickWithRepeats(uint64_t count, const MemberVisitor& visit) {
  if (count == 0 || size_ == 0) return Status::OK();
  if (UseWalk(count)) return WalkWithRepeats(count, visit);
  Status s = LoadBounds();
  for (uint64_t i = 0; i < count && s.ok(); ++i) {
    s = SeekOne();
    if (!s.ok() || !iterator_.Valid()) break;
    visit(iterator_.member_part(), iterator_.value());
  }
  return s;
}

Status MemberSampler::WalkDistinct(uint64_t count, const MemberVisitor& visit) {
  if (count >= size_) {
    ++counters_.seeks;
    for (iterator_.SeekToFirst(); iterator_.Valid(); iterator_.Next()) {
      visit(iterator_.member_part(), iterator_.value());
      ++counters_.steps;
    }
    return iterator_.status();
  }
  std::vector<uint64_t> positions = SampleDistinctPositions(size_, count, random_);
  std::shuffle(positions.begin(), positions.end(), random_);
  return VisitPositions(iterator_, positions, &counters_, visit);
}

Status MemberSampler::WalkWithRepeats(uint64_t count, const MemberVisitor& visit) {
  Status s;
  std::uniform_int_distribution<uint64_t> pick(0, size_ - 1);
  for (uint64_t done = 0; done < count && s.ok();) {
    uint64_t chunk = std::min(count - done, kWalkChunk);
    std::vector<uint64_t> positions(chunk);
    for (uint64_t& position : positions) position = pick(random_);
    s = VisitPositions(iterator_, positions, &counters_, visit);
    done += chunk;
  }
  return s;
}

Status MemberSampler::SeekDistinct(uint64_t count, const MemberVisitor& visit) {
  Status s = LoadBounds();
  if (!s.ok()) return s;
  std::unordered_set<std::string> chosen;
  std::vector<std::pair<std::string, std::string>> picks;
  const uint64_t attempts = kAttemptsPerPick * count + kExtraAttempts;
  for (uint64_t attempt = 0; picks.size() < count && attempt < attempts; ++attempt) {
    s = SeekOne();
    if (!s.ok()) return s;
    if (!iterator_.Valid()) break;
    if (chosen.emplace(iterator_.member_part()).second) {
      picks.emplace_back(iterator_.member_part(), iterator_.value());
    }
  }
  if (picks.size() < count && iterator_.Valid()) {
    // Unlucky or badly skewed: choose the rest uniformly among the members not yet chosen
    // (Knuth's selection sampling over one walk).
    uint64_t needed = count - picks.size();
    uint64_t remaining = size_ > chosen.size() ? size_ - chosen.size() : 0;
    ++counters_.seeks;
    for (iterator_.SeekToFirst(); iterator_.Valid() && needed > 0; iterator_.Next()) {
      ++counters_.steps;
      if (chosen.contains(std::string(iterator_.member_part())) || remaining == 0) continue;
      if (Uniform(random_, 0, remaining - 1) < needed) {
        picks.emplace_back(iterator_.member_part(), iterator_.value());
        --needed;
      }
      --remaining;
    }
    s = iterator_.status();
    if (!s.ok()) return s;
    std::shuffle(picks.begin(), picks.end(), random_);
  }
  for (const auto& [member, value] : picks) visit(member, value);
  return Status::OK();
}

Status MemberSampler::LoadBounds() {
  if (targets_ != nullptr) return Status::OK();
  std::string first;
  std::string last;
  if (iterator_.KnownBounds(&first, &last)) {
    targets_ = std::make_unique<SeekTargets>(first, last);
    return Status::OK();
  }
  ++counters_.seeks;
  iterator_.SeekToFirst();
  if (!iterator_.Valid()) return iterator_.status();
  first.assign(iterator_.member_part());
  ++counters_.seeks;
  iterator_.SeekToLast();
  if (!iterator_.Valid()) return iterator_.status();
  iterator_.RememberBounds(first, iterator_.member_part());
  targets_ = std::make_unique<SeekTargets>(first, iterator_.member_part());
  return Status::OK();
}

Status MemberSampler::SeekOne() {
  ++counters_.seeks;
  if (targets_ == nullptr) {
    iterator_.SeekToFirst();  // an empty collection: leaves the iterator invalid
    return iterator_.status();
  }
  std::string target;
  for (int draw = 0; draw <= kOverflowRedraws; ++draw) {
    if (draw > 0) ++counters_.seeks;
    targets_->Draw(random_, &target);
    iterator_.Seek(target);
    if (iterator_.Valid() || !iterator_.status().ok()) return iterator_.status();
  }
  ++counters_.seeks;
  iterator_.SeekToFirst();  // past the last member every time: wrap around
  return iterator_.status();
}

}  // namespace cairn
