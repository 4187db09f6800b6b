-- Put it on the card: sellers' shops on Wildberries, Ozon and Yandex Market (their API secrets encrypted by the
-- services, never stored in clear), the publications of delivered videos to cards (a queue of their own, leased like
-- jobs), and catalogue batches: one order per card, each video published when it is ready.
create table shops (
    id            uuid primary key,
    user_id       bigint not null references users (id),
    marketplace   text not null check (marketplace in ('wb', 'ozon', 'ym')),
    account       text not null,             -- WB: the seller id from the token; Ozon: Client-Id; YM: business id
    secret        bytea not null,            -- AES-256-GCM: nonce ‖ ciphertext ‖ tag, bound to the shop id
    hint          text not null,             -- the secret's last four characters, to tell two tokens apart
    expires_at    timestamptz,               -- WB tokens live 180 days
    created_at    timestamptz not null default now(),
    removed_at    timestamptz
);
-- One live connection per seller, marketplace and account: connecting again replaces the secret.
create unique index shops_one_live on shops (user_id, marketplace, account) where removed_at is null;

alter table orders add column article text;          -- the card the order started from (a WB nm id)
alter table orders add column batch_id uuid;

create table batches (
    id            uuid primary key,
    user_id       bigint not null references users (id),
    chat_id       bigint not null,
    shop_id       uuid not null references shops (id),
    language      text not null default 'ru',
    template      text not null check (template in ('ugc', 'ad')),
    model         text not null,
    price         integer not null check (price > 0),   -- credits a card
    format        text not null,
    state         text not null default 'draft' check (state in ('draft', 'running', 'paused', 'cancelled', 'done')),
    total         integer not null check (total > 0),
    found         integer not null,          -- the shop's cards looked at (with and without a video)
    message_id    integer,                   -- the one progress message
    message_text  text,
    message_at    timestamptz,
    finished_at   timestamptz,               -- every card has its outcome; the message is final
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);
alter table orders add constraint orders_batch_fk foreign key (batch_id) references batches (id);
create index orders_batch_idx on orders (batch_id) where batch_id is not null;
create index batches_running on batches (updated_at) where state in ('running', 'paused');

create table publications (
    id              uuid primary key,
    user_id         bigint not null references users (id),
    chat_id         bigint not null,
    language        text not null default 'ru',
    job_id          uuid not null references jobs (id),
    shop_id         uuid not null references shops (id),
    marketplace     text not null check (marketplace in ('wb', 'ozon', 'ym')),
    card            text not null,           -- WB nm id, Ozon offer_id, YM offerId
    batch_id        uuid references batches (id),
    state           text not null default 'queued'
                    check (state in ('queued', 'sent', 'published', 'failed')),
    attempts        integer not null default 0,
    not_before      timestamptz not null default now(),
    lease_token     uuid,
    locked_until    timestamptz,
    public_key      text,                    -- our public copy the marketplace fetches (Ozon, YM)
    public_url      text,
    remote_task     text,                    -- Ozon's task_id
    message_id      integer,                 -- the one message that turns into "на карточке"
    error           text,                    -- the marketplace's reason, in its words
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    published_at    timestamptz
);
-- Publishing twice is harmless: one publication per video, shop and card.
create unique index publications_once on publications (job_id, shop_id, card);
create index publications_due on publications (not_before) where state in ('queued', 'sent');
create index publications_batch on publications (batch_id) where batch_id is not null;

-- A catalogue card's video is not sent to the chat (five hundred of them would bury it): it is delivered to the card.
alter table jobs add column in_batch boolean not null default false;
alter table jobs drop constraint jobs_check;
alter table jobs add constraint jobs_delivered_has_file check (status <> 'delivered' or telegram_file_id is not null or in_batch);
