#include "type_plan.h"

#include <memory>
#include <mutex>

#include "protobuf_json_escape.h"
#include "well_known_json.h"

namespace ss::gateway {
namespace {

namespace pb = google::protobuf;
using pb::FieldDescriptor;

// Field numbers below this are found in TypePlan::by_number.
constexpr int kDirectNumbers = 256;

std::mutex plans_mutex;
std::unordered_map<const pb::Descriptor*, std::unique_ptr<TypePlan>> plans;

const TypePlan* PlanLocked(const pb::Descriptor* type) {
  auto& slot = plans[type];
  if (slot)
    return slot.get();
  slot = std::make_unique<TypePlan>();
  auto* plan = slot.get();
  plan->type = type;
  plan->well_known = WellKnownIndex(type);
  if (plan->well_known >= 0)
    return plan;
  plan->fields.reserve(static_cast<std::size_t>(type->field_count()));
  for (int i = 0; i < type->field_count(); ++i) {
    const auto* field = type->field(i);
    FieldPlan field_plan;
    field_plan.field = field;
    field_plan.key = "\"";
    AppendJsonEscapedDroppingInvalidUtf8(field->json_name(), &field_plan.key);
    field_plan.key += "\":";
    field_plan.type = field->type();
    field_plan.repeated = field->is_repeated();
    field_plan.map = field->is_map();
    field_plan.in_oneof = field->containing_oneof() != nullptr;
    plan->fields.push_back(std::move(field_plan));
    if (field->number() < kDirectNumbers) {
      if (plan->by_number.size() <= static_cast<std::size_t>(field->number()))
        plan->by_number.resize(static_cast<std::size_t>(field->number()) + 1);
      plan->by_number[static_cast<std::size_t>(field->number())] = i + 1;
    } else {
      plan->by_large_number[field->number()] = i;
    }
  }
  for (auto& field_plan : plan->fields) {
    if (field_plan.type == FieldDescriptor::TYPE_MESSAGE)
      field_plan.message = PlanLocked(field_plan.field->message_type());
  }
  return plan;
}

}  // namespace

const TypePlan* PlanFor(const pb::Descriptor* type) {
  std::lock_guard<std::mutex> lock(plans_mutex);
  return PlanLocked(type);
}

}  // namespace ss::gateway
