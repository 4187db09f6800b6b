-- NeuroCards initial schema. Landed migrations are never edited: add a new numbered file instead.

create table users (
    id               bigint primary key,                -- Telegram user id
    username         text,
    first_name       text,
    language         text not null default 'ru' check (language in ('ru', 'en')),
    balance          integer not null default 0 check (balance >= 0),  -- cache of sum(ledger.amount), same transaction
    consent_at       timestamptz,
    consent_version  text,
    blocked_at       timestamptz,                       -- the user blocked the bot; broadcasts skip them
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);

create table conversations (
    chat_id          bigint primary key,
    user_id          bigint not null references users (id),
    state            text not null,
    data             jsonb not null default '{}'::jsonb,
    version          integer not null default 0,        -- optimistic concurrency
    menu_message_id  integer,                           -- the message edited in place
    updated_at       timestamptz not null default now()
);

create table credit_packs (
    id               serial primary key,
    credits          integer not null check (credits > 0),
    price_rub        numeric(12, 2) not null check (price_rub > 0),
    price_stars      integer not null check (price_stars > 0),
    active           boolean not null default true,
    sort_order       integer not null default 0
);

insert into credit_packs (credits, price_rub, price_stars, sort_order) values
    (5, 390, 250, 1),
    (10, 690, 450, 2),
    (30, 1790, 1150, 3),
    (100, 4990, 3200, 4);

create table orders (
    id                 uuid primary key,                -- idempotency key of the charge
    user_id            bigint not null references users (id),
    chat_id            bigint not null,
    status             text not null default 'draft'
                       check (status in ('draft', 'confirmed', 'completed', 'cancelled')),
    language           text not null default 'ru',
    photo_key          text,
    photo_file_id      text,
    description        text check (char_length(description) <= 3000),
    template           text check (template in ('ugc', 'ad', 'custom')),
    wishes             text,
    user_prompt        text check (char_length(user_prompt) <= 2000),
    model              text,
    count              integer check (count in (1, 3, 5)),
    price_per_video    integer check (price_per_video > 0),
    total_cost         integer check (total_cost > 0),
    status_message_id  integer,                         -- the one progress message
    status_text        text,                            -- last text shown there, to skip identical edits
    status_updated_at  timestamptz,
    trace_context      text,
    source_order_id    uuid references orders (id),     -- "one more with this product"
    created_at         timestamptz not null default now(),
    confirmed_at       timestamptz,
    updated_at         timestamptz not null default now()
);
create index orders_user_idx on orders (user_id, created_at desc);

create table jobs (
    id                 uuid primary key,
    order_id           uuid not null references orders (id),
    user_id            bigint not null references users (id),
    chat_id            bigint not null,
    index              integer not null check (index >= 0),
    -- every input, written in the same transaction that charges the order
    photo_key          text not null,
    description        text not null,
    template           text not null check (template in ('ugc', 'ad', 'custom')),
    wishes             text,
    user_prompt        text,
    model              text not null,
    language           text not null,
    -- queue
    status             text not null default 'queued'
                       check (status in ('queued', 'running', 'delivered', 'failed', 'undeliverable')),
    stage              text not null default 'queued',  -- for progress: queued, prompt, render, store, deliver, done
    attempt            integer not null default 0,      -- provider attempts (createTask calls and unknown outcomes)
    delivery_attempt   integer not null default 0,
    lease_owner        text,
    locked_until       timestamptz,
    not_before         timestamptz not null default now(),
    -- recorded steps (a worker that takes over continues from the last one)
    final_prompt       text,
    provider           text,
    provider_task_id   text,
    provider_key_id    text,
    provider_callback_token text,                      -- unguessable, in the callback URL
    provider_created_at timestamptz,
    provider_state     text,                            -- last state seen (poll or callback)
    provider_result_url text,
    render_deadline    timestamptz,
    result_key         text,
    result_size        bigint,
    result_duration    double precision,
    result_width       integer,
    result_height      integer,
    succeeded_at       timestamptz,                     -- generation succeeded: never refunded after this
    telegram_file_id   text,
    delivered_at       timestamptz,
    -- failure
    error_class        text check (error_class in ('moderation', 'temporary', 'rate_limit', 'our_side',
                                                   'bad_request', 'provider_failure', 'timeout', 'unknown')),
    error_text         text,
    failed_at          timestamptz,
    trace_context      text,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    unique (order_id, index),
    check (status <> 'delivered' or telegram_file_id is not null),
    check (status <> 'failed' or succeeded_at is null)
);
create index jobs_claimable_idx on jobs (not_before, created_at) where status in ('queued', 'running');
create index jobs_user_running_idx on jobs (user_id) where status = 'running';
create index jobs_order_idx on jobs (order_id);
create unique index jobs_provider_task_idx on jobs (provider_task_id) where provider_task_id is not null;
create unique index jobs_callback_token_idx on jobs (provider_callback_token) where provider_callback_token is not null;

create table payments (
    id                  uuid primary key,               -- our id: invoice payload / YooKassa metadata
    user_id             bigint not null references users (id),
    provider            text not null check (provider in ('stars', 'yookassa', 'test')),
    provider_payment_id text,
    status              text not null default 'pending'
                        check (status in ('pending', 'succeeded', 'failed', 'refunded')),
    pack_id             integer references credit_packs (id),
    credits             integer not null check (credits > 0),
    amount              numeric(12, 2) not null check (amount > 0),
    currency            text not null,
    order_id            uuid references orders (id),    -- the pending order to return to after paying
    confirmation_url    text,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    paid_at             timestamptz,
    unique (provider, provider_payment_id)
);
create index payments_pending_idx on payments (created_at) where status = 'pending';

create table ledger (
    id          bigserial primary key,
    user_id     bigint not null references users (id),
    kind        text not null check (kind in ('bonus', 'purchase', 'charge', 'refund', 'grant')),
    amount      integer not null check (amount <> 0),
    order_id    uuid references orders (id),
    job_id      uuid references jobs (id),
    payment_id  uuid references payments (id),
    admin_id    bigint,
    reason      text,
    created_at  timestamptz not null default now(),
    check (kind <> 'charge' or (amount < 0 and order_id is not null)),
    check (kind <> 'refund' or (amount > 0 and job_id is not null)),
    check (kind <> 'purchase' or (amount > 0 and payment_id is not null)),
    check (kind <> 'bonus' or amount > 0)
);
create index ledger_user_idx on ledger (user_id, created_at);
-- the rules that make double spending impossible
create unique index ledger_one_bonus on ledger (user_id) where kind = 'bonus';
create unique index ledger_one_charge_per_order on ledger (order_id) where kind = 'charge';
create unique index ledger_one_refund_per_job on ledger (job_id) where kind = 'refund';
create unique index ledger_one_credit_per_payment on ledger (payment_id) where kind = 'purchase';

create function ledger_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'ledger is append-only';
end $$;
create trigger ledger_no_update before update or delete on ledger
    for each row execute function ledger_append_only();

create table processed_updates (
    update_id     bigint primary key,
    processed_at  timestamptz not null default now()
);
