-- Work that must happen once per cluster whatever the replica count (broadcasts, reconciliations, retention, pruning):
-- a named lease, taken and renewed with plain statements (so it works through a transaction-mode pooler), lost by a
-- holder that stops renewing it.
create table cluster_leases (
    name   text primary key,
    owner  text not null,
    until  timestamptz not null
);
