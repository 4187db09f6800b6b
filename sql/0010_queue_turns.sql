-- A claim whose cost follows the batch, not the backlog, without a global lock.
-- One row per user with work: how many of their jobs run, when their earliest queued job is due, and when a claim
-- last gave them one. A claimer takes the users whose turn it is (least recently served first, then the one waiting
-- longest) with
-- FOR UPDATE SKIP LOCKED, so two claimers never serve the same user at once and the per-user cap holds without a
-- lock over the whole queue; then it takes each user's oldest due jobs through an index on that user's queue.
-- A trigger on jobs keeps the row exact, whichever statement moves a job.
create table queue_users (
    user_id    bigint primary key,
    running    integer not null default 0,
    next_due   timestamptz,   -- earliest not_before among the user's queued jobs; null when none is queued
    served_at  timestamptz    -- when a claim last gave this user a job; null (never) comes first
);
create index queue_users_turn_idx on queue_users (served_at nulls first, next_due, user_id) where next_due is not null;

create index jobs_user_queue_idx on jobs (user_id, created_at, index) where status = 'queued';
create index jobs_user_due_idx on jobs (user_id, not_before) where status = 'queued';
create index jobs_lease_idx on jobs (locked_until) where status = 'running';
drop index jobs_claimable_idx;

create function jobs_track_queue_users() returns trigger
language plpgsql as $$
declare
    delta integer;
begin
    if tg_op = 'INSERT' then
        insert into queue_users as q (user_id, running, next_due)
        values (new.user_id, (new.status = 'running')::int, case when new.status = 'queued' then new.not_before end)
        on conflict (user_id) do update
            set running = q.running + excluded.running, next_due = least(q.next_due, excluded.next_due);
        return null;
    end if;

    if tg_op = 'DELETE' then
        update queue_users
        set running = running - (old.status = 'running')::int,
            next_due = (select min(not_before) from jobs where user_id = old.user_id and status = 'queued')
        where user_id = old.user_id;
        return null;
    end if;

    delta := (new.status = 'running')::int - (old.status = 'running')::int;
    if new.status = 'queued' and (old.status <> 'queued' or new.not_before <= old.not_before) then
        update queue_users set running = running + delta, next_due = least(next_due, new.not_before)
        where user_id = new.user_id;
    elsif old.status = 'queued' then
        -- It left the queue, or became due later: it may have been the earliest.
        update queue_users
        set running = running + delta,
            next_due = (select min(not_before) from jobs where user_id = new.user_id and status = 'queued'),
            served_at = case when new.status = 'running' then now() else served_at end
        where user_id = new.user_id;
    elsif delta <> 0 then
        update queue_users set running = running + delta where user_id = new.user_id;
    end if;
    return null;
end
$$;

create trigger jobs_queue_users_insert after insert on jobs
    for each row execute function jobs_track_queue_users();
create trigger jobs_queue_users_update after update of status, not_before on jobs
    for each row when (old.status is distinct from new.status or old.not_before is distinct from new.not_before)
    execute function jobs_track_queue_users();
create trigger jobs_queue_users_delete after delete on jobs
    for each row when (old.status in ('queued', 'running'))
    execute function jobs_track_queue_users();

insert into queue_users (user_id, running, next_due)
select user_id, count(*) filter (where status = 'running'), min(not_before) filter (where status = 'queued')
from jobs
where status in ('queued', 'running')
group by user_id;
