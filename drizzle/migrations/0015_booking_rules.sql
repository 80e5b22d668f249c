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
CREATE INDEX "bookings_series_idx" ON "bookings" USING btree ("series_id") WHERE "bookings"."series_id" IS NOT NULL;