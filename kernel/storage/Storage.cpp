#include "kernel/storage/Storage.h"

namespace ekaci::storage {

Storage::~Storage() = default;

}  // namespace ekaci::storage
