-- A stored video Telegram already has (the demo sample every new seller sees): sent again by its file_id, not uploaded
-- once per user.
create table telegram_file_ids (
    storage_key text primary key,
    file_id     text not null,
    updated_at  timestamptz not null default now()
);
