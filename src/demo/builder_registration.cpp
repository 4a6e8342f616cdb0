// builder_registration.cpp (demo): agreements and applications with their signatures and decisions.
#include "demo/builder.h"

namespace kehou::demo::internal {

// ---- registration: agreements and applications -------------------------------------------------------
std::optional<Index> Builder::AccountOf(auth::Role r) const {
  for (Index i = 0; i < d_.accounts.size(); ++i)
    if (d_.accounts[i].role == r) return i;
  return std::nullopt;
}

int64_t Builder::Seconds(int64_t lo, int64_t hi) {
  return lo + static_cast<int64_t>(enrol_rng_.Below(static_cast<uint64_t>(hi - lo) + 1));
}

std::string Builder::ProxyMobile() {
  for (;;) {
    std::string m(Pick(enrol_rng_, kMobilePrefixes));
    for (int i = 0; i < 8; ++i) m += static_cast<char>('0' + enrol_rng_.Below(10));
    if (mobiles_.insert(m).second) return m;
  }
}

void Builder::Agreements() {
  for (Index t = 0; t < d_.terms.size(); ++t) {
    const GenTerm& term = d_.terms[t];
    if (!term.is_current) continue;
    const GenSchool& s = d_.schools[term.school];
    GenAgreement a;
    a.term = t;
    a.title = s.name + "课后服务托管协议（" + term.name + "）";
    a.body = AgreementBody(s, term);
    if (term.school == 0) a.account = AccountOf(auth::Role::kOfficeDirector);
    a.ago_s = kAgreementPublishedAgo + Seconds(0, 8 * kHour);
    agreement_of_school_[term.school] = d_.agreements.size();
    d_.agreements.push_back(std::move(a));
  }
}

void Builder::Applications() {
  using enroll::AppStatus;
  std::vector<std::vector<Index>> guardians_of(d_.students.size());  // primary first
  for (const GenLink& l : d_.links) guardians_of[l.student].push_back(l.guardian);
  std::map<Index, Index> guardian_login;  // guardian -> their kGuardian account (only that role applies)
  std::set<Index> pinned_families;        // guardians whose children must be enrolled
  for (Index i = 0; i < d_.accounts.size(); ++i) {
    const GenAccount& a = d_.accounts[i];
    if (!a.guardian) continue;
    pinned_families.insert(*a.guardian);
    if (a.role == auth::Role::kGuardian) guardian_login[*a.guardian] = i;
  }

  std::vector<std::optional<AppStatus>> status(d_.students.size());
  std::vector<bool> pinned(d_.students.size(), false);
  for (Index i = 0; i < d_.students.size(); ++i) {
    const uint64_t roll = enrol_rng_.Below(10000);
    if (roll < kApprovedShareBp) status[i] = AppStatus::kApproved;
    else if (roll < kApprovedShareBp + kSubmittedShareBp) status[i] = AppStatus::kSubmitted;
    else if (roll < kApprovedShareBp + kSubmittedShareBp + kClassApprovedShareBp) status[i] = AppStatus::kClassApproved;
    for (Index g : guardians_of[i])
      if (pinned_families.count(g)) {
        status[i] = AppStatus::kApproved;
        pinned[i] = true;
      }
  }
  if (auto ct = AccountOf(auth::Role::kClassTeacher); ct && d_.accounts[*ct].staff) {
    std::vector<Index> members;  // in student number order
    for (Index i = 0; i < d_.students.size(); ++i) {
      const GenClass& k = d_.classes[d_.students[i].klass];
      if (k.school == 0 && k.class_teacher == d_.accounts[*ct].staff) members.push_back(i);
    }
    int queued = 0;
    for (size_t j = 0; j < members.size(); ++j) {
      if (j < static_cast<size_t>(kClassTeacherFirstApproved)) {
        status[members[j]] = AppStatus::kApproved;
        pinned[members[j]] = true;
      }
      queued += status[members[j]] == AppStatus::kSubmitted;
    }
    for (size_t j = members.size(); j-- > 0 && queued < kClassTeacherQueueMin;) {
      if (pinned[members[j]] || status[members[j]] == AppStatus::kSubmitted) continue;
      status[members[j]] = AppStatus::kSubmitted;
      ++queued;
    }
  }
  for (Index i = 0; i < d_.students.size(); ++i)
    if (status[i]) d_.applications.push_back(MakeApplication(i, *status[i], guardians_of[i], guardian_login));
}

namespace {

// Days: Monday to Friday but the school's excluded weekdays; some families drop one.
std::vector<int> ChooseDays(Rng& r, const GenTerm& term) {
  std::vector<int> days;
  const std::vector<int> excluded = enroll::SplitInts(term.excluded_weekdays);
  for (int day = enroll::kFirstServiceDay; day <= enroll::kLastServiceDay; ++day)
    if (std::find(excluded.begin(), excluded.end(), day) == excluded.end()) days.push_back(day);
  if (days.size() == 5 && r.Chance(kFourDaysBp)) {
    const int drop = r.Chance(5000) ? 5 : r.Range(1, 4);
    days.erase(std::find(days.begin(), days.end(), drop));
  }
  return days;
}

// Bands: the after-school service, often noon care, evening self-study for some juniors; only
// what the school offers this term.
std::vector<enroll::Band> ChooseBands(Rng& r, const GenTerm& term, int grade_number) {
  using enroll::Band;
  std::vector<Band> bands;
  std::set<std::string> offered;
  for (const GenBand& b : term.bands) offered.insert(b.kind);
  auto offers = [&](Band b) { return offered.count(std::string(enroll::BandName(b))) > 0; };
  const bool noon = offers(Band::kNoon) && r.Chance(kNoonBp);
  const bool evening = enroll::IsJunior(grade_number) && offers(Band::kEvening) && r.Chance(kEveningBp);
  for (Band b : enroll::AllBands())
    if ((b == Band::kNoon && noon) || (b == Band::kAfterSchool && offers(b)) || (b == Band::kEvening && evening))
      bands.push_back(b);
  if (bands.empty())
    for (Band b : enroll::AllBands())
      if (offers(b) && (b != Band::kEvening || enroll::IsJunior(grade_number)) && bands.empty()) bands.push_back(b);
  return bands;
}

}  // namespace

GenApplication Builder::MakeApplication(Index i, enroll::AppStatus status, const std::vector<Index>& guardians,
                                        const std::map<Index, Index>& guardian_login) {
  Rng& r = enrol_rng_;
  const GenStudent& st = d_.students[i];
  const GenClass& k = d_.classes[st.klass];
  GenApplication a;
  a.student = i;
  a.status = status;
  a.agreement = agreement_of_school_.at(st.school);
  const GenTerm& term = d_.terms[d_.agreements[a.agreement].term];
  a.days = ChooseDays(r, term);
  a.bands = ChooseBands(r, term, k.grade_number);

  // Pickup: mostly a guardian; older children may go home alone; a few families name a relative.
  const int self_bp = k.grade_number < kSelfPickupMinGrade ? 0
                      : enroll::IsJunior(k.grade_number)   ? kSelfPickupJuniorBp
                                                           : kSelfPickupPrimaryBp;
  if (r.Chance(self_bp)) {
    a.pickup = enroll::PickupMode::kSelf;
  } else if (r.Chance(kProxyPickupBp)) {
    const ProxyRelation& rel = kProxyRelations[r.Below(std::size(kProxyRelations))];
    a.pickup = enroll::PickupMode::kProxy;
    a.proxy_name = std::string(PickWeighted(r, kSurnames)) + std::string(Pick(r, rel.man ? kManNames : kWomanNames));
    a.proxy_mobile = ProxyMobile();
    a.note = "父母在外务工，平时由孩子的" + std::string(rel.relation) + a.proxy_name + "接送。";
  } else {
    a.pickup = enroll::PickupMode::kGuardian;
    a.pickup_guardian = guardians.size() > 1 && r.Chance(kSecondGuardianPickupBp) ? guardians[1] : guardians[0];
  }
  if (!st.health_notes.empty() && r.Chance(kHealthNoteBp)) a.note += "孩子" + st.health_notes + "，请老师留意。";

  // The guardian with the demo login signs for their child; otherwise the primary guardian.
  a.signer = guardians.front();
  for (Index g : guardians)
    if (guardian_login.count(g)) {
      a.signer = g;
      break;
    }
  if (auto it = guardian_login.find(a.signer); it != guardian_login.end()) a.signer_account = it->second;
  a.device = std::string(PickWeighted(r, kPhoneAgents));
  a.client =
      std::string(Pick(r, kCarrierBlocks)) + std::to_string(r.Range(0, 255)) + "." + std::to_string(r.Range(1, 254));
  ReviewChain(a, st, k);
  return a;
}

void Builder::ReviewChain(GenApplication& a, const GenStudent& st, const GenClass& k) {
  using enroll::AppStatus;
  const AppStatus status = a.status;
  // Times, backwards from the last step.
  int64_t submit_ago = 0, class_ago = 0, approve_ago = 0;
  if (status == AppStatus::kApproved) {
    approve_ago = Seconds(kApprovedAgoMin, kApprovedAgoMax);
    class_ago = approve_ago + Seconds(kHour, 4 * kDay);
    submit_ago = class_ago + Seconds(30 * kMinute, 3 * kDay);
  } else if (status == AppStatus::kClassApproved) {
    class_ago = Seconds(kWaitingAgoMin, kWaitingAgoMax);
    submit_ago = class_ago + Seconds(30 * kMinute, 3 * kDay);
  } else {
    submit_ago = Seconds(kWaitingAgoMin, kWaitingAgoMax);
  }
  a.signed_ago_s = submit_ago + Seconds(30, 10 * kMinute);
  a.created_ago_s = a.signed_ago_s + Seconds(2 * kMinute, 25 * kMinute);

  // The review chain as the service records it: each step's from/to by enroll::Transition.
  AppStatus at = AppStatus::kDraft;
  auto step = [&](enroll::Step s, std::string who, auth::Role role, std::optional<Index> account, int64_t ago) {
    GenDecision d;
    d.step = s;
    d.from = at;
    d.to = at = *enroll::Transition(at, s);
    d.user_name = std::move(who);
    d.role = role;
    d.account = account;
    d.ago_s = ago;
    a.decisions.push_back(std::move(d));
  };
  step(enroll::Step::kSubmit, d_.guardians[a.signer].name, auth::Role::kGuardian, a.signer_account, submit_ago);
  if (status == AppStatus::kSubmitted) return;
  const auto ct_account = AccountOf(auth::Role::kClassTeacher);
  const bool ct_login = ct_account && d_.accounts[*ct_account].staff == k.class_teacher;
  step(enroll::Step::kClassApprove, k.class_teacher ? d_.staff[*k.class_teacher].name : std::string(),
       auth::Role::kClassTeacher, ct_login ? ct_account : std::nullopt, class_ago);
  if (status == AppStatus::kClassApproved) return;
  const Index head = principals_.at(st.school);
  step(enroll::Step::kApprove, d_.staff[head].name, auth::Role::kPrincipal,
       st.school == 0 ? AccountOf(auth::Role::kPrincipal) : std::nullopt, approve_ago);
}

}  // namespace kehou::demo::internal
