-- One event may ask for several notifications to one person of different
-- kinds (an email change: the link to the new address, a notice to the old).
ALTER TABLE notifications DROP CONSTRAINT notifications_event_id_user_id_key;
ALTER TABLE notifications ADD CONSTRAINT notifications_event_id_user_id_kind_key UNIQUE (event_id, user_id, kind);
