ALTER TABLE "bookings" ADD COLUMN "min_reschedule_notice_hours" double precision;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "min_cancel_notice_hours" double precision;