#include "export.hpp"

#include <fstream>

namespace si {
namespace {

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string eventsCsv(const Registry& reg) {
  std::string out = "seq,t,kind,storeId,generation,observer,from,to,detail\n";
  for (const Event& e : reg.events()) {
    const json d = reg.detailJson(e);
    out += std::to_string(e.seq) + "," + std::to_string(e.t) + "," + std::string(toString(e.kind)) + ",";
    out += (e.store == kNoStore ? std::string() : csvField(reg.storeIdOf(e.store))) + ",";
    out += (e.store == kNoStore ? std::string() : std::to_string(e.generation)) + ",";
    out += csvField(e.observer) + ",";
    out += std::string(toString(e.from)) + "," + std::string(toString(e.to)) + ",";
    out += csvField(d.empty() ? std::string() : d.dump(-1, ' ', false, json::error_handler_t::replace)) + "\n";
  }
  return out;
}

json scenarioJson(const std::string& name, const Config& config, const std::vector<json>& steps, const Session& at) {
  json cfg = config.source.is_object() ? config.source : json::object();
  if (cfg.contains("storeOptions") && cfg["storeOptions"].is_object()) {
    for (auto& [key, opt] : cfg["storeOptions"].items()) {
      if (!opt.is_object() || !opt.contains("adapter") || !opt["adapter"].is_object()) continue;
      json& a = opt["adapter"];
      if (a.contains("directory") && a["directory"].is_string()) {
        const std::string dir = a["directory"].get<std::string>();
        if (!dir.empty() && dir[0] != '/') a["directory"] = config.baseDir + "/" + dir;
      } else if (a.value("type", "") == "file") {
        a["directory"] = config.baseDir;
      }
    }
  }
  json out = json::object();
  out["name"] = name;
  out["config"] = cfg;
  out["policy"] = std::string(toString(config.policy));
  out["environment"] = std::string(toString(config.environment));
  json list = json::array();
  for (const json& s : steps) list.push_back(s);
  for (json& e : at.snapshotExpectations()) list.push_back(std::move(e));
  out["steps"] = list;
  return out;
}

Status writeTextFile(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return Error{path + ": cannot write"};
  f << text;
  f.close();
  if (!f) return Error{path + ": write failed"};
  return success();
}

}  // namespace si
