CREATE TABLE "booking_series" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ref" text NOT NULL,
	"resource_id" uuid NOT NULL,
	"every_weeks" smallint NOT NULL,
	"occurrences" smallint,
	"until_date" date,
	"mode" text NOT NULL,
	"skipped_dates" text[] DEFAULT '{}'::text[] NOT NULL,
	"manage_token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "booking_series_ref_unique" UNIQUE("ref"),
	CONSTRAINT "booking_series_every_weeks_range" CHECK ("booking_series"."every_weeks" BETWEEN 1 AND 52),
	CONSTRAINT "booking_series_one_end" CHECK (("booking_series"."occurrences" IS NULL) <> ("booking_series"."until_date" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "series_id" uuid;--> statement-breakpoint
ALTER TABLE "booking_series" ADD CONSTRAINT "booking_series_resource_id_bookable_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."bookable_resources"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_series_id_booking_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."booking_series"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bookings_series_idx" ON "bookings" USING btree ("series_id") WHERE "bookings"."series_id" IS NOT NULL;--> statement-breakpoint
-- Booking limits (config.limits, docs/booking-rules.md) are checked here, in the writing
-- transaction, on every path into an occupying status or to a new time, guest or resource:
-- a new booking, a move, a cancelled booking occupying again. Competing writers are
-- serialised on advisory locks of their own namespace ('limits:'), never the resource key
-- the booking store and the capacity guard take: first the guest's (resource, lower(email)),
-- then the (resource, local day) of perDay, always in that order. Once a lock is granted its
-- holder has committed, and each query below takes a fresh snapshot, so no two writers count
-- the same free place. Days, weeks (Monday to Sunday) and months are the resource's local
-- ones, counted by the booking's start; part rows of combined bookings are not bookings of
-- their own. A refusal is a check_violation named bookings_limit_*, whose DETAIL (JSON)
-- says which limit and its value; the store turns it into 409 limit_reached.
CREATE FUNCTION bookings_respect_limits() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  limits jsonb;
  tz text;
  resource_name text;
  local_start timestamp;
  local_day date;
  week_start timestamp;
  month_start timestamp;
  per_guest_day integer;
  per_guest_week integer;
  per_guest_month integer;
  per_day integer;
  min_gap integer;
  on_day integer;
  in_week integer;
  in_month integer;
  refused text;
  refused_value integer;
BEGIN
  -- A reversed interval is left to the CHECK bookings_ends_after_start to refuse.
  IF NEW.status = 'cancelled' OR NEW.part_of IS NOT NULL OR NEW.ends_at <= NEW.starts_at THEN
    RETURN NEW;
  END IF;
  -- A booking already in place keeps it when only its status moves between occupying ones.
  IF TG_OP = 'UPDATE' AND OLD.status <> 'cancelled' AND OLD.part_of IS NULL
     AND NEW.resource_id = OLD.resource_id AND NEW.starts_at = OLD.starts_at AND NEW.ends_at = OLD.ends_at
     AND lower(NEW.guest_email) = lower(OLD.guest_email) THEN
    RETURN NEW;
  END IF;
  SELECT r.config -> 'limits', r.timezone, r.name INTO limits, tz, resource_name
  FROM bookable_resources r WHERE r.id = NEW.resource_id;
  IF limits IS NULL OR jsonb_typeof(limits) <> 'object' OR limits = '{}'::jsonb THEN
    RETURN NEW;
  END IF;
  per_guest_day := (limits ->> 'perGuestPerDay')::integer;
  per_guest_week := (limits ->> 'perGuestPerWeek')::integer;
  per_guest_month := (limits ->> 'perGuestPerMonth')::integer;
  per_day := (limits ->> 'perDay')::integer;
  min_gap := (limits ->> 'minGapMinutes')::integer;
  local_start := NEW.starts_at AT TIME ZONE tz;
  local_day := local_start::date;
  week_start := date_trunc('week', local_start);
  month_start := date_trunc('month', local_start);

  IF coalesce(per_guest_day, per_guest_week, per_guest_month, min_gap) IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(
      hashtextextended('limits:guest:' || NEW.resource_id::text || ':' || lower(NEW.guest_email), 0));
  END IF;
  IF per_day IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(
      hashtextextended('limits:day:' || NEW.resource_id::text || ':' || local_day::text, 0));
  END IF;

  IF coalesce(per_guest_day, per_guest_week, per_guest_month) IS NOT NULL THEN
    -- One pass over the guest's bookings of the week and the month around the start (a day
    -- of slack each side; the exact local day, week and month are compared per row).
    SELECT count(*) FILTER (WHERE local_at::date = local_day),
           count(*) FILTER (WHERE date_trunc('week', local_at) = week_start),
           count(*) FILTER (WHERE date_trunc('month', local_at) = month_start)
    INTO on_day, in_week, in_month
    FROM (
      SELECT b.starts_at AT TIME ZONE tz AS local_at FROM bookings b
      WHERE b.resource_id = NEW.resource_id AND b.part_of IS NULL AND b.status <> 'cancelled' AND b.id <> NEW.id
        AND lower(b.guest_email) = lower(NEW.guest_email)
        AND tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(
          (least(week_start, month_start) - interval '1 day') AT TIME ZONE tz,
          (greatest(week_start + interval '7 days', month_start + interval '1 month') + interval '1 day') AT TIME ZONE tz,
          '[)')
    ) mine;
    IF per_guest_day IS NOT NULL AND on_day >= per_guest_day THEN
      refused := 'perGuestPerDay'; refused_value := per_guest_day;
    ELSIF per_guest_week IS NOT NULL AND in_week >= per_guest_week THEN
      refused := 'perGuestPerWeek'; refused_value := per_guest_week;
    ELSIF per_guest_month IS NOT NULL AND in_month >= per_guest_month THEN
      refused := 'perGuestPerMonth'; refused_value := per_guest_month;
    END IF;
  END IF;

  IF refused IS NULL AND min_gap IS NOT NULL AND EXISTS (
    SELECT 1 FROM bookings b
    WHERE b.resource_id = NEW.resource_id AND b.part_of IS NULL AND b.status <> 'cancelled' AND b.id <> NEW.id
      AND lower(b.guest_email) = lower(NEW.guest_email)
      AND tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(
        NEW.starts_at - make_interval(mins => min_gap), NEW.ends_at + make_interval(mins => min_gap), '[)')
  ) THEN
    refused := 'minGapMinutes'; refused_value := min_gap;
  END IF;

  IF refused IS NULL AND per_day IS NOT NULL THEN
    SELECT count(*) INTO on_day FROM bookings b
    WHERE b.resource_id = NEW.resource_id AND b.part_of IS NULL AND b.status <> 'cancelled' AND b.id <> NEW.id
      AND (b.starts_at AT TIME ZONE tz)::date = local_day
      AND tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(
        (local_day - 1)::timestamp AT TIME ZONE tz, (local_day + 2)::timestamp AT TIME ZONE tz, '[)');
    IF on_day >= per_day THEN
      refused := 'perDay'; refused_value := per_day;
    END IF;
  END IF;

  IF refused IS NOT NULL THEN
    RAISE EXCEPTION '% limit of % reached on resource %', refused, refused_value, NEW.resource_id
      USING ERRCODE = 'check_violation',
        CONSTRAINT = CASE refused
          WHEN 'perGuestPerDay' THEN 'bookings_limit_per_guest_day'
          WHEN 'perGuestPerWeek' THEN 'bookings_limit_per_guest_week'
          WHEN 'perGuestPerMonth' THEN 'bookings_limit_per_guest_month'
          WHEN 'minGapMinutes' THEN 'bookings_limit_min_gap'
          ELSE 'bookings_limit_per_day' END,
        DETAIL = json_build_object('limit', refused, 'value', refused_value, 'resource', resource_name)::text;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER bookings_respect_limits
  BEFORE INSERT OR UPDATE OF status, starts_at, ends_at, resource_id, guest_email ON bookings
  FOR EACH ROW EXECUTE FUNCTION bookings_respect_limits();
