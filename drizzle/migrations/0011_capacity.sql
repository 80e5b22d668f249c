ALTER TABLE "bookings" ADD COLUMN "seats" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "shares_capacity" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_seats_positive" CHECK ("bookings"."seats" >= 1);--> statement-breakpoint
-- Capacity per resource (docs/capacity.md). A resource's capacity is read from its config,
-- where the API writes it, so there is one copy of it.
CREATE OR REPLACE FUNCTION resource_capacity(config jsonb) RETURNS integer
  LANGUAGE sql IMMUTABLE AS $$ SELECT greatest(coalesce((config ->> 'capacity')::integer, 1), 1) $$;
--> statement-breakpoint
-- The EXCLUDE constraint keeps guarding resources of one place; rows of shared resources are
-- guarded by bookings_guard_capacity instead.
ALTER TABLE "bookings" DROP CONSTRAINT "bookings_no_overlap";
--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_no_overlap"
  EXCLUDE USING gist (resource_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
  WHERE (status <> 'cancelled' AND NOT shares_capacity);
--> statement-breakpoint
-- Every write that makes a new claim on a resource (a new row, a new interval, more seats, a
-- cancelled row occupying again) is guarded here. For a shared resource the seats already
-- taken are counted under the resource's advisory lock — the key the booking store
-- serialises a resource's writers on — so two writers never count the same free seat: each
-- query of a PL/pgSQL function takes a fresh snapshot, and the lock is granted only after
-- the previous holder committed. The count is the most seats taken at any instant of the
-- new interval, found at its start and at every start of another booking inside it (the
-- only instants where the sum rises). A refusal is an exclusion violation, like a double
-- booking on a resource of one place.
CREATE OR REPLACE FUNCTION bookings_guard_capacity() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  capacity integer;
  taken integer;
BEGIN
  IF TG_OP = 'UPDATE'
     AND NEW.resource_id = OLD.resource_id AND NEW.starts_at = OLD.starts_at AND NEW.ends_at = OLD.ends_at
     AND NEW.seats <= OLD.seats AND NOT (OLD.status = 'cancelled' AND NEW.status <> 'cancelled') THEN
    -- No new claim. Which guard applies moves only when the resource's capacity changes,
    -- inside bookable_resources_guard_capacity (one trigger level down).
    IF pg_trigger_depth() < 2 THEN NEW.shares_capacity := OLD.shares_capacity; END IF;
    RETURN NEW;
  END IF;
  SELECT resource_capacity(config) INTO capacity FROM bookable_resources WHERE id = NEW.resource_id;
  IF capacity IS NULL THEN RETURN NEW; END IF; -- the foreign key refuses it
  NEW.shares_capacity := capacity > 1;
  IF NEW.seats > capacity THEN
    RAISE EXCEPTION 'a booking of % places on a resource of %', NEW.seats, capacity
      USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'bookings_capacity';
  END IF;
  IF capacity = 1 OR NEW.status = 'cancelled' THEN RETURN NEW; END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended(NEW.resource_id::text, 0));
  SELECT coalesce(max(at_instant.seats), 0) INTO taken
  FROM (
    SELECT (
      SELECT coalesce(sum(b.seats), 0) FROM bookings b
      WHERE b.resource_id = NEW.resource_id AND b.status <> 'cancelled' AND b.id <> NEW.id
        AND tstzrange(b.starts_at, b.ends_at, '[)') @> instants.at
    ) AS seats
    FROM (
      SELECT NEW.starts_at AS at
      UNION
      SELECT o.starts_at FROM bookings o
      WHERE o.resource_id = NEW.resource_id AND o.status <> 'cancelled' AND o.id <> NEW.id
        AND tstzrange(o.starts_at, o.ends_at, '[)') && tstzrange(NEW.starts_at, NEW.ends_at, '[)')
        AND o.starts_at > NEW.starts_at
    ) instants
  ) at_instant;
  IF taken + NEW.seats > capacity THEN
    RAISE EXCEPTION '% of % places are taken; % more do not fit', taken, capacity, NEW.seats
      USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'bookings_capacity';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER bookings_guard_capacity BEFORE INSERT OR UPDATE ON bookings
  FOR EACH ROW EXECUTE FUNCTION bookings_guard_capacity();
--> statement-breakpoint
-- A change of capacity re-files the resource's bookings that have not ended under the
-- guard that now applies, and is refused (as an exclusion violation) when more places are
-- booked at some future instant than the new capacity. Ended bookings keep their flag:
-- history may hold what the old capacity allowed.
CREATE OR REPLACE FUNCTION bookable_resources_guard_capacity() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  capacity integer := resource_capacity(NEW.config);
  most integer;
BEGIN
  IF resource_capacity(OLD.config) = capacity THEN RETURN NEW; END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended(NEW.id::text, 0));
  SELECT coalesce(max(running), 0) INTO most
  FROM (
    -- A sweep over starts (+seats) and ends (−seats); at equal instants ends come first,
    -- since intervals are half-open.
    SELECT sum(delta) OVER (ORDER BY at, delta ROWS UNBOUNDED PRECEDING) AS running
    FROM (
      SELECT starts_at AS at, seats AS delta FROM bookings
      WHERE resource_id = NEW.id AND status <> 'cancelled' AND ends_at > now()
      UNION ALL
      SELECT ends_at, -seats FROM bookings
      WHERE resource_id = NEW.id AND status <> 'cancelled' AND ends_at > now()
    ) events
  ) sweep;
  IF most > capacity THEN
    RAISE EXCEPTION '% places are booked at once; the capacity cannot drop to %', most, capacity
      USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'bookable_resources_capacity';
  END IF;
  UPDATE bookings SET shares_capacity = (capacity > 1)
  WHERE resource_id = NEW.id AND status <> 'cancelled' AND ends_at > now() AND shares_capacity <> (capacity > 1);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER bookable_resources_guard_capacity AFTER UPDATE OF config ON bookable_resources
  FOR EACH ROW EXECUTE FUNCTION bookable_resources_guard_capacity();
