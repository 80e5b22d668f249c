CREATE TABLE "waitlist_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ref" text NOT NULL,
	"resource_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"duration_min" integer,
	"seats" integer DEFAULT 1 NOT NULL,
	"guest_name" text NOT NULL,
	"guest_email" text NOT NULL,
	"guest_phone" text,
	"locale" text NOT NULL,
	"guest_timezone" text,
	"token_hash" text NOT NULL,
	"link_sealed" text,
	"status" text DEFAULT 'waiting' NOT NULL,
	"booking_id" uuid,
	"queued_seq" bigserial NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "waitlist_entries_ref_unique" UNIQUE("ref"),
	CONSTRAINT "waitlist_entries_window_order" CHECK ("waitlist_entries"."window_end" > "waitlist_entries"."window_start"),
	CONSTRAINT "waitlist_entries_seats_positive" CHECK ("waitlist_entries"."seats" >= 1)
);
--> statement-breakpoint
CREATE TABLE "waitlist_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"entry_id" uuid NOT NULL,
	"offer_id" uuid,
	"event" text NOT NULL,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"send_after" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "waitlist_messages_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "waitlist_offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"entry_id" uuid NOT NULL,
	"resource_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"hold_id" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"offered_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"booking_id" uuid
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "waitlist_offer_id" uuid;--> statement-breakpoint
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_resource_id_bookable_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."bookable_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_messages" ADD CONSTRAINT "waitlist_messages_entry_id_waitlist_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."waitlist_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_messages" ADD CONSTRAINT "waitlist_messages_offer_id_waitlist_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."waitlist_offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_offers" ADD CONSTRAINT "waitlist_offers_entry_id_waitlist_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."waitlist_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_offers" ADD CONSTRAINT "waitlist_offers_resource_id_bookable_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."bookable_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_offers" ADD CONSTRAINT "waitlist_offers_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "waitlist_entries_waiting_idx" ON "waitlist_entries" USING btree ("resource_id","queued_seq") WHERE "waitlist_entries"."status" = 'waiting';--> statement-breakpoint
CREATE INDEX "waitlist_entries_resource_window_idx" ON "waitlist_entries" USING btree ("resource_id","window_start");--> statement-breakpoint
CREATE UNIQUE INDEX "waitlist_entries_once" ON "waitlist_entries" USING btree ("resource_id",lower("guest_email"),"window_start","window_end") WHERE "waitlist_entries"."status" = 'waiting';--> statement-breakpoint
CREATE INDEX "waitlist_messages_due_idx" ON "waitlist_messages" USING btree ("send_after") WHERE "waitlist_messages"."status" IN ('pending', 'sending');--> statement-breakpoint
CREATE UNIQUE INDEX "waitlist_offers_once_per_start" ON "waitlist_offers" USING btree ("entry_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "waitlist_offers_one_open" ON "waitlist_offers" USING btree ("entry_id") WHERE "waitlist_offers"."status" = 'open';--> statement-breakpoint
CREATE INDEX "waitlist_offers_open_idx" ON "waitlist_offers" USING btree ("resource_id","expires_at") WHERE "waitlist_offers"."status" = 'open';--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_waitlist_offer_id_waitlist_offers_id_fk" FOREIGN KEY ("waitlist_offer_id") REFERENCES "public"."waitlist_offers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Claiming an offer: the booking that claims it marks it claimed (and its entry booked) in
-- the booking's own statement, only while it is open and unexpired at the booking's time,
-- for exactly the offered interval. The sweep lapses offers with an UPDATE ... WHERE
-- status = 'open' on the same row, so a claim and a lapse that race serialise on it and
-- exactly one wins; the losing booking is refused (check_violation waitlist_offer_open).
CREATE FUNCTION bookings_claim_waitlist_offer() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  claimed_entry uuid;
BEGIN
  UPDATE waitlist_offers
    SET status = 'claimed', ended_at = NEW.created_at, booking_id = NEW.id
    WHERE id = NEW.waitlist_offer_id AND status = 'open' AND expires_at > NEW.created_at
      AND resource_id = NEW.resource_id AND starts_at = NEW.starts_at AND ends_at = NEW.ends_at
    RETURNING entry_id INTO claimed_entry;
  IF claimed_entry IS NULL THEN
    RAISE EXCEPTION 'waitlist offer % is no longer open', NEW.waitlist_offer_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'waitlist_offer_open';
  END IF;
  UPDATE waitlist_entries
    SET status = 'booked', booking_id = NEW.id, ended_at = NEW.created_at
    WHERE id = claimed_entry AND status = 'waiting';
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER bookings_claim_waitlist_offer
  AFTER INSERT ON bookings
  FOR EACH ROW WHEN (NEW.waitlist_offer_id IS NOT NULL) EXECUTE FUNCTION bookings_claim_waitlist_offer();
--> statement-breakpoint
-- Waitlist webhook events, written like the bookings' (trigger bookings_webhook_events): in
-- the statement that made the change, one delivery per subscribed active endpoint.
-- waitlist.joined: an entry is made; waitlist.offered: an offer is made; waitlist.claimed:
-- an offer became a booking; waitlist.expired: an offer lapsed unclaimed (the payload has
-- `offer`) or an entry's window passed (no `offer`). The token hash and sealed link never leave.
CREATE FUNCTION waitlist_webhook_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  happened text;
  entry_row waitlist_entries;
  offer jsonb := NULL;
  booking uuid := NULL;
  snapshot jsonb;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM webhook_endpoints WHERE is_active) THEN
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'waitlist_entries' THEN
    IF TG_OP = 'INSERT' THEN
      happened := 'waitlist.joined';
    ELSIF NEW.status = 'expired' AND OLD.status IS DISTINCT FROM 'expired' THEN
      happened := 'waitlist.expired';
    ELSE
      RETURN NULL;
    END IF;
    entry_row := NEW;
  ELSE
    IF TG_OP = 'INSERT' THEN
      happened := 'waitlist.offered';
    ELSIF NEW.status = 'claimed' AND OLD.status IS DISTINCT FROM 'claimed' THEN
      happened := 'waitlist.claimed';
      booking := NEW.booking_id;
    ELSIF NEW.status = 'lapsed' AND OLD.status IS DISTINCT FROM 'lapsed' THEN
      happened := 'waitlist.expired';
    ELSE
      RETURN NULL;
    END IF;
    SELECT * INTO entry_row FROM waitlist_entries WHERE id = NEW.entry_id;
    offer := to_jsonb(NEW);
  END IF;
  snapshot := jsonb_build_object('entry', to_jsonb(entry_row) - ARRAY['token_hash', 'link_sealed']);
  IF offer IS NOT NULL THEN
    snapshot := snapshot || jsonb_build_object('offer', offer);
  END IF;
  INSERT INTO webhook_deliveries (endpoint_id, event_id, event, booking_id, sequence, payload)
  SELECT e.id, ev.id, happened, booking, ev.seq, snapshot
  FROM webhook_endpoints e,
    (SELECT gen_random_uuid() AS id, nextval('webhook_event_sequence') AS seq) ev
  WHERE e.is_active AND happened = ANY (e.events);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER waitlist_entries_webhook_events
  AFTER INSERT OR UPDATE OF status ON waitlist_entries
  FOR EACH ROW EXECUTE FUNCTION waitlist_webhook_events();
--> statement-breakpoint
CREATE TRIGGER waitlist_offers_webhook_events
  AFTER INSERT OR UPDATE OF status ON waitlist_offers
  FOR EACH ROW EXECUTE FUNCTION waitlist_webhook_events();
