// Errors carry the place in the input they are about, so a user can open the file at the line.
// Result<T> is a minimal stand-in for std::expected (C++23), which our toolchain lacks.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <variant>

namespace lincheck {

struct Error {
  std::string file;     // input name ("<string>" for in-memory text)
  std::size_t line = 0; // 1-based; 0 when the error is not about one line
  std::string message;  // what was expected and what was found

  // "file:line: message" (or "file: message" without a line).
  std::string to_string() const;
};

template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const { return std::get<1>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace lincheck
