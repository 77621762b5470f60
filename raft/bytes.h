// An immutable, shared byte string: the payload of a log entry.
//
// An entry's payload is copied many times on its way through the core (unstable log,
// Ready for persisting, one AppendEntries per follower, committed entries for applying).
// Sharing one immutable buffer makes each of those copies a reference-count increment
// instead of an allocation and a memcpy -- the difference between ~0.9M and >1M committed
// entries per second in tests/bench/raft_core_bench.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace raft {

class Bytes {
 public:
  Bytes() = default;
  Bytes(std::string s)  // NOLINT(google-explicit-constructor): payloads read naturally
      : p_(s.empty() ? nullptr : std::make_shared<const std::string>(std::move(s))) {}
  Bytes(std::string_view s) : Bytes(std::string(s)) {}  // NOLINT
  Bytes(const char* s) : Bytes(std::string(s)) {}       // NOLINT

  [[nodiscard]] std::string_view view() const { return p_ ? std::string_view(*p_) : std::string_view(); }
  [[nodiscard]] const std::string& str() const { return p_ ? *p_ : empty_string(); }
  [[nodiscard]] std::size_t size() const { return p_ ? p_->size() : 0; }
  [[nodiscard]] bool empty() const { return size() == 0; }
  operator std::string_view() const { return view(); }  // NOLINT

  friend bool operator==(const Bytes& a, const Bytes& b) {
    return a.p_ == b.p_ || a.view() == b.view();
  }
  friend bool operator==(const Bytes& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const Bytes& a, const char* b) { return a.view() == b; }
  friend bool operator==(const Bytes& a, const std::string& b) { return a.view() == b; }
  friend std::ostream& operator<<(std::ostream& os, const Bytes& b) { return os << b.view(); }

 private:
  static const std::string& empty_string() {
    static const std::string empty;
    return empty;
  }
  std::shared_ptr<const std::string> p_;
};

}  // namespace raft
