#include "transport/line_framer.h"

#include <utility>

namespace maelstrom {

LineFramer::LineFramer(std::size_t max_line_bytes, Sinks sinks)
    : max_line_bytes_(max_line_bytes), sinks_(std::move(sinks)) {}

void LineFramer::feed(std::string_view chunk) {
  while (!chunk.empty()) {
    const auto newline = chunk.find('\n');
    if (newline == std::string_view::npos) {
      append_partial(chunk);
      return;
    }
    complete_line(chunk.substr(0, newline));
    chunk.remove_prefix(newline + 1);
  }
}

void LineFramer::finish() {
  if (discarding_) {
    if (sinks_.on_oversized) sinks_.on_oversized(discarded_);
  } else if (!partial_.empty()) {
    std::string last = std::move(partial_);
    emit(last);
  }
  partial_.clear();
  discarding_ = false;
  discarded_ = 0;
}

// Adds bytes of a line whose end has not arrived yet, switching to discard mode as soon as
// the line is known to exceed the limit.
void LineFramer::append_partial(std::string_view piece) {
  if (discarding_) {
    discarded_ += piece.size();
    return;
  }
  if (partial_.size() + piece.size() > max_line_bytes_) {
    discarding_ = true;
    discarded_ = partial_.size() + piece.size();
    std::string().swap(partial_);  // release the memory, not just the contents
    return;
  }
  partial_.append(piece);
}

// `tail` is the rest of the current line, up to (not including) its '\n'.
void LineFramer::complete_line(std::string_view tail) {
  if (discarding_) {
    discarded_ += tail.size();
    if (sinks_.on_oversized) sinks_.on_oversized(discarded_);
    discarding_ = false;
    discarded_ = 0;
    return;
  }
  if (partial_.empty()) {
    if (tail.size() > max_line_bytes_) {
      if (sinks_.on_oversized) sinks_.on_oversized(tail.size());
      return;
    }
    emit(tail);
    return;
  }
  if (partial_.size() + tail.size() > max_line_bytes_) {
    if (sinks_.on_oversized) sinks_.on_oversized(partial_.size() + tail.size());
    std::string().swap(partial_);
    return;
  }
  partial_.append(tail);
  std::string line = std::move(partial_);
  partial_.clear();
  emit(line);
}

void LineFramer::emit(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (sinks_.on_line) sinks_.on_line(line);
}

}  // namespace maelstrom
