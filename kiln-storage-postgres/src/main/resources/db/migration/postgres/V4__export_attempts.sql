-- A job whose run fails is tried again a bounded number of times, after a backoff, and then fails with
-- the reason (docs/exports.md): attempts counts the failed runs, retry_at says when the job may be
-- claimed again, so other jobs are claimed meanwhile. Claims take the jobs tried least first.
ALTER TABLE export_jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE export_jobs ADD COLUMN retry_at BIGINT;
