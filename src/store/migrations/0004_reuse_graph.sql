CREATE TABLE `repository_reuse` (
	`id` text PRIMARY KEY NOT NULL,
	`repository_pk` integer,
	`owner_key` text NOT NULL,
	`public_body_id` text,
	`reuser_key` text NOT NULL,
	`reuse` text NOT NULL,
	`reusers` integer NOT NULL,
	`reused_by_count` integer NOT NULL,
	`reuse_score` real NOT NULL,
	`criteria` text NOT NULL,
	`built_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `repository_reuse_pk` ON `repository_reuse` (`repository_pk`);--> statement-breakpoint
CREATE INDEX `repository_reuse_owner` ON `repository_reuse` (`owner_key`);--> statement-breakpoint
CREATE INDEX `repository_reuse_body` ON `repository_reuse` (`public_body_id`);--> statement-breakpoint
CREATE INDEX `repository_reuse_reusers` ON `repository_reuse` (`reusers`);--> statement-breakpoint
CREATE TABLE `reuse_builds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`built_at` text NOT NULL,
	`repositories` integer NOT NULL,
	`edges` integer NOT NULL,
	`duration_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reuse_edges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`from_id` text NOT NULL,
	`to_id` text NOT NULL,
	`ecosystem` text,
	`package_name` text,
	`scope` text,
	`across_bodies` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `reuse_edges_to` ON `reuse_edges` (`to_id`,`kind`);--> statement-breakpoint
CREATE INDEX `reuse_edges_from` ON `reuse_edges` (`from_id`,`kind`);--> statement-breakpoint
CREATE TABLE `reuse_external_packages` (
	`rank` integer PRIMARY KEY NOT NULL,
	`ecosystem` text NOT NULL,
	`name` text NOT NULL,
	`dependents` integer NOT NULL,
	`reusers` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `reuse_external_packages_ecosystem` ON `reuse_external_packages` (`ecosystem`,`rank`);--> statement-breakpoint
CREATE TABLE `reuse_external_upstreams` (
	`rank` integer PRIMARY KEY NOT NULL,
	`upstream` text NOT NULL,
	`forks` integer NOT NULL,
	`reusers` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reuse_history` (
	`day` text NOT NULL,
	`ecosystem` text NOT NULL,
	`built_at` text NOT NULL,
	`dependencies` integer NOT NULL,
	`internal` integer NOT NULL,
	`edges_across_bodies` integer NOT NULL,
	`reused_repositories` integer NOT NULL,
	PRIMARY KEY(`day`, `ecosystem`)
);
--> statement-breakpoint
CREATE TABLE `reuse_package_uses` (
	`ecosystem` text NOT NULL,
	`name` text NOT NULL,
	`repository_id` text NOT NULL,
	`scope` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `reuse_package_uses_package` ON `reuse_package_uses` (`ecosystem`,`name`,`repository_id`);--> statement-breakpoint
CREATE TABLE `reuse_packages` (
	`ecosystem` text NOT NULL,
	`name` text NOT NULL,
	`publisher_id` text NOT NULL,
	`ambiguous` integer NOT NULL,
	PRIMARY KEY(`ecosystem`, `name`, `publisher_id`)
);
