// Splits a byte stream into '\n'-terminated lines, whatever the read boundaries are.
//
// read(2) returns arbitrary chunks: half a line, many lines, a line split across several
// reads. The framer buffers the partial tail until its newline arrives. A line longer than
// the limit is dropped whole (its bytes are discarded as they arrive, so memory stays
// bounded by the limit plus one read) and reported once, and framing resumes at the next
// newline: one bad producer line must not stop the node.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace maelstrom {

// Lines up to this size are accepted by default. Maelstrom bodies are small; the limit only
// guards memory against a runaway producer.
inline constexpr std::size_t kDefaultMaxLineBytes = 64u * 1024u * 1024u;

class LineFramer {
 public:
  struct Sinks {
    // A complete line, without its '\n' (a trailing '\r' is removed too).
    std::function<void(std::string_view line)> on_line;
    // A line over the limit was dropped; `bytes_seen` is how much of it was discarded.
    std::function<void(std::size_t bytes_seen)> on_oversized;
  };

  LineFramer(std::size_t max_line_bytes, Sinks sinks);

  // Feeds the next chunk of input; calls on_line for each line it completes.
  void feed(std::string_view chunk);
  // End of input: a final unterminated line is delivered as if it had a '\n' (what
  // std::getline would do), unless it was oversized.
  void finish();

  // Bytes held for the current partial line.
  [[nodiscard]] std::size_t buffered() const { return partial_.size(); }

 private:
  void append_partial(std::string_view piece);
  void complete_line(std::string_view tail);
  void emit(std::string_view line);

  std::size_t max_line_bytes_;
  Sinks sinks_;
  std::string partial_;
  bool discarding_ = false;     // inside an oversized line, skipping to its '\n'
  std::size_t discarded_ = 0;   // bytes of the oversized line skipped so far
};

}  // namespace maelstrom
