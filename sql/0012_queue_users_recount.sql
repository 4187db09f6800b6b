-- The earliest due job of a user is counted again after the user's queue row is locked: counted in the statement that
-- waited for the lock, it came from a snapshot taken before another transaction (a worker putting a job back in the
-- queue) committed, and that user's due job was left unclaimed until they ordered again.
create or replace function jobs_track_queue_users() returns trigger
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
        perform 1 from queue_users where user_id = old.user_id for update;
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
        -- It left the queue, or became due later: it may have been the earliest. The row is locked first, so the
        -- recount below (a statement of its own, with a snapshot taken after the lock) sees a job another transaction
        -- put back in the queue and committed meanwhile.
        perform 1 from queue_users where user_id = new.user_id for update;
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
