DROP INDEX outgoing_mail_done;
ALTER TABLE outgoing_mail DROP COLUMN sensitive;
