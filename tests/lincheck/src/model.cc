#include "lincheck/model.h"

namespace lincheck {

std::string_view to_string(Semantics s) {
  switch (s) {
    case Semantics::Knossos: return "knossos";
    case Semantics::Porcupine: return "porcupine";
  }
  return "?";
}

}  // namespace lincheck
