#include "raftsim/timeline.h"

namespace raftsim {

void StreamTimeline::record(Micros at, const std::string& text) {
  out_ << format_time(at) << "  " << text << '\n';
}

void TailTimeline::record(Micros at, const std::string& text) {
  std::string line = format_time(at) + "  " + text;
  if (lines_.size() < capacity_) {
    lines_.push_back(std::move(line));
  } else if (capacity_ > 0) {
    lines_[next_] = std::move(line);
    next_ = (next_ + 1) % capacity_;
  }
}

std::string TailTimeline::text() const {
  std::string out;
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    out += lines_[(next_ + i) % lines_.size()] + "\n";
  }
  return out;
}

}  // namespace raftsim
