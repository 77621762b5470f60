// Strict, typed decoding of JSON body fields, for handlers.
//
// nlohmann::json's own get<T>() is lenient in ways that hide malformed requests: it turns
// 3.7 into 3 and true into 1 for integer targets. Maelstrom's checker wants a malformed
// request answered with error 12 naming the field, so these helpers check the JSON type
// exactly and throw maelstrom::Error::malformed(field, ...) on any mismatch. The event loop
// turns that exception into the error reply; a handler just writes
//     auto key = request.get<std::int64_t>("key");
//
// Supported targets: bool, every integer type (range-checked), float/double (any JSON
// number), std::string, nlohmann::json (any value, for opaque keys/values), std::vector<T>
// and std::optional<T> (null or absent -> nullopt when used through get_optional) of those.
// Any other T falls back to nlohmann's from_json, with its errors mapped to error 12.
#pragma once

#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "transport/error.h"

namespace maelstrom {

using json = nlohmann::json;

namespace detail {

// A short name of the JSON type, for error texts ("got string").
std::string_view json_type_name(const json& value) noexcept;

[[noreturn]] void throw_wrong_type(std::string_view field, std::string_view expected,
                                   const json& value);

template <class T>
struct IsVector : std::false_type {};
template <class T, class A>
struct IsVector<std::vector<T, A>> : std::true_type {};

template <class T>
bool integer_fits(const json& value) {
  if (value.is_number_unsigned()) {
    return value.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
  }
  const auto v = value.get<std::int64_t>();
  if constexpr (std::is_unsigned_v<T>) {
    return v >= 0 && static_cast<std::uint64_t>(v) <= std::numeric_limits<T>::max();
  } else {
    return v >= std::numeric_limits<T>::min() && v <= std::numeric_limits<T>::max();
  }
}

}  // namespace detail

// Decodes `value` as T or throws Error::malformed naming `field` (a path such as
// "node_ids[2]" for elements).
template <class T>
T decode_field(const json& value, std::string_view field) {
  if constexpr (std::is_same_v<T, json>) {
    return value;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!value.is_boolean()) detail::throw_wrong_type(field, "a boolean", value);
    return value.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    if (!value.is_number_integer()) detail::throw_wrong_type(field, "an integer", value);
    if (!detail::integer_fits<T>(value)) {
      throw Error::malformed(field, "is out of range: " + value.dump());
    }
    return value.get<T>();
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!value.is_number()) detail::throw_wrong_type(field, "a number", value);
    return value.get<T>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!value.is_string()) detail::throw_wrong_type(field, "a string", value);
    return value.get<std::string>();
  } else if constexpr (detail::IsVector<T>::value) {
    if (!value.is_array()) detail::throw_wrong_type(field, "an array", value);
    T out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string element = std::string(field) + "[" + std::to_string(i) + "]";
      out.push_back(decode_field<typename T::value_type>(value[i], element));
    }
    return out;
  } else {
    try {
      return value.get<T>();
    } catch (const json::exception& e) {
      throw Error::malformed(field, std::string("has the wrong shape: ") + e.what());
    }
  }
}

// body[name] decoded as T; throws error 12 if body has no such field or it has the wrong
// type. A field set to null counts as present (and fails unless T is json).
template <class T>
T get_field(const json& body, std::string_view name) {
  if (!body.is_object()) throw Error::malformed(name, "is missing: body is not an object");
  const auto it = body.find(name);
  if (it == body.end()) throw Error::malformed(name, "is missing");
  return decode_field<T>(*it, name);
}

// Like get_field, but an absent (or null) field yields std::nullopt instead of an error.
template <class T>
std::optional<T> get_optional_field(const json& body, std::string_view name) {
  if (!body.is_object()) return std::nullopt;
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  return decode_field<T>(*it, name);
}

}  // namespace maelstrom
