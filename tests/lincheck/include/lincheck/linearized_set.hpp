// The set of operations linearized so far on the current search path, with an incremental
// hash and a compact encoding — the first half of the memo key of Lowe's algorithm.
//
// Hash: Zobrist hashing. Every op has a random 64-bit key and the set's hash is the XOR of
// the keys of its members, so adding or removing an op costs one XOR instead of rehashing
// the whole bitset (Porcupine rehashes on every lookup).
//
// Encoding: the search indexes ok ops by call time first, then info ops. Along any search
// path every ok op that returned before the current frontier is already linearized, so the
// ok bits are "all ones, then a short ragged window, then zeros". The memo stores only the
// window: [first not-full ok word, last non-zero ok word] plus the info words up to the last
// non-zero one. A 10,000-op history then costs a few words per memo entry, not 157.
#pragma once

#include <algorithm>
#include <bit>
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
  static constexpr std::size_t kHeaderWords = 2;

  // Ops [0, ok_count) returned; ops [ok_count, ok_count + info_count) never returned.
  LinearizedSet(std::size_t ok_count, std::size_t info_count, std::uint64_t seed = 0x5eed)
      : ok_words_((ok_count + 63) / 64),
        words_(ok_words_ + (info_count + 63) / 64, 0),
        keys_(ok_count + info_count),
        last_ok_mask_(ok_count % 64 == 0 ? ~std::uint64_t{0} : (std::uint64_t{1} << (ok_count % 64)) - 1) {
    for (std::size_t i = 0; i < keys_.size(); ++i) keys_[i] = splitmix64(seed ^ (i * 0x2545f4914f6cdd1dULL));
  }

  bool test(std::uint32_t op) const { return (words_[op / 64] >> (op % 64)) & 1; }
  std::uint64_t hash() const { return hash_; }

  void set(std::uint32_t op) {
    const std::size_t w = op / 64;
    words_[w] |= std::uint64_t{1} << (op % 64);
    hash_ ^= keys_[op];
    if (w < ok_words_) {
      ok_hi_ = std::max(ok_hi_, w + 1);
      while (ok_lo_ < ok_words_ && words_[ok_lo_] == full_mask(ok_lo_)) ++ok_lo_;
    } else {
      info_hi_ = std::max(info_hi_, w - ok_words_ + 1);
    }
  }

  void reset(std::uint32_t op) {
    const std::size_t w = op / 64;
    words_[w] &= ~(std::uint64_t{1} << (op % 64));
    hash_ ^= keys_[op];
    if (w < ok_words_) {
      ok_lo_ = std::min(ok_lo_, w);
      while (ok_hi_ > 0 && words_[ok_hi_ - 1] == 0) --ok_hi_;
    } else {
      while (info_hi_ > 0 && words_[ok_words_ + info_hi_ - 1] == 0) --info_hi_;
    }
  }

  // Number of 64-bit words encode() writes.
  std::size_t encoded_size() const { return kHeaderWords + ok_window() + info_hi_; }

  void encode(std::uint64_t* out) const {
    out[0] = ok_lo_;
    out[1] = (std::uint64_t{ok_window()} << 32) | info_hi_;
    out = std::copy_n(words_.begin() + static_cast<std::ptrdiff_t>(ok_lo_), ok_window(), out + 2);
    std::copy_n(words_.begin() + static_cast<std::ptrdiff_t>(ok_words_), info_hi_, out);
  }

  // Whether `enc` (written by encode()) is this set. The encoding is canonical.
  bool equals(const std::uint64_t* enc) const {
    if (enc[0] != ok_lo_ || enc[1] != ((std::uint64_t{ok_window()} << 32) | info_hi_)) return false;
    const std::uint64_t* p = enc + kHeaderWords;
    return std::equal(p, p + ok_window(), words_.begin() + static_cast<std::ptrdiff_t>(ok_lo_)) &&
           std::equal(p + ok_window(), p + ok_window() + info_hi_,
                      words_.begin() + static_cast<std::ptrdiff_t>(ok_words_));
  }

 private:
  std::uint64_t full_mask(std::size_t w) const { return w + 1 == ok_words_ ? last_ok_mask_ : ~std::uint64_t{0}; }
  std::size_t ok_window() const { return ok_hi_ > ok_lo_ ? ok_hi_ - ok_lo_ : 0; }

  std::size_t ok_words_;
  std::vector<std::uint64_t> words_;  // ok words, then info words
  std::vector<std::uint64_t> keys_;   // Zobrist key per op
  std::uint64_t last_ok_mask_;
  std::uint64_t hash_ = 0;
  std::size_t ok_lo_ = 0;    // first ok word that is not full
  std::size_t ok_hi_ = 0;    // one past the last non-zero ok word
  std::size_t info_hi_ = 0;  // one past the last non-zero info word (relative)
};

}  // namespace lincheck
