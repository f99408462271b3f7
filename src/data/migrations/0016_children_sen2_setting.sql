ALTER TABLE "children" ADD COLUMN "setting_ukprn" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "sen_setting" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "secondary_need" text;