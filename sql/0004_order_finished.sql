-- When an order's last job ended: the worker that sets it sends the one closing message (videos ready, or why not and the refund).
alter table orders add column finished_at timestamptz;
