CREATE TABLE "payment_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "payment_status" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "amount_authorized" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "capture_before" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "settlement" jsonb;--> statement-breakpoint
CREATE INDEX "bookings_settlement_open_idx" ON "bookings" USING btree ("id") WHERE "bookings"."settlement" ->> 'state' IN ('pending', 'failed');--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_refund_within_capture" CHECK ("bookings"."amount_refunded" <= "bookings"."amount_captured");--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_payment_status_known" CHECK (payment_status IS NULL OR payment_status IN ('requires_payment', 'authorized', 'captured', 'canceled', 'failed'));