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
    served_at  timestamptz,   -- when a claim last gave this user a job; null (never) comes first
    cap        integer        -- the per-user cap the last claim that served this user applied
);
create index queue_users_turn_idx on queue_users (served_at nulls first, next_due, user_id) where next_due is not null;

create index jobs_user_queue_idx on jobs (user_id, created_at, index) where status = 'queued';
create index jobs_user_due_idx on jobs (user_id, not_before) where status = 'queued';
create index jobs_lease_idx on jobs (locked_until) where status = 'running';
drop index jobs_claimable_idx;

-- Also wakes claimers (the queue's jobs_ready channel) when it matters, and only then: NOTIFY serialises the commits
-- that send it, so a wake-up on every completion would cap the whole queue's rate.
create function jobs_track_queue_users() returns trigger
language plpgsql as $$
declare
    delta integer;
    wake boolean;
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
        where user_id = new.user_id
        -- back in the queue and due now, or a place freed under a cap that held this user's due work back
        returning new.not_before <= now() or (delta < 0 and running - delta >= coalesce(cap, 0) and next_due <= now())
        into wake;
    elsif old.status = 'queued' then
        -- It left the queue, or became due later: it may have been the earliest.
        update queue_users
        set running = running + delta,
            next_due = (select min(not_before) from jobs where user_id = new.user_id and status = 'queued'),
            served_at = case when new.status = 'running' then now() else served_at end,
            cap = case when new.status = 'running'
                       then coalesce(nullif(current_setting('neurocards.claim_cap', true), '')::integer, cap) else cap end
        where user_id = new.user_id;
    elsif delta <> 0 then
        update queue_users set running = running + delta
        where user_id = new.user_id
        returning delta < 0 and running - delta >= coalesce(cap, 0) and next_due <= now()
        into wake;
    end if;
    if wake then
        perform pg_notify('jobs_ready', '');
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

-- The claim, as a function: each server connection plans it once and keeps the plan (plpgsql caches it), which a
-- prepared statement cannot do through a transaction-mode pooler. One call is one round trip and its own transaction.
--  1. Jobs whose worker lost its lease, first: they already count under their user's cap.
--  2. The users whose turn it is (least recently served first, then the one waiting longest), locked with SKIP LOCKED
--     so concurrent claimers serve different users and the cap holds without a global lock.
--  3. Each such user's oldest due jobs through the index on that user's queue, locked with SKIP LOCKED too: the pick
--     reads the statement's snapshot, and a job another claimer took since may be held by its worker finishing it (who
--     waits for this user's row), so waiting for it would deadlock.
-- The claimable conditions stand twice, in the pick and on the row being updated: under READ COMMITTED a row that
-- changed after the snapshot (a job just delivered) is re-checked against the outer WHERE only.
create function claim_jobs(_worker text, _lease interval, _cap integer, _max integer) returns setof jobs
language plpgsql as $$
begin
    -- the cap this claim applies, for the trigger to keep on each user it serves
    perform set_config('neurocards.claim_cap', _cap::text, true);
    return query
        with takeover as (
            update jobs j
            set lease_owner = _worker, lease_token = gen_random_uuid(), locked_until = now() + _lease,
                takeovers = j.takeovers + 1, updated_at = now()
            where j.id in (
                select c.id from jobs c
                where c.status = 'running' and c.locked_until < now()
                order by c.locked_until
                limit _max
                for update skip locked)
              and j.status = 'running' and j.locked_until < now()
            returning j.*
        ),
        turn as (
            select u.user_id, u.running, u.served_at, u.next_due
            from queue_users u
            where u.next_due is not null and u.next_due <= now() and u.running < _cap
            order by u.served_at nulls first, u.next_due, u.user_id
            limit greatest(_max - (select count(*) from takeover), 0)
            for update skip locked
        ),
        picked as (
            select c.id
            from (
                select q.id, t.served_at, t.next_due, t.user_id,
                       row_number() over (partition by t.user_id order by q.created_at, q.index) as rn
                from turn t
                cross join lateral (
                    select q.id, q.created_at, q.index
                    from jobs q
                    where q.user_id = t.user_id and q.status = 'queued' and q.not_before <= now()
                    order by q.created_at, q.index
                    -- no more than the cap allows, nor than the batch can take from this user when each user gets one first
                    limit least(_cap - t.running, _max - (select count(*) from turn) + 1)
                    for update skip locked
                ) q
            ) c
            order by c.rn, c.served_at nulls first, c.next_due, c.user_id
            limit greatest(_max - (select count(*) from takeover), 0)
        ),
        fresh as (
            update jobs j
            set status = 'running', lease_owner = _worker, lease_token = gen_random_uuid(), locked_until = now() + _lease,
                updated_at = now()
            from picked p
            where j.id = p.id and j.status = 'queued' and j.not_before <= now()
            returning j.*
        )
        select * from takeover
        union all
        select * from fresh;
end
$$;
