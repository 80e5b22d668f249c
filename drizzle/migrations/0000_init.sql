CREATE TABLE "bookable_resources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"timezone" text NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bookable_resources_slug_unique" UNIQUE("slug"),
	CONSTRAINT "bookable_resources_slug_format" CHECK ("bookable_resources"."slug" ~ '^[a-z0-9][a-z0-9-]{0,62}$')
);
--> statement-breakpoint
CREATE TABLE "bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ref" text NOT NULL,
	"resource_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"guest_name" text NOT NULL,
	"guest_email" text NOT NULL,
	"guest_phone" text,
	"notes" text,
	"answers" jsonb,
	"manage_token_hash" text NOT NULL,
	"idempotency_key" text,
	"request_hash" text,
	"session_id" text,
	"version" integer DEFAULT 1 NOT NULL,
	"payment_intent_id" text,
	"amount" integer,
	"currency" text,
	"amount_captured" integer DEFAULT 0 NOT NULL,
	"amount_refunded" integer DEFAULT 0 NOT NULL,
	"cancellation_policy" jsonb,
	"expires_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bookings_ref_unique" UNIQUE("ref"),
	CONSTRAINT "bookings_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "bookings_payment_intent_id_unique" UNIQUE("payment_intent_id"),
	CONSTRAINT "bookings_status_known" CHECK (status IN ('pending', 'confirmed', 'cancelled', 'completed', 'no_show')),
	CONSTRAINT "bookings_ends_after_start" CHECK ("bookings"."ends_at" > "bookings"."starts_at"),
	CONSTRAINT "bookings_amounts_non_negative" CHECK ("bookings"."amount_captured" >= 0 AND "bookings"."amount_refunded" >= 0)
);
--> statement-breakpoint
CREATE TABLE "resource_schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resource_id" uuid NOT NULL,
	"weekday" smallint,
	"specific_date" date,
	"start_time" time NOT NULL,
	"end_time" time NOT NULL,
	"slot_duration" integer,
	"is_available" boolean DEFAULT true NOT NULL,
	CONSTRAINT "resource_schedules_one_day_kind" CHECK (("resource_schedules"."weekday" IS NULL) <> ("resource_schedules"."specific_date" IS NULL)),
	CONSTRAINT "resource_schedules_weekday_range" CHECK ("resource_schedules"."weekday" BETWEEN 0 AND 6),
	CONSTRAINT "resource_schedules_slot_duration_positive" CHECK ("resource_schedules"."slot_duration" > 0)
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_resource_id_bookable_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."bookable_resources"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_schedules" ADD CONSTRAINT "resource_schedules_resource_id_bookable_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."bookable_resources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bookings_expiring_idx" ON "bookings" USING btree ("expires_at") WHERE "bookings"."status" = 'pending' AND "bookings"."expires_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "resource_schedules_resource_idx" ON "resource_schedules" USING btree ("resource_id");