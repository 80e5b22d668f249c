CREATE TABLE "pool_members" (
	"pool_id" uuid NOT NULL,
	"resource_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"weight" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "pool_members_pool_id_resource_id_pk" PRIMARY KEY("pool_id","resource_id"),
	CONSTRAINT "pool_members_weight_positive" CHECK ("pool_members"."weight" >= 1)
);
--> statement-breakpoint
CREATE TABLE "resource_pools" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"timezone" text NOT NULL,
	"strategy" text DEFAULT 'ordered' NOT NULL,
	"member_choice" boolean DEFAULT false NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resource_pools_slug_unique" UNIQUE("slug"),
	CONSTRAINT "resource_pools_slug_format" CHECK ("resource_pools"."slug" ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
	CONSTRAINT "resource_pools_strategy_known" CHECK (strategy IN ('ordered', 'round_robin', 'weighted', 'smallest_fit'))
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "pool_id" uuid;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "party_size" smallint;--> statement-breakpoint
ALTER TABLE "pool_members" ADD CONSTRAINT "pool_members_pool_id_resource_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."resource_pools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pool_members" ADD CONSTRAINT "pool_members_resource_id_bookable_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."bookable_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pool_members_resource_idx" ON "pool_members" USING btree ("resource_id");--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_pool_id_resource_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."resource_pools"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_party_size_positive" CHECK ("bookings"."party_size" IS NULL OR "bookings"."party_size" >= 1);--> statement-breakpoint
-- A party is seated only at a table made for it: the table's minParty/maxParty (in its
-- config) bound a booking's party size, whoever writes it.
CREATE OR REPLACE FUNCTION bookings_guard_party_size() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  config jsonb;
BEGIN
  IF NEW.party_size IS NULL THEN RETURN NEW; END IF;
  SELECT r.config INTO config FROM bookable_resources r WHERE r.id = NEW.resource_id;
  IF NEW.party_size < coalesce((config ->> 'minParty')::integer, 1)
     OR NEW.party_size > coalesce((config ->> 'maxParty')::integer, NEW.party_size) THEN
    RAISE EXCEPTION 'a party of % does not fit this table', NEW.party_size
      USING ERRCODE = 'check_violation', CONSTRAINT = 'bookings_party_size_fits';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER bookings_guard_party_size BEFORE INSERT OR UPDATE OF party_size, resource_id ON bookings
  FOR EACH ROW EXECUTE FUNCTION bookings_guard_party_size();
