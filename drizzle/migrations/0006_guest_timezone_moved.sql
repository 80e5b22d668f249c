ALTER TABLE "bookings" ADD COLUMN "guest_timezone" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "payload" jsonb;