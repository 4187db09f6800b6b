-- Every claim gets a lease token of its own (a fencing token): a write, heartbeat or completion from an
-- older claim of the same job is refused, even when the same worker process claimed it again.
alter table jobs add column lease_token uuid;
-- Failures rescheduled by the worker's failure policy: a job gets a limited number, then it ends (refunded if no video).
alter table jobs add column failure_count integer not null default 0;
-- Claims of a job whose lease had run out (its worker died or hung holding it): a job that keeps killing
-- its workers ends too, instead of being retried every lease period for ever.
alter table jobs add column takeovers integer not null default 0;
-- processed_updates is pruned by age.
create index processed_updates_processed_at on processed_updates (processed_at);
