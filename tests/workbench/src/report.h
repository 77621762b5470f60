// report.html: one self-contained page (inline CSS and SVG, no scripts, no network) with the
// verdict, latency-over-time and throughput plots with fault periods shaded, the statistics,
// the per-key verdicts, the offending operations of any invalid key, and every violation.
#pragma once

#include <string>

#include "tests/workbench/src/checker.h"
#include "tests/workbench/src/run_result.h"

namespace workbench {

std::string report_html(const RunResult& run, const Verdict& v);

}  // namespace workbench
