#include "http/bind.h"

namespace kehou::http {

int64_t In::Param(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return 0;
}

std::optional<int64_t> In::QueryId(std::string_view key) const {
  for (const auto& [k, v] : opt_ids)
    if (k == key) return v;
  return std::nullopt;
}

Status Parse(In& in, const Spec& spec) {
  const Request& req = in.req;
  if (spec.query.check) KEHOU_TRY(req.OnlyQuery(spec.query.keys));
  if (spec.school) {
    KEHOU_ASSIGN_OR_RETURN(in.school, req.OptIdQuery("school_id"));
  }
  for (const auto& name : spec.params) {
    KEHOU_ASSIGN_OR_RETURN(int64_t v, req.IdParam(name));
    in.params.emplace_back(name, v);
  }
  if (req.params.count("id")) {
    KEHOU_ASSIGN_OR_RETURN(in.id, req.IdParam("id"));
  }
  if (spec.body) {
    KEHOU_ASSIGN_OR_RETURN(in.body, req.JsonBody());
  }
  if (spec.date) {
    KEHOU_ASSIGN_OR_RETURN(in.date, req.OptDateQuery("date"));
  }
  for (const auto& key : spec.opt_ids) {
    KEHOU_ASSIGN_OR_RETURN(auto v, req.OptIdQuery(key));
    in.opt_ids.emplace_back(key, v);
  }
  return Ok();
}

}  // namespace kehou::http
