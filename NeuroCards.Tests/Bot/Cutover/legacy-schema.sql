-- The previous (Python) NeuroCards' tables as its repository defined them (../shared/spec/legacy-schema.md), with the
-- columns its code used without declaring them ("drift"). For the cutover tests; never a schema of ours.
create extension if not exists pgcrypto;
create table users (
    id uuid primary key default gen_random_uuid(),
    tg_user_id bigint unique not null,
    username text, first_name text, last_name text,
    credits int default 0,
    created_at timestamptz default now(), updated_at timestamptz default now()
);
create table jobs (
    id text primary key,
    tg_user_id bigint references users (tg_user_id),
    user_id uuid,
    product_name text not null,
    product_image_url text, product_text text, extra_wishes text,
    idempotency_key text unique,
    prompt text, kie_task_id text, kie_api_key text,
    status text default 'queued' check (status in ('queued', 'processing', 'completed', 'failed', 'done')),
    progress int, video_url text, video_file_id text, error text, error_details jsonb, attempts int,
    credits_deducted int default 1,
    created_at timestamptz default now(), started_at timestamptz, finished_at timestamptz, updated_at timestamptz default now(),
    kind text, template_type text, template_id text, retry_count int, result_video_path text, error_message text, output_url text
);
create table credits_history (
    id uuid primary key default gen_random_uuid(),
    tg_user_id bigint not null, user_id uuid, amount int not null,
    operation_type text check (operation_type in ('purchase', 'usage', 'refund', 'bonus', 'expired')),
    job_id text, description text, metadata jsonb, created_at timestamptz default now()
);
create table pricing_plans (
    id uuid primary key default gen_random_uuid(), name text unique, name_ru text, credits_amount int, price_rub numeric,
    price_usd numeric, bonus_credits int, is_active boolean, created_at timestamptz default now(), updated_at timestamptz default now()
);
create table payments (
    id uuid primary key default gen_random_uuid(),
    user_id uuid, tg_user_id bigint, plan_id uuid,
    amount_rub decimal, amount_usd decimal, currency text, credits_purchased int,
    status text check (status in ('pending', 'completed', 'failed', 'refunded')),
    payment_provider text, payment_id text, payment_url text, metadata jsonb, error_message text,
    created_at timestamptz default now(), completed_at timestamptz, refunded_at timestamptz
);
