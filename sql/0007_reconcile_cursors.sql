-- How far a reconciliation has read a provider's append-only list (Telegram's Star transactions), so each round reads
-- only what is new.
create table reconcile_cursors (
    name        text primary key,
    position    integer not null default 0 check (position >= 0),
    updated_at  timestamptz not null default now()
);
