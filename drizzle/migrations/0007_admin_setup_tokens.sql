CREATE TABLE "admin_setup_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"admin_key_id" uuid,
	CONSTRAINT "admin_setup_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "admin_setup_tokens" ADD CONSTRAINT "admin_setup_tokens_admin_key_id_admin_api_keys_id_fk" FOREIGN KEY ("admin_key_id") REFERENCES "public"."admin_api_keys"("id") ON DELETE set null ON UPDATE no action;