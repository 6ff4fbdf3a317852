#include "ekaci/sdk/Metrics.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtables and type information in libekaci_sdk.so.
Counter::~Counter() = default;
Gauge::~Gauge() = default;
Histogram::~Histogram() = default;
Metrics::~Metrics() = default;

}  // namespace ekaci::sdk
