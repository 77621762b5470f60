// The set of operations linearized so far on the current search path, split in two parts:
// the ops that returned ("ok" ops, which every linearization must contain) and the ops that
// never returned ("info" ops, optional). The memo (memo_table.h) keys configurations by the
// ok part and the model state, and compares info parts by inclusion.
//
// Hash: Zobrist hashing of the ok part. Every ok op has a random 64-bit key and the hash is
// the XOR of the keys of the members, so adding or removing an op costs one XOR instead of
// rehashing the whole bitset (Porcupine rehashes on every lookup).
//
// Encoding: the search indexes ok ops by call time. Along any search path every ok op that
// returned before the current frontier is already linearized, so the ok bits are "all ones,
// then a short ragged window, then zeros". The memo stores only the window: the first
// not-full word's index, then the words up to the last non-zero one. A 10,000-op history
// then costs a few words per memo entry, not 157. The info part is stored up to its last
// non-zero word.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace lincheck {

inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class LinearizedSet {
 public:
  static constexpr std::size_t kOkHeaderWords = 1;

  // Ops [0, ok_count) returned; ops [ok_count, ok_count + info_count) never returned.
  LinearizedSet(std::size_t ok_count, std::size_t info_count, std::uint64_t seed = 0x5eed)
      : ok_count_(ok_count),
        ok_words_((ok_count + 63) / 64),
        words_(ok_words_ + (info_count + 63) / 64, 0),
        keys_(ok_count),
        last_ok_mask_(ok_count % 64 == 0 ? ~std::uint64_t{0} : (std::uint64_t{1} << (ok_count % 64)) - 1) {
    for (std::size_t i = 0; i < keys_.size(); ++i) keys_[i] = splitmix64(seed ^ (i * 0x2545f4914f6cdd1dULL));
  }

  bool test(std::uint32_t op) const {
    const std::size_t b = bit(op);
    return (words_[b / 64] >> (b % 64)) & 1;
  }
  // Zobrist hash of the ok part.
  std::uint64_t ok_hash() const { return hash_; }

  void set(std::uint32_t op) {
    const std::size_t b = bit(op), w = b / 64;
    words_[w] |= std::uint64_t{1} << (b % 64);
    if (w < ok_words_) {
      hash_ ^= keys_[op];
      ok_hi_ = std::max(ok_hi_, w + 1);
      while (ok_lo_ < ok_words_ && words_[ok_lo_] == full_mask(ok_lo_)) ++ok_lo_;
    } else {
      info_hi_ = std::max(info_hi_, w - ok_words_ + 1);
    }
  }

  void reset(std::uint32_t op) {
    const std::size_t b = bit(op), w = b / 64;
    words_[w] &= ~(std::uint64_t{1} << (b % 64));
    if (w < ok_words_) {
      hash_ ^= keys_[op];
      ok_lo_ = std::min(ok_lo_, w);
      while (ok_hi_ > 0 && words_[ok_hi_ - 1] == 0) --ok_hi_;
    } else {
      while (info_hi_ > 0 && words_[ok_words_ + info_hi_ - 1] == 0) --info_hi_;
    }
  }

  // ---- ok part: canonical encoding (header word: first window word << 32 | window length)
  std::size_t ok_encoded_size() const { return kOkHeaderWords + ok_window(); }
  void encode_ok(std::uint64_t* out) const {
    out[0] = (std::uint64_t{ok_lo_} << 32) | ok_window();
    std::copy_n(words_.begin() + static_cast<std::ptrdiff_t>(ok_lo_), ok_window(), out + kOkHeaderWords);
  }
  bool ok_equals(const std::uint64_t* enc) const {
    if (enc[0] != ((std::uint64_t{ok_lo_} << 32) | ok_window())) return false;
    return std::equal(enc + kOkHeaderWords, enc + kOkHeaderWords + ok_window(),
                      words_.begin() + static_cast<std::ptrdiff_t>(ok_lo_));
  }

  // ---- info part: words up to the last non-zero one
  std::size_t info_size() const { return info_hi_; }
  void encode_info(std::uint64_t* out) const {
    std::copy_n(words_.begin() + static_cast<std::ptrdiff_t>(ok_words_), info_hi_, out);
  }
  // Whether the info set `enc` (of `size` words, canonical) is a subset of this one's.
  bool info_includes(const std::uint64_t* enc, std::size_t size) const {
    if (size > info_hi_) return false;
    for (std::size_t i = 0; i < size; ++i) {
      if (enc[i] & ~words_[ok_words_ + i]) return false;
    }
    return true;
  }
  // Whether this one's info set is a subset of `enc` (of `size` words).
  bool info_included_in(const std::uint64_t* enc, std::size_t size) const {
    if (info_hi_ > size) return false;
    for (std::size_t i = 0; i < info_hi_; ++i) {
      if (words_[ok_words_ + i] & ~enc[i]) return false;
    }
    return true;
  }

 private:
  // Ok ops fill the ok words; info ops start at the first info word.
  std::size_t bit(std::uint32_t op) const { return op < ok_count_ ? op : ok_words_ * 64 + (op - ok_count_); }
  std::uint64_t full_mask(std::size_t w) const { return w + 1 == ok_words_ ? last_ok_mask_ : ~std::uint64_t{0}; }
  std::size_t ok_window() const { return ok_hi_ > ok_lo_ ? ok_hi_ - ok_lo_ : 0; }

  std::size_t ok_count_;
  std::size_t ok_words_;
  std::vector<std::uint64_t> words_;  // ok words, then info words
  std::vector<std::uint64_t> keys_;   // Zobrist key per ok op
  std::uint64_t last_ok_mask_;
  std::uint64_t hash_ = 0;
  std::size_t ok_lo_ = 0;    // first ok word that is not full
  std::size_t ok_hi_ = 0;    // one past the last non-zero ok word
  std::size_t info_hi_ = 0;  // one past the last non-zero info word (relative)
};

}  // namespace lincheck
