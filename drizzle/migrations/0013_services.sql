CREATE TABLE "service_parts" (
	"service_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"resource_id" uuid,
	"pool_id" uuid,
	"label" text,
	CONSTRAINT "service_parts_service_id_position_pk" PRIMARY KEY("service_id","position"),
	CONSTRAINT "service_parts_one_target" CHECK (("service_parts"."resource_id" IS NULL) <> ("service_parts"."pool_id" IS NULL)),
	CONSTRAINT "service_parts_position_range" CHECK ("service_parts"."position" BETWEEN 0 AND 7)
);
--> statement-breakpoint
CREATE TABLE "services" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"timezone" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "services_slug_unique" UNIQUE("slug"),
	CONSTRAINT "services_slug_format" CHECK ("services"."slug" ~ '^[a-z0-9][a-z0-9-]{0,62}$')
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "service_id" uuid;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "part_of" uuid;--> statement-breakpoint
ALTER TABLE "service_parts" ADD CONSTRAINT "service_parts_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_parts" ADD CONSTRAINT "service_parts_resource_id_bookable_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."bookable_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_parts" ADD CONSTRAINT "service_parts_pool_id_resource_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."resource_pools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "service_parts_resource_idx" ON "service_parts" USING btree ("resource_id");--> statement-breakpoint
CREATE INDEX "service_parts_pool_idx" ON "service_parts" USING btree ("pool_id");--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_part_of_bookings_id_fk" FOREIGN KEY ("part_of") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bookings_part_of_idx" ON "bookings" USING btree ("part_of") WHERE "bookings"."part_of" IS NOT NULL;--> statement-breakpoint
-- Combined bookings (docs/capacity.md): a booking of a service is a lead row plus one part
-- row per further resource, all occupying rows that each resource's EXCLUDE constraint or
-- capacity trigger guards. A part never changes on its own: every change of the lead's
-- status or interval is copied onto its parts in the same statement, so cancelling or
-- moving a lead moves every part, and a move one part cannot make fails as a whole.
CREATE OR REPLACE FUNCTION bookings_parts_follow_lead() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  UPDATE bookings
     SET status = NEW.status,
         starts_at = NEW.starts_at,
         ends_at = NEW.ends_at,
         expires_at = NEW.expires_at,
         confirmed_at = NEW.confirmed_at,
         cancelled_at = NEW.cancelled_at,
         cancel_reason = NEW.cancel_reason,
         version = NEW.version,
         updated_at = NEW.updated_at
   WHERE part_of = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER bookings_parts_follow_lead AFTER UPDATE OF status, starts_at, ends_at ON bookings
  FOR EACH ROW WHEN (NEW.part_of IS NULL AND (OLD.status, OLD.starts_at, OLD.ends_at) IS DISTINCT FROM (NEW.status, NEW.starts_at, NEW.ends_at))
  EXECUTE FUNCTION bookings_parts_follow_lead();
--> statement-breakpoint
-- A part row states its lead's status and interval, at insert and at every change; only
-- the copy above can change it. A write that touches a part alone is refused.
CREATE OR REPLACE FUNCTION bookings_guard_part() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  lead bookings%ROWTYPE;
BEGIN
  SELECT * INTO lead FROM bookings WHERE id = NEW.part_of;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'a part row needs its lead booking first'
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'bookings_part_follows_lead';
  END IF;
  IF lead.part_of IS NOT NULL
     OR (lead.status, lead.starts_at, lead.ends_at) IS DISTINCT FROM (NEW.status, NEW.starts_at, NEW.ends_at) THEN
    RAISE EXCEPTION 'a part row follows its lead booking (status and interval)'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'bookings_part_follows_lead';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER bookings_guard_part BEFORE INSERT OR UPDATE OF status, starts_at, ends_at, part_of ON bookings
  FOR EACH ROW WHEN (NEW.part_of IS NOT NULL)
  EXECUTE FUNCTION bookings_guard_part();
