#include "comparison_diff.hpp"

#include <cstdio>

namespace si::gui {

std::string disposalTimes(const PolicyRun& r, const std::string& id) {
  auto it = r.stores.find(id);
  if (it == r.stores.end()) return "-";
  std::string times;
  for (const CompareInstance& i : it->second) {
    if (!times.empty()) times += ",";
    times += i.disposed ? std::to_string(*i.disposed) : "-";
  }
  return times;
}

std::string secondsText(Ms ms) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(ms / 1000), static_cast<long long>(ms % 1000));
  return buf;
}

std::string metricText(const PolicyRun& r, const std::string& id, CompareMetric m) {
  switch (m) {
    case CompareMetric::Disposed: return disposalTimes(r, id);
    case CompareMetric::Loads: return std::to_string(r.loads(id));
    case CompareMetric::StoreSeconds: break;
  }
  return r.stores.count(id) ? secondsText(r.heldMs(id)) : "-";
}

bool storeDiffers(const std::vector<PolicyRun>& runs, const std::string& id) {
  for (size_t p = 1; p < runs.size(); ++p) {
    if (disposalTimes(runs[p], id) != disposalTimes(runs[0], id) || runs[p].loads(id) != runs[0].loads(id) ||
        runs[p].heldMs(id) != runs[0].heldMs(id))
      return true;
  }
  return false;
}

}  // namespace si::gui
