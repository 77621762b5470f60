// A seeded, platform-independent random source (xoshiro256** seeded by splitmix64).
//
// The standard library's distributions are implementation-defined, so a seed would not replay
// the same schedule on another standard library; every draw the workbench makes goes through
// this class instead. Independent streams (generator, nemesis, network) are derived from one
// run seed so that, e.g., the nemesis schedule does not depend on how many ops were issued.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace workbench {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  // A stream derived from (seed, stream): different streams are statistically independent.
  static Rng derive(std::uint64_t seed, std::uint64_t stream);

  std::uint64_t next();
  // Uniform integer in [0, n); n must be positive.
  std::uint64_t below(std::uint64_t n);
  // Uniform double in [0, 1).
  double unit();
  // Exponentially distributed with the given mean.
  double exponential(double mean);
  // Uniform pick from a non-empty vector.
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) {
      std::swap(v[i - 1], v[below(i)]);
    }
  }

 private:
  std::uint64_t s_[4];
};

// A fresh seed from the OS, for runs without --seed.
std::uint64_t random_seed();

}  // namespace workbench
