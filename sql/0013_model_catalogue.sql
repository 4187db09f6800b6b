-- The model catalogue's state for the whole cluster: a model KIE refused (or an admin turned off) stays off for every
-- bot and worker until an admin turns it back on; an admin's price replaces the configured one. No row: as configured.
create table video_models (
    name        text primary key,
    enabled     boolean not null,
    price       integer check (price is null or price >= 1),
    reason      text,                           -- why it was turned off, for /models
    changed_by  bigint,                         -- the admin; null when KIE's refusal turned it off
    changed_at  timestamptz not null default now()
);

-- What the seller ordered, when a retired model made the job move to the next one (jobs.model is what renders it).
alter table jobs add column ordered_model text;

-- Every paid KIE call, written before the call is sent (with the attempt it counts as) and given the task id when KIE
-- answers: a worker killed in between still leaves the spend on the books. 'refused': KIE created nothing (no charge).
create table kie_tasks (
    job_id      uuid not null references jobs (id),
    attempt     integer not null,
    task_id     text unique,
    model       text not null,
    credits     numeric(12, 2) not null check (credits >= 0),
    outcome     text not null default 'sent' check (outcome in ('sent', 'created', 'refused', 'success', 'fail')),
    created_at  timestamptz not null default now(),
    ended_at    timestamptz,
    primary key (job_id, attempt)
);
create index kie_tasks_created on kie_tasks (created_at);

-- The KIE account's remaining credits as read (GET /api/v1/chat/credit): falls between readings are what was really spent.
create table kie_balance (
    checked_at  timestamptz primary key default now(),
    credits     numeric(14, 2) not null
);

alter table jobs drop constraint jobs_error_class_check;
alter table jobs add constraint jobs_error_class_check check (error_class in ('moderation', 'temporary', 'rate_limit', 'our_side',
    'bad_request', 'image_fetch', 'provider_failure', 'timeout', 'unknown', 'model_unavailable'));
