DROP TABLE digest_runs;
DROP TABLE outgoing_mail;
DROP TABLE notification_settings;
DROP TABLE notifications;
DROP TABLE recipients;
