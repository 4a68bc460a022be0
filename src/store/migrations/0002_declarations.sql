CREATE TABLE `declaration_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`declaration_id` integer NOT NULL,
	`action` text NOT NULL,
	`actor_subject` text NOT NULL,
	`actor_email` text,
	`detail` text,
	`at` text NOT NULL,
	FOREIGN KEY (`declaration_id`) REFERENCES `declarations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `declaration_events_declaration` ON `declaration_events` (`declaration_id`);--> statement-breakpoint
CREATE INDEX `declaration_events_at` ON `declaration_events` (`at`);--> statement-breakpoint
CREATE TABLE `declarations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`host` text NOT NULL,
	`forge_type` text NOT NULL,
	`api_url` text,
	`login` text NOT NULL,
	`account_kind` text NOT NULL,
	`account_name` text,
	`public_repositories` integer,
	`pso_id` text,
	`siret` text,
	`body_name` text,
	`contact` text NOT NULL,
	`declarer_subject` text NOT NULL,
	`declarer_email` text,
	`declarer_name` text,
	`token` text NOT NULL,
	`token_expires_at` text NOT NULL,
	`verified_at` text,
	`status` text NOT NULL,
	`decided_at` text,
	`decided_by` text,
	`reason` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `declarations_account` ON `declarations` (`host`,lower("login"));--> statement-breakpoint
CREATE INDEX `declarations_declarer` ON `declarations` (`declarer_subject`,`created_at`);--> statement-breakpoint
CREATE INDEX `declarations_status` ON `declarations` (`status`);--> statement-breakpoint
CREATE TABLE `login_attempts` (
	`state_hash` text PRIMARY KEY NOT NULL,
	`nonce` text NOT NULL,
	`code_verifier` text NOT NULL,
	`return_to` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`subject` text NOT NULL,
	`email` text,
	`email_verified` integer DEFAULT false NOT NULL,
	`name` text,
	`siret` text,
	`id_token` text,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sessions_expires` ON `sessions` (`expires_at`);