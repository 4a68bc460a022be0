CREATE TABLE `accounts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`host` text NOT NULL,
	`login` text NOT NULL,
	`last_run_id` integer,
	`last_status` text,
	`last_reason` text,
	`last_error` text,
	`last_attempt_at` text,
	`last_success_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_host_login` ON `accounts` (`host`,lower("login"));--> statement-breakpoint
CREATE TABLE `forges` (
	`host` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`api_url` text,
	`pso_id` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `harvest_run_accounts` (
	`run_id` integer NOT NULL,
	`host` text NOT NULL,
	`login` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`message` text,
	`repositories` integer DEFAULT 0 NOT NULL,
	`duration_ms` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`run_id`, `host`, `login`),
	FOREIGN KEY (`run_id`) REFERENCES `harvest_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `harvest_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trigger` text NOT NULL,
	`status` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`accounts_total` integer DEFAULT 0 NOT NULL,
	`accounts_failed` integer DEFAULT 0 NOT NULL,
	`accounts_skipped` integer DEFAULT 0 NOT NULL,
	`repositories_seen` integer DEFAULT 0 NOT NULL,
	`repositories_added` integer DEFAULT 0 NOT NULL,
	`repositories_updated` integer DEFAULT 0 NOT NULL,
	`repositories_removed` integer DEFAULT 0 NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`not_modified` integer DEFAULT 0 NOT NULL,
	`rate_limit_waits` integer DEFAULT 0 NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE TABLE `http_cache` (
	`key` text PRIMARY KEY NOT NULL,
	`etag` text NOT NULL,
	`payload` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `locks` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`acquired_at` text NOT NULL,
	`heartbeat_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `owners` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`host` text NOT NULL,
	`login` text NOT NULL,
	`forge_id` text,
	`kind` text NOT NULL,
	`name` text,
	`description` text,
	`website` text,
	`email` text,
	`location` text,
	`avatar_url` text,
	`verified` integer,
	`created_at` text,
	`pso_id` text,
	`floss_policy` text,
	`ospo_url` text,
	`first_seen_at` text NOT NULL,
	`last_seen_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `owners_host_login` ON `owners` (`host`,lower("login"));--> statement-breakpoint
CREATE TABLE `repositories` (
	`pk` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`host` text NOT NULL,
	`forge` text NOT NULL,
	`forge_id` text NOT NULL,
	`account_id` integer NOT NULL,
	`owner_id` integer,
	`owner` text NOT NULL,
	`name` text NOT NULL,
	`full_name` text NOT NULL,
	`url` text NOT NULL,
	`description` text,
	`homepage` text,
	`language` text,
	`license` text,
	`topics` text DEFAULT '[]' NOT NULL,
	`stars` integer DEFAULT 0 NOT NULL,
	`forks` integer DEFAULT 0 NOT NULL,
	`open_issues` integer DEFAULT 0 NOT NULL,
	`archived` integer DEFAULT false NOT NULL,
	`fork` integer DEFAULT false NOT NULL,
	`template` integer DEFAULT false NOT NULL,
	`default_branch` text,
	`created_at` text,
	`updated_at` text,
	`pushed_at` text,
	`first_seen_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`removed_at` text,
	`change_marker` text,
	`content_hash` text NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_id`) REFERENCES `owners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `repositories_host_forge_id` ON `repositories` (`host`,`forge_id`);--> statement-breakpoint
CREATE INDEX `repositories_account` ON `repositories` (`account_id`);--> statement-breakpoint
CREATE INDEX `repositories_owner` ON `repositories` (`owner_id`);--> statement-breakpoint
CREATE INDEX `repositories_full_name` ON `repositories` (`host`,lower("full_name"));