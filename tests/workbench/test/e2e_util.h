// Helpers for the end-to-end tests: run the real workbench binary on wb_test_node and read
// what it left in its store directory.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace workbench::e2e {

struct RunOutput {
  int exit_code = -1;
  std::string out;       // stdout (the summary)
  std::string err;       // stderr
  std::string dir;       // the run's store directory ("" if none)
  nlohmann::json results;
  std::string history;   // history.edn

  std::string file(const std::string& name) const;  // contents of a file in dir
};

// A fresh empty directory under the system temp dir.
std::string temp_dir(const std::string& tag);

// Runs `workbench test <args>` with --store in a fresh directory.
RunOutput run_workbench(const std::vector<std::string>& args);

// Common arguments: wb_test_node in `mode` as the node binary.
std::vector<std::string> node_args(const std::string& mode);
// `opts` followed by node_args(mode).
std::vector<std::string> with(std::vector<std::string> opts, const std::string& mode);

std::string test_node_bin();
std::string workbench_bin();
bool process_alive(int pid);

}  // namespace workbench::e2e
