-- Admin broadcasts: resumable (a cursor over user ids), paced to Telegram's limits by the bot.

create table broadcasts (
    id            bigserial primary key,
    text          text not null check (char_length(text) between 1 and 4096),
    created_by    bigint not null,
    status        text not null default 'running' check (status in ('running', 'done')),
    last_user_id  bigint not null default 0,
    sent          integer not null default 0,
    failed        integer not null default 0,
    created_at    timestamptz not null default now(),
    finished_at   timestamptz
);
