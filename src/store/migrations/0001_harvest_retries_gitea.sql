ALTER TABLE `harvest_run_accounts` ADD `attempts` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `harvest_run_accounts` ADD `first_reason` text;--> statement-breakpoint
ALTER TABLE `harvest_run_accounts` ADD `retries` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `harvest_run_accounts` ADD `rate_limit_waits` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `locks` ADD `hostname` text;--> statement-breakpoint
ALTER TABLE `locks` ADD `pid` integer;--> statement-breakpoint
ALTER TABLE `repositories` ADD `mirror` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `repositories` ADD `parent` text;