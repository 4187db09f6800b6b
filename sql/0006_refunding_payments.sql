-- A Stars refund is recorded before Telegram is asked (credits taken back, payment 'refunding'), then settled
-- ('refunded'): no crash point leaves the user with both the credits and the Stars.
alter table payments drop constraint payments_status_check;
alter table payments add constraint payments_status_check
    check (status in ('pending', 'succeeded', 'failed', 'refunding', 'refunded'));
