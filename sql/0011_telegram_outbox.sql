-- What an update (or a payment, a grant) has to tell Telegram, written in the transaction whose work it reports and sent
-- after that commits: nothing is said about work that rolled back, and nothing is lost when the sender dies between the
-- commit and the send (a sweeper finishes, and the chat's next update sends what is left first).
create table telegram_outbox (
    id            bigserial primary key,
    chat_id       bigint not null,
    message       jsonb not null,
    created_at    timestamptz not null default now(),
    due_at        timestamptz not null default now(),   -- later after a 429 or an outage: Telegram is not asked again before
    attempts      integer not null default 0,
    claim         uuid,                                 -- the sender delivering the chat's messages now, until claimed_until
    claimed_until timestamptz
);
create index telegram_outbox_chat_idx on telegram_outbox (chat_id, id);
