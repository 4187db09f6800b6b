-- Marketplace-ready videos: each order picks a frame format and whether captions are burned in; each job carries both,
-- and the caption lines its prompt stage wrote (headline first), so a worker that takes the job over draws the same text.
alter table orders
    add column format   text not null default 'vertical' check (format in ('vertical', 'card', 'square')),
    add column captions boolean;                        -- null: the template's default (on for the ad template)

alter table jobs
    add column format        text not null default 'vertical' check (format in ('vertical', 'card', 'square')),
    add column captions      boolean not null default false,
    add column caption_lines text[];
