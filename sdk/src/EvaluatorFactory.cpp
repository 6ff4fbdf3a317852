#include "ekaci/sdk/EvaluatorFactory.h"

namespace ekaci::sdk {

// Out of line on purpose: anchors the vtable and type information in libekaci_sdk.so.
EvaluatorFactory::~EvaluatorFactory() = default;

}  // namespace ekaci::sdk
