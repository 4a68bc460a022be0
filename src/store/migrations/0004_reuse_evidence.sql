CREATE TABLE `repository_manifests` (
	`repository_pk` integer NOT NULL,
	`file` text NOT NULL,
	`ecosystem` text NOT NULL,
	`sha` text,
	`publishes` text NOT NULL,
	`dependencies` text NOT NULL,
	`errors` text NOT NULL,
	`warnings` text NOT NULL,
	PRIMARY KEY(`repository_pk`, `file`),
	FOREIGN KEY (`repository_pk`) REFERENCES `repositories`(`pk`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `repositories` ADD `parent_forge_id` text;--> statement-breakpoint
ALTER TABLE `repository_profiles` ADD `evidence_version` integer;