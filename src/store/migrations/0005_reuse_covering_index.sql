DROP INDEX `repository_reuse_pk`;--> statement-breakpoint
CREATE INDEX `repository_reuse_pk` ON `repository_reuse` (`repository_pk`,`reuse_score`,`reused_by_count`);