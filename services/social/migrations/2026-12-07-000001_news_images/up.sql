-- An article's image, uploaded into the file store (docs/media.md): its sizes
-- with keys, URLs and dimensions. image_url shows the display size and is no
-- longer written by clients.
ALTER TABLE news_articles ADD COLUMN image jsonb;
