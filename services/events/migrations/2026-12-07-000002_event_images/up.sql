-- An event's cover image, uploaded and stored in the file store
-- (docs/media.md): its sizes with their keys, URLs and dimensions.
-- `image_url` shows the display size; it is no longer written by clients.
ALTER TABLE events ADD COLUMN image jsonb;
