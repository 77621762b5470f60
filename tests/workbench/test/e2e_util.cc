#include "tests/workbench/test/e2e_util.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace workbench::e2e {
namespace fs = std::filesystem;

std::string test_node_bin() { return WORKBENCH_TEST_NODE_BIN; }
std::string workbench_bin() { return WORKBENCH_BIN; }

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string RunOutput::file(const std::string& name) const { return dir.empty() ? "" : slurp(fs::path(dir) / name); }

std::string temp_dir(const std::string& tag) {
  std::string tmpl = (fs::temp_directory_path() / ("wb-" + tag + "-XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) return "";
  return tmpl;
}

RunOutput run_workbench(const std::vector<std::string>& args) {
  const std::string tmp = temp_dir("e2e");
  std::string cmd = shell_quote(workbench_bin()) + " test --no-progress --store " + shell_quote(tmp + "/store");
  for (const auto& a : args) cmd += " " + shell_quote(a);
  cmd += " > " + shell_quote(tmp + "/out") + " 2> " + shell_quote(tmp + "/err");
  RunOutput r;
  const int status = std::system(cmd.c_str());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(tmp + "/out");
  r.err = slurp(tmp + "/err");
  const fs::path latest = fs::path(tmp) / "store" / "latest";
  if (fs::exists(latest)) {
    r.dir = fs::canonical(latest).string();
    auto j = nlohmann::json::parse(slurp(latest / "results.json"), nullptr, false);
    if (!j.is_discarded()) r.results = j;
    r.history = slurp(latest / "history.edn");
  }
  return r;
}

std::vector<std::string> node_args(const std::string& mode) {
  return {"--bin", test_node_bin(), "--", "--mode", mode};
}

std::vector<std::string> with(std::vector<std::string> opts, const std::string& mode) {
  for (auto& a : node_args(mode)) opts.push_back(a);
  return opts;
}

bool process_alive(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string s;
  std::getline(stat, s);
  const auto p = s.rfind(')');
  return p != std::string::npos && s.substr(p + 2, 1) != "Z";
}

}  // namespace workbench::e2e
