#include "ekaci/sdk/Evaluator.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
Evaluator::~Evaluator() = default;

}  // namespace ekaci::sdk
