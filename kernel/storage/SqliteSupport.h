#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Exception.h>

#include <string>
#include <type_traits>

#include "ekaci/sdk/Result.h"

// Helpers shared by the files that implement SqliteStorage.
namespace ekaci::storage::sqlite {

inline sdk::Error storageError(const std::string& what, const Poco::Exception& e) {
  const std::string text = e.displayText();
  const bool constraint = text.find("constraint") != std::string::npos || text.find("FOREIGN KEY") != std::string::npos;
  return sdk::Error(constraint ? sdk::ErrorCode::StorageConstraint : sdk::ErrorCode::StorageQuery, what + ": " + text);
}

// Runs `body` inside one transaction under the storage mutex; any Poco exception becomes
// an error naming `what`, and the transaction is rolled back.
template <typename T, typename Body>
sdk::Result<T> inTransaction(Poco::Data::Session& session, const std::string& what, Body body) {
  try {
    Poco::Data::Transaction transaction(session);
    if constexpr (std::is_void_v<T>) {
      body();
      transaction.commit();
      return sdk::success();
    } else {
      T value = body();
      transaction.commit();
      return value;
    }
  } catch (const Poco::Exception& e) {
    return storageError(what, e);
  }
}

template <typename T, typename Body>
sdk::Result<T> query(const std::string& what, Body body) {
  try {
    return body();
  } catch (const Poco::Exception& e) {
    return storageError(what, e);
  }
}

}  // namespace ekaci::storage::sqlite
