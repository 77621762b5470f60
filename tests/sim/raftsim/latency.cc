#include "raftsim/latency.h"

#include <algorithm>

namespace raftsim {

Micros Latency::sample(Rng& rng) const {
  switch (kind) {
    case Kind::kConstant: return low;
    case Kind::kUniform: return rng.uniform(low, std::max(low, high));
    case Kind::kExponential:
      // Capped at 50 means: a draw from the far tail would only stall the run.
      return low + std::min<Micros>(static_cast<Micros>(rng.exponential(static_cast<double>(high))),
                                    50 * high);
  }
  return low;
}

std::string Latency::describe() const {
  switch (kind) {
    case Kind::kConstant: return "constant:" + format_exact(low);
    case Kind::kUniform: return "uniform:" + format_exact(low) + "-" + format_exact(high);
    case Kind::kExponential:
      return "exponential:" + format_exact(low) + "+" + format_exact(high);
  }
  return "?";
}

std::optional<Latency> Latency::parse(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view kind = text.substr(0, colon);
  const std::string_view rest = text.substr(colon + 1);
  if (kind == "constant") {
    auto d = parse_duration(rest);
    if (!d) return std::nullopt;
    return constant(*d);
  }
  const char sep = kind == "uniform" ? '-' : '+';
  const auto at = rest.find(sep);
  if (at == std::string_view::npos || (kind != "uniform" && kind != "exponential")) {
    return std::nullopt;
  }
  auto a = parse_duration(rest.substr(0, at));
  auto b = parse_duration(rest.substr(at + 1));
  if (!a || !b) return std::nullopt;
  if (kind == "uniform") {
    if (*b < *a) return std::nullopt;
    return uniform(*a, *b);
  }
  return exponential(*a, *b);
}

}  // namespace raftsim
