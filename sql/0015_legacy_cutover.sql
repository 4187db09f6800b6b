-- The cutover from the previous (Python) NeuroCards: a seller's old balance arrives as one 'migrated' ledger entry, so
-- the balance still equals the ledger's sum; once per seller, however often the import runs.
alter table ledger drop constraint ledger_kind_check;
alter table ledger add constraint ledger_kind_check
    check (kind in ('bonus', 'purchase', 'charge', 'refund', 'grant', 'reversal', 'migrated'));
alter table ledger add constraint ledger_migrated_shape check (kind <> 'migrated' or amount > 0);
create unique index ledger_one_migration on ledger (user_id) where kind = 'migrated';
