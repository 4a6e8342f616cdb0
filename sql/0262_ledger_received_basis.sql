-- Fee income is recognised when received (issue 14 §3, docs/ARCHITECTURE.md money section): a bill
-- posts its due as a receivable against 2205 待收课后服务费 (billed, not yet received); a payment
-- moves it from 2205 to fee and materials income. So the income the monthly disclosure shows is
-- money collected, and bills not yet paid stay receivables (1122 = 2205), not income.
INSERT INTO ledger_accounts (code, name, name_en, kind, line, sort) VALUES
  ('2205', '待收课后服务费', 'Fees billed, not yet received', 'liability', '', 65);
