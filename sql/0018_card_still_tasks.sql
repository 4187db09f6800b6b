-- A preview's stills drawn by KIE: each task recorded as soon as KIE answers, so a worker that takes over a preview whose
-- maker died waits for the same (paid) tasks instead of asking again.
alter table card_preview_makings add column still_tasks jsonb not null default '[]';
