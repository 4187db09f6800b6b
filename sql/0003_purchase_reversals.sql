-- Refunded purchases (Telegram Stars refunded by an admin) take their credits back: a 'reversal' ledger row, once per payment.

alter table ledger drop constraint ledger_kind_check;
alter table ledger add constraint ledger_kind_check
    check (kind in ('bonus', 'purchase', 'charge', 'refund', 'grant', 'reversal'));
alter table ledger add constraint ledger_reversal_shape
    check (kind <> 'reversal' or (amount < 0 and payment_id is not null));
create unique index ledger_one_reversal_per_payment on ledger (payment_id) where kind = 'reversal';
