ALTER TABLE news_articles DROP COLUMN image;
