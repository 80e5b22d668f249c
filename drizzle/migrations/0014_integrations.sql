CREATE TABLE "busy_blocks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" uuid NOT NULL,
	"resource_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"uid" text,
	CONSTRAINT "busy_blocks_ends_after_start" CHECK ("busy_blocks"."ends_at" > "busy_blocks"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "busy_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resource_id" uuid NOT NULL,
	"url" text NOT NULL,
	"label" text,
	"poll_minutes" integer DEFAULT 10 NOT NULL,
	"etag" text,
	"last_modified" text,
	"next_poll_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "busy_sources_poll_range" CHECK ("busy_sources"."poll_minutes" BETWEEN 5 AND 1440)
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"event" text NOT NULL,
	"booking_id" uuid,
	"sequence" bigint NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"last_status_code" integer,
	"last_latency_ms" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"url" text NOT NULL,
	"description" text,
	"events" text[] NOT NULL,
	"secret" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"disabled_at" timestamp with time zone,
	"disabled_reason" text,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bookable_resources" ADD COLUMN "feed_token" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "questions_asked" jsonb;--> statement-breakpoint
ALTER TABLE "busy_blocks" ADD CONSTRAINT "busy_blocks_source_id_busy_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."busy_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "busy_blocks" ADD CONSTRAINT "busy_blocks_resource_id_bookable_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."bookable_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "busy_sources" ADD CONSTRAINT "busy_sources_resource_id_bookable_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."bookable_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "busy_blocks_source_idx" ON "busy_blocks" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "busy_sources_resource_idx" ON "busy_sources" USING btree ("resource_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" IN ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" USING btree ("endpoint_id","created_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_open_by_booking_idx" ON "webhook_deliveries" USING btree ("endpoint_id","booking_id","sequence") WHERE "webhook_deliveries"."status" IN ('pending', 'sending');--> statement-breakpoint
ALTER TABLE "bookable_resources" ADD CONSTRAINT "bookable_resources_feed_token_unique" UNIQUE("feed_token");--> statement-breakpoint
-- Imported busy time (busy_sources → busy_blocks) blocks a booking like another booking
-- does: every path into an occupying status, or to a new time, is checked here in the
-- writing transaction, and refused with the exclusion_violation a booking overlap raises,
-- so the application answers 409 slot_taken either way.
CREATE INDEX "busy_blocks_during_idx" ON "busy_blocks"
  USING gist ("resource_id", tstzrange("starts_at", "ends_at", '[)'));
--> statement-breakpoint
CREATE FUNCTION bookings_respect_busy_blocks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A reversed interval is left to the CHECK bookings_ends_after_start to refuse.
  IF NEW.status NOT IN ('pending', 'confirmed') OR NEW.ends_at <= NEW.starts_at THEN
    RETURN NEW;
  END IF;
  -- A booking already in place keeps its time when a calendar later marks it busy.
  IF TG_OP = 'UPDATE' AND OLD.status IN ('pending', 'confirmed') AND NEW.resource_id = OLD.resource_id
     AND NEW.starts_at = OLD.starts_at AND NEW.ends_at = OLD.ends_at THEN
    RETURN NEW;
  END IF;
  IF EXISTS (
    SELECT 1 FROM busy_blocks b
    WHERE b.resource_id = NEW.resource_id
      AND tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(NEW.starts_at, NEW.ends_at, '[)')
  ) THEN
    RAISE EXCEPTION 'the resource is busy in an imported calendar at that time'
      USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'bookings_busy_import';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER bookings_respect_busy_blocks
  BEFORE INSERT OR UPDATE OF status, starts_at, ends_at, resource_id ON bookings
  FOR EACH ROW EXECUTE FUNCTION bookings_respect_busy_blocks();
--> statement-breakpoint
-- Webhook events: written by the database in the statement that changed the booking, one
-- delivery per active endpoint subscribed to the event, so an event exists exactly when its
-- change committed, whichever code path made it. Part rows of a combined booking follow
-- their lead and send nothing of their own. Without an active endpoint nothing is written.
CREATE SEQUENCE webhook_event_sequence;
--> statement-breakpoint
CREATE FUNCTION bookings_webhook_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  events text[] := '{}';
  snapshot jsonb;
  happened text;
BEGIN
  IF NEW.part_of IS NOT NULL OR NOT EXISTS (SELECT 1 FROM webhook_endpoints WHERE is_active) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    events := events || 'booking.created'::text;
  ELSE
    IF NEW.starts_at <> OLD.starts_at OR NEW.ends_at <> OLD.ends_at OR NEW.resource_id <> OLD.resource_id THEN
      events := events || 'booking.moved'::text;
    END IF;
    IF NEW.payment_status IS DISTINCT FROM OLD.payment_status AND NEW.payment_status IN ('authorized', 'captured') THEN
      events := events || ('payment.' || NEW.payment_status);
    END IF;
    IF NEW.amount_refunded > OLD.amount_refunded THEN
      events := events || 'payment.refunded'::text;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('confirmed', 'cancelled', 'no_show', 'completed') THEN
      events := events || ('booking.' || NEW.status);
    END IF;
  END IF;
  IF cardinality(events) = 0 THEN
    RETURN NULL;
  END IF;
  -- Secrets never leave: the token hashes and sealed tokens, the idempotency key.
  snapshot := to_jsonb(NEW) - ARRAY['manage_token_hash', 'manage_token_sealed', 'manage_link_sealed',
    'idempotency_key', 'request_hash', 'session_id'];
  IF TG_OP = 'UPDATE' THEN
    snapshot := snapshot || jsonb_build_object('previous', jsonb_build_object(
      'status', OLD.status, 'starts_at', OLD.starts_at, 'ends_at', OLD.ends_at, 'resource_id', OLD.resource_id));
  END IF;
  FOREACH happened IN ARRAY events LOOP
    INSERT INTO webhook_deliveries (endpoint_id, event_id, event, booking_id, sequence, payload)
    SELECT e.id, ev.id, happened, NEW.id, ev.seq, snapshot
    FROM webhook_endpoints e,
      (SELECT gen_random_uuid() AS id, nextval('webhook_event_sequence') AS seq) ev
    WHERE e.is_active AND happened = ANY (e.events);
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER bookings_webhook_events
  AFTER INSERT OR UPDATE ON bookings
  FOR EACH ROW EXECUTE FUNCTION bookings_webhook_events();
