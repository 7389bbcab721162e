DROP INDEX registrations_offers_by_expiry;
ALTER TABLE registrations DROP CONSTRAINT registrations_offer_expiry;
ALTER TABLE registrations DROP COLUMN offer_expires_at;
UPDATE registrations SET status = 'confirmed' WHERE status = 'offered';
ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_status_check
    CHECK (status IN ('confirmed', 'waitlisted'));
ALTER TABLE events DROP COLUMN offer_hours;
