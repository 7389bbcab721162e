ALTER TABLE notifications DROP CONSTRAINT notifications_event_id_user_id_kind_key;
ALTER TABLE notifications ADD CONSTRAINT notifications_event_id_user_id_key UNIQUE (event_id, user_id);
