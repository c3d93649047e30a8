// Fuzz target: a decoded SAMLResponse through our own reader (libs/saml/src/response_document.h),
// the structural checks that run before any signature is verified.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "response_document.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ss::saml::detail::ResponseDocument document;
  ss::saml::detail::ReadResponse(std::string_view(reinterpret_cast<const char*>(data), size),
                                 &document);
  return 0;
}
