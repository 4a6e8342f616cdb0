// course_plans.h (demo): the demo's courses are approved the way every course is (issue 11): the
// principal posts each with its lesson plan (a small PDF naming the course) and so decides it; the
// course carries its proposal, plan and recorded decision. Thread-safety: pure.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "access/principal.h"
#include "catalog/proposals.h"
#include "db/db.h"
#include "demo/store.h"

namespace kehou::demo {

// The body with a lesson plan and the leadership's note.
inline nlohmann::json WithDemoPlan(nlohmann::json body) {
  std::string name = body.value("name", std::string("课程"));
  std::string pdf = "%PDF-1.4\n% Kehou demo lesson plan\n% " + name + " 教案：目标、每周内容、安全要点\n%%EOF\n";
  body["plan"] = catalog::LessonPlanBody(name + "教案.pdf", pdf);
  body["reason"] = "教案完整，同意开设";
  return body;
}

// The demo school's principal (who decides courses), or a principal with user_id 0 if none.
inline auth::Principal DemoLeader(db::Conn& c, int64_t school_id) {
  auth::Principal p;
  if (auto u = store::UserByLogin(c, school_id, "principal")) {
    p.user_id = u->id;
    p.display_name = u->display_name;
  }
  p.login = "principal";
  p.role = auth::Role::kPrincipal;
  p.school_id = school_id;
  p.scope = auth::Scope::kSchool;
  p.client = "kehou demo";
  return p;
}

}  // namespace kehou::demo
