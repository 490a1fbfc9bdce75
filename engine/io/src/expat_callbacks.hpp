// Expat calls its handlers through C, which an exception must not cross: each
// callback runs guarded, keeps the first exception in the handler and stops
// the parser; the reader rethrows it once XML_Parse returns (private to qap_io).
#pragma once

#include <expat.h>

#include <exception>
#include <utility>

namespace qap::detail {

// `Handler` has members `XML_Parser parser` and `std::exception_ptr error`.
template <typename Handler, typename Call>
void GuardedXmlCallback(void* data, Call&& call) {
  auto* handler = static_cast<Handler*>(data);
  if (handler->error) return;
  try {
    std::forward<Call>(call)(*handler);
  } catch (...) {
    handler->error = std::current_exception();
    XML_StopParser(handler->parser, XML_FALSE);
  }
}

}  // namespace qap::detail
