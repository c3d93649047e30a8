// Structural-schema checks of custom resources, as the API server applies a CRD's schema.
#pragma once

#include <string>
#include <vector>

#include "json_util.h"

namespace kubeemu {

// What validating an object against an openAPIV3Schema found.
struct SchemaReport {
  std::vector<std::string> unknown_fields;  // dotted paths, e.g. "spec.foo"
  Json causes = Json::array();              // StatusCause objects for a 422 Invalid
};

// Checks types, enums and required fields, and prunes fields the schema does not declare
// (recording them in `unknown_fields`). metadata, apiVersion and kind are not checked.
SchemaReport ValidateAndPrune(Json& object, const Json& schema);

}  // namespace kubeemu
