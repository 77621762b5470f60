#include "lincheck/verdict.h"

namespace lincheck {

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::Linearizable: return "linearizable";
    case Verdict::NotLinearizable: return "not linearizable";
    case Verdict::Unknown: return "unknown";
  }
  return "?";
}

Verdict combine(Verdict a, Verdict b) {
  if (a == Verdict::NotLinearizable || b == Verdict::NotLinearizable) return Verdict::NotLinearizable;
  if (a == Verdict::Unknown || b == Verdict::Unknown) return Verdict::Unknown;
  return Verdict::Linearizable;
}

}  // namespace lincheck
