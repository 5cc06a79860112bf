// The Policy comparison panel's cells without ImGui: per store and policy, the disposal times,
// loads and store-seconds, and whether they differ between policies.
#pragma once
#include <string>
#include <vector>

#include "compare.hpp"

namespace si::gui {

enum class CompareMetric : int { Disposed, Loads, StoreSeconds };
constexpr const char* kCompareMetricNames[] = {"disposed at", "loads", "store-seconds"};

// "1200,-": each instance's disposal time ("-" still live), "-" when never created.
std::string disposalTimes(const PolicyRun& r, const std::string& storeId);
std::string secondsText(Ms ms);  // "12.345"
// One cell of the table.
std::string metricText(const PolicyRun& r, const std::string& storeId, CompareMetric m);
// Whether any of the store's numbers differ between the runs.
bool storeDiffers(const std::vector<PolicyRun>& runs, const std::string& storeId);

}  // namespace si::gui
