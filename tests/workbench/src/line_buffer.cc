#include "tests/workbench/src/line_buffer.h"

namespace workbench {

void LineBuffer::feed(std::string_view bytes, const OnLine& on_line, const OnOverflow& on_overflow) {
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    const std::string_view chunk = bytes.substr(0, nl);
    if (!skipping_) {
      partial_.append(chunk);
      if (partial_.size() > max_line_) {
        on_overflow(std::string_view(partial_).substr(0, 200));
        partial_.clear();
        skipping_ = true;
      }
    }
    if (nl == std::string_view::npos) return;
    if (!skipping_) {
      std::string_view line(partial_);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      on_line(line);
    }
    partial_.clear();
    skipping_ = false;
    bytes.remove_prefix(nl + 1);
  }
}

}  // namespace workbench
