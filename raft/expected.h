// A small stand-in for C++23's std::expected (GCC 12 in C++20 mode lacks it): either a
// value or an error, never both, and reading the wrong one throws.
#pragma once

#include <stdexcept>
#include <utility>
#include <variant>

namespace raft {

template <class E>
struct Unexpected {
  E error;
};
template <class E>
Unexpected(E) -> Unexpected<E>;

template <class T, class E>
class Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT
  Expected(Unexpected<E> e) : v_(std::in_place_index<1>, std::move(e.error)) {}  // NOLINT

  [[nodiscard]] bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  [[nodiscard]] const T& value() const {
    if (!has_value()) throw std::logic_error("Expected::value() on an error");
    return std::get<0>(v_);
  }
  [[nodiscard]] const E& error() const {
    if (has_value()) throw std::logic_error("Expected::error() on a value");
    return std::get<1>(v_);
  }
  [[nodiscard]] T& value() {
    if (!has_value()) throw std::logic_error("Expected::value() on an error");
    return std::get<0>(v_);
  }
  const T* operator->() const { return &value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  T& operator*() { return value(); }

 private:
  std::variant<T, E> v_;
};

}  // namespace raft
