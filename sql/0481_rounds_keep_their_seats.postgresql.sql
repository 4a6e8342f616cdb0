-- Issue 10 §4, session 17: 0480 dropped the foreign key from selections to select_rounds (its check
-- locked the round's one row in every take). What that key also did is kept here: a round that has
-- seats is never deleted and its id never changes, whoever writes the DELETE or UPDATE (no code
-- path does; a hand-written one is refused as the key refused it). Deleting a round is rare, so
-- the check may read selections without an index on round_id.
CREATE FUNCTION kehou_round_keeps_its_seats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_OP = 'DELETE' OR NEW.id IS DISTINCT FROM OLD.id)
     AND EXISTS (SELECT 1 FROM selections WHERE round_id = OLD.id) THEN
    RAISE EXCEPTION 'select_rounds %: the round has seats (selections.round_id)', OLD.id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER select_rounds_keep_seats BEFORE DELETE OR UPDATE OF id ON select_rounds
  FOR EACH ROW EXECUTE FUNCTION kehou_round_keeps_its_seats();
