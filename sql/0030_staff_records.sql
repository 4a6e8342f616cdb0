-- 0030 staff records (R-STF-2, R-STF-5) and external institutions (R-STF-3), issue 12.
-- Portable SQL. Dates 'YYYY-MM-DD' (school-local), money integer fen, booleans 0/1.

-- The county's (or city's) approved list of external institutions (遴选名单). An institution
-- removed from the list (listed = 0) takes no new contracts anywhere.
CREATE TABLE institutions (
  id {{PK}},
  area_id BIGINT NOT NULL REFERENCES areas(id),
  name TEXT NOT NULL,
  licence_no TEXT NOT NULL,                 -- 营业执照/办学许可证号
  filing_no TEXT NOT NULL,                  -- 教育行政部门备案号
  categories TEXT NOT NULL DEFAULT '',      -- comma list of non-subject course categories
  listed INTEGER NOT NULL DEFAULT 1,
  review_date TEXT NOT NULL,                -- next 遴选 review
  removed_reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX institutions_area_name ON institutions(area_id, name);

-- A school's contract with a listed institution: the rules it accepted and the school's own
-- teaching assistant (本校助教); exit (退出) with a reason ends it for good.
CREATE TABLE institution_contracts (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  institution_id BIGINT NOT NULL REFERENCES institutions(id),
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  no_promotion INTEGER NOT NULL DEFAULT 0,  -- 不在校内宣传、推销
  safety_duties INTEGER NOT NULL DEFAULT 0, -- 承担安全责任
  assistant_staff_id BIGINT REFERENCES staff(id),
  exited_on TEXT,
  exit_reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX institution_contracts_school ON institution_contracts(school_id, institution_id);

-- One record per person who serves (staff row): the current background check (违法犯罪信息查询),
-- health certificate, contract (聘用协议) and willingness (参与意愿). Earlier values stay in the
-- audit log.
CREATE TABLE staff_records (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  staff_id BIGINT NOT NULL REFERENCES staff(id),
  qualifications TEXT NOT NULL DEFAULT '',
  institution_id BIGINT REFERENCES institutions(id),
  check_date TEXT,
  check_result TEXT CHECK (check_result IN ('passed','failed')),
  check_certificate TEXT NOT NULL DEFAULT '',
  check_valid_until TEXT,
  health_valid_until TEXT,
  contract_start TEXT,
  contract_end TEXT,
  hourly_rate_fen BIGINT NOT NULL DEFAULT 0,
  will_weekdays TEXT NOT NULL DEFAULT '',   -- comma list of ISO weekdays 1..5
  will_bands TEXT NOT NULL DEFAULT '',      -- comma list of band kinds
  will_content TEXT NOT NULL DEFAULT '',
  will_max_hours INTEGER NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX staff_records_school_staff ON staff_records(school_id, staff_id);

CREATE TABLE staff_trainings (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  staff_id BIGINT NOT NULL REFERENCES staff(id),
  held_on TEXT NOT NULL,
  hours INTEGER NOT NULL,
  topic TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX staff_trainings_staff ON staff_trainings(school_id, staff_id, held_on);
