// Splits a byte stream from a child's pipe into lines. A line longer than the cap is not kept
// in memory: the caller hears about it once and the rest of it is skipped up to its newline,
// so a node printing megabytes without a newline cannot exhaust the workbench's memory.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace workbench {

class LineBuffer {
 public:
  using OnLine = std::function<void(std::string_view line)>;
  using OnOverflow = std::function<void(std::string_view prefix)>;

  explicit LineBuffer(std::size_t max_line) : max_line_(max_line) {}

  // Calls on_line for every complete line (without "\n" or a trailing "\r"), and on_overflow
  // (with the line's first bytes) for every line longer than max_line.
  void feed(std::string_view bytes, const OnLine& on_line, const OnOverflow& on_overflow);

  // Bytes of an unfinished line (a line without its newline is never delivered).
  std::size_t pending() const { return partial_.size(); }

 private:
  std::size_t max_line_;
  std::string partial_;
  bool skipping_ = false;  // inside an oversized line, waiting for its newline
};

}  // namespace workbench
