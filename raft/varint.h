// Byte encodings shared by the service's formats (commands, dedup state, snapshots):
// LEB128 varints (7 bits a byte, low first, high bit set on all but the last byte) and
// fixed-width little-endian integers. Every get* reads from the front of `in`, consumes
// what it read, and returns false (consuming nothing useful) on truncated or over-long input.
#pragma once

#include <cstdint>
#include <string>
#include <cstddef>
#include <string_view>

namespace raft::varint {

/// The longest varint: 64 bits, 7 a byte.
inline constexpr std::size_t kMaxBytes = 10;

/// How many bytes put(v) writes.
inline std::size_t size(std::uint64_t v) {
  std::size_t n = 1;
  for (; v >= 0x80; v >>= 7) ++n;
  return n;
}

/// Writes `v` at `p` (room for kMaxBytes) and returns the end.
inline char* write(char* p, std::uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

template <class T>
char* write_le(char* p, T v) {
  for (std::size_t i = 0; i < sizeof(T); ++i) *p++ = static_cast<char>((v >> (8 * i)) & 0xff);
  return p;
}

inline void put(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

inline bool get(std::string_view& in, std::uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto b = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    if (shift == 63 && b > 1) return false;  // more than 64 bits
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

template <class T>
void put_le(std::string& out, T v) {
  for (std::size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

template <class T>
bool get_le(std::string_view& in, T& v) {
  if (in.size() < sizeof(T)) return false;
  v = 0;
  for (std::size_t i = sizeof(T); i-- > 0;) v = static_cast<T>((v << 8) | static_cast<unsigned char>(in[i]));
  in.remove_prefix(sizeof(T));
  return true;
}

inline void put_u32le(std::string& out, std::uint32_t v) { put_le(out, v); }
inline void put_u64le(std::string& out, std::uint64_t v) { put_le(out, v); }
inline bool get_u32le(std::string_view& in, std::uint32_t& v) { return get_le(in, v); }
inline bool get_u64le(std::string_view& in, std::uint64_t& v) { return get_le(in, v); }

}  // namespace raft::varint
