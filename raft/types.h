// Strong types for the three numbers Raft juggles: terms, log indexes and node ids.
//
// Mixing a term with an index is the classic silent Raft bug (both are uint64 counters
// that start near zero and grow together). Each is a distinct type here, so
// `Term t = some_index;` does not compile. Arithmetic is limited to what the algorithm
// needs: indexes step by +/- n, terms step by +1.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <limits>
#include <ostream>

namespace raft {

template <class Tag>
class Tagged {
 public:
  using Rep = std::uint64_t;
  constexpr Tagged() = default;
  constexpr explicit Tagged(Rep v) : value_(v) {}
  [[nodiscard]] constexpr Rep value() const { return value_; }
  constexpr auto operator<=>(const Tagged&) const = default;
  friend std::ostream& operator<<(std::ostream& os, Tagged t) { return os << t.value_; }

 protected:
  Rep value_ = 0;
};

/// A Raft term (§5.1). Term 0 is "before any election"; real terms start at 1.
class Term : public Tagged<struct TermTag> {
 public:
  using Tagged::Tagged;
  [[nodiscard]] constexpr Term next() const { return Term{value_ + 1}; }
};

/// A log position (§5.3). Index 0 is the empty prefix before the first entry, whose term
/// is 0 by definition; real entries start at 1.
class Index : public Tagged<struct IndexTag> {
 public:
  using Tagged::Tagged;
  [[nodiscard]] constexpr Index next() const { return Index{value_ + 1}; }
  [[nodiscard]] constexpr Index prev() const { return Index{value_ == 0 ? 0 : value_ - 1}; }
  constexpr Index operator+(Rep n) const { return Index{value_ + n}; }
  constexpr Index operator-(Rep n) const { return Index{value_ - n}; }
  /// Number of entries in (b, a]; a must be >= b.
  constexpr Rep operator-(Index b) const { return value_ - b.value_; }
};

/// A cluster member. 0 is reserved for "nobody" (no leader known, no vote cast).
class NodeId : public Tagged<struct NodeIdTag> {
 public:
  using Tagged::Tagged;
  [[nodiscard]] constexpr bool is_none() const { return value_ == 0; }
};

inline constexpr NodeId kNoNode{0};

}  // namespace raft

template <class Tag>
struct std::hash<raft::Tagged<Tag>> {
  std::size_t operator()(raft::Tagged<Tag> t) const noexcept {
    return std::hash<std::uint64_t>{}(t.value());
  }
};
template <>
struct std::hash<raft::NodeId> {
  std::size_t operator()(raft::NodeId t) const noexcept {
    return std::hash<std::uint64_t>{}(t.value());
  }
};
