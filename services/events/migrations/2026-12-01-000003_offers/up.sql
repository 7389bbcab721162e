-- Waiting-list offers: close to the start (within `offer_hours`), a freed
-- place is offered to the first waiter, who holds it until
-- `offer_expires_at` and accepts or declines. An offered registration holds
-- a place: it counts in `confirmed_count`.
ALTER TABLE events ADD COLUMN offer_hours integer CHECK (offer_hours > 0);
ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_status_check
    CHECK (status IN ('confirmed', 'waitlisted', 'offered'));
ALTER TABLE registrations ADD COLUMN offer_expires_at timestamptz;
ALTER TABLE registrations ADD CONSTRAINT registrations_offer_expiry
    CHECK ((status = 'offered') = (offer_expires_at IS NOT NULL));
CREATE INDEX registrations_offers_by_expiry ON registrations (offer_expires_at)
    WHERE status = 'offered';
