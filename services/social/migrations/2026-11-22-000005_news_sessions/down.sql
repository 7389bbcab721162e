DROP INDEX messages_flagged;
DROP TABLE web_sessions;
DROP TABLE news_articles;
