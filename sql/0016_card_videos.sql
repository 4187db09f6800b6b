-- The finished card video: an order of template 'card' is approved from a preview (storyboard + stills) before it is
-- charged, then rendered scene by scene, each scene's paid task recorded on its own.
alter table orders drop constraint orders_template_check;
alter table orders add constraint orders_template_check check (template in ('ugc', 'ad', 'custom', 'card'));
alter table jobs drop constraint jobs_template_check;
alter table jobs add constraint jobs_template_check check (template in ('ugc', 'ad', 'custom', 'card'));

-- One preview per draft order. The bot asks (state 'requested', with a typed change or a re-draw); a worker claims it
-- ('making', leased), writes the storyboard and the stills and sends them ('ready'). Nothing here is charged to the
-- seller.
create table card_previews (
    order_id      uuid primary key references orders (id),
    user_id       bigint not null references users (id),
    chat_id       bigint not null,
    state         text not null default 'requested' check (state in ('requested', 'making', 'ready', 'failed')),
    change        text check (char_length(change) <= 1000),      -- the seller's typed change, until it is applied
    redraws       integer not null default 0 check (redraws >= 0),
    storyboard    jsonb,                                          -- the approved script travels to the job from here
    scenes        integer check (scenes between 3 and 5),
    keyframe_keys text[],
    locked_until  timestamptz,
    lease_token   uuid,
    message_ids   integer[],                                      -- the album and the script, replaced by the next preview
    error         text,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);
create index card_previews_requested on card_previews (updated_at) where state in ('requested', 'making');

-- Every making asked for, with what its stills cost us: the seller's daily cap counts these, the books sum them.
create table card_preview_makings (
    id           bigint generated always as identity primary key,
    order_id     uuid not null references card_previews (order_id),
    user_id      bigint not null references users (id),
    asked_at     timestamptz not null default now(),
    kie_credits  numeric(12, 2) not null default 0 check (kie_credits >= 0)
);
create index card_preview_makings_user on card_preview_makings (user_id, asked_at);

-- Each scene of a card job: its clip's paid task and the stored clip. A failed scene is rendered again alone.
create table job_scenes (
    job_id            uuid not null references jobs (id),
    scene             integer not null check (scene >= 1),
    attempt           integer not null default 0,
    provider_task_id  text,
    provider_key_id   text,
    provider_state    text,
    provider_result_url text,
    clip_key          text,
    updated_at        timestamptz not null default now(),
    primary key (job_id, scene)
);

-- A scene's task is on the books like a single clip's: scene 0 is the single clip itself.
alter table kie_tasks add column scene integer not null default 0;
alter table kie_tasks drop constraint kie_tasks_pkey;
alter table kie_tasks add primary key (job_id, scene, attempt);
